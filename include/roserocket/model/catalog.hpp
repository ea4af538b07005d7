#pragma once

/// @file
/// @brief The field catalog: the single source of truth for every known object and field.
///
/// Typed records, the client-side read-only checks, the emulator's behaviour and the docs all
/// read this catalog; no field list is written anywhere else. The data is the X-macro table
/// `roserocket/model/catalog.def` (see docs/adr/0002-field-catalog.md).
///
/// Thread safety: the catalog is immutable after first use; every function may be called from
/// any thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "roserocket/export.hpp"

namespace roserocket::model {

/// @brief The wire type of a field.
enum class FieldType {
  kString,
  kInteger,
  kNumber,
  kBoolean,
  /// A string from `FieldSpec::enum_values` (values the SDK does not know yet still pass).
  kEnum,
  /// `{"amount": <integer minor units>, "currencyCode": "USD"}`.
  kMoney,
  /// `{"dateTimeInLocation": "YYYY-MM-DDTHH:MM:SS", "dateTimeInLocationEnd": ...}`.
  kDateTime,
  /// `"YYYY-MM-DD"`.
  kDate,
  /// An ISO-8601 instant written by the server, e.g. "2024-04-02T14:52:26.409Z".
  kTimestamp,
  /// Seconds from midnight (business hours).
  kTimeOfDay,
  kUuid,
  /// One connected record: `{"id": ...}` to link, an object without `id` to create.
  kConnection,
  /// A list of connected records.
  kConnectionList,
  /// Any JSON the SDK does not model.
  kJson,
};

/// @brief Where the SDK's knowledge of a field (or a `fullId` prefix) comes from.
enum class Provenance {
  /// Named on a vendor documentation page.
  kDocumented,
  /// Seen in an example response of the vendor's docs, not described there.
  kObserved,
  /// The SDK's assumption; see the field's description.
  kGuessed,
  /// Named only by a third-party model written from the vendor's whole pages
  /// (`api-evangelist/rose-rocket`, `data-model/rose-rocket-data-model.yml`): the part of a page
  /// the SDK could read does not show it. Secondary evidence, labelled so (ADR 0027).
  kSecondary,
};

/// @brief Who may write a field.
enum class Access {
  kWritable,
  /// Written by the server on every record (`id`, `fullId`, `version`, `createdAt`, ...).
  kServerWritten,
  /// Computed from other fields (`invoice.subTotal`, `customer.formattedBusinessHours`, ...).
  kDerived,
};

/// @brief One field of an object.
struct ROSEROCKET_API FieldSpec {
  /// The wire name, e.g. "companyPhone".
  std::string name;
  /// The value type.
  FieldType type = FieldType::kString;
  /// Who may write the field.
  Access access = Access::kWritable;
  /// For kEnum: the documented values.
  std::vector<std::string> enum_values;
  /// For connections: the object key of the connected record(s).
  std::string target;
  /// For derived fields: the fields it is computed from.
  std::vector<std::string> derived_from;
  /// One line for docs and error messages.
  std::string description;
  /// Where this field is known from.
  Provenance provenance = Provenance::kDocumented;
  /// For kEnum: the C++ type of its typed accessor, e.g. "OrderStatus".
  std::string enum_type;
  /// The C++ name of its typed accessor, e.g. "customer_type" for "customerType".
  std::string cpp_name;
  /// Documented spelling variants of the name that typed getters also read when the field itself
  /// is absent (`busHoursTuesStartAt` for `busHoursTueStartAt`); writes use `name`.
  std::vector<std::string> aliases;

  /// @brief Whether the server writes or derives the field, so a client may not set it.
  [[nodiscard]] bool read_only() const noexcept { return access != Access::kWritable; }
  /// @brief Whether the field connects to other records.
  [[nodiscard]] bool is_connection() const noexcept {
    return type == FieldType::kConnection || type == FieldType::kConnectionList;
  }
};

/// @brief One object (record type) and its own fields (the common fields are separate).
struct ROSEROCKET_API ObjectSpec {
  /// Wire key, e.g. "customer".
  std::string key;
  /// Prefix of `fullId`, e.g. "CUST" for "CUST-18".
  std::string full_id_prefix;
  /// Human name, e.g. "Customer".
  std::string display_name;
  /// The object's own fields (the common fields excluded).
  std::vector<FieldSpec> fields;
  /// Whether `full_id_prefix` is documented (CUST, O) or the SDK's guess.
  Provenance full_id_prefix_provenance = Provenance::kGuessed;
  /// The C++ typed record, e.g. "Customer".
  std::string type_name;
  /// The C++ facade, e.g. "Customers"; empty for objects without one (stop, user).
  std::string facade;
  /// The `Client` member function returning the facade, e.g. "customers".
  std::string client_method;

  /// @brief This object's own field @p name, or the common field of that name, or null.
  [[nodiscard]] const FieldSpec* find(std::string_view name) const noexcept;
};

/// @brief Fields every record has (`id`, `objectKey`, `orgId`, `fullId`, `version`, ...).
[[nodiscard]] ROSEROCKET_API const std::vector<FieldSpec>& common_fields();

/// @brief Every object the catalog knows, in documentation order.
[[nodiscard]] ROSEROCKET_API const std::vector<ObjectSpec>& objects();

/// @brief The object with key @p object_key, or null when the catalog does not know it
/// (custom objects ending in `__c`, objects added to the platform later).
[[nodiscard]] ROSEROCKET_API const ObjectSpec* find_object(std::string_view object_key) noexcept;

/// @brief The spec of @p field on @p object_key (common fields included), or null if unknown.
[[nodiscard]] ROSEROCKET_API const FieldSpec* find_field(std::string_view object_key,
                                                         std::string_view field) noexcept;

/// @brief Why @p field of @p object_key may not be written, or an empty string if it may.
/// Unknown objects still get the common fields' rules.
[[nodiscard]] ROSEROCKET_API std::string read_only_reason(std::string_view object_key,
                                                          std::string_view field);

/// @brief The documented values of the enum type @p enum_type (e.g. "OrderStatus", "EventType"),
/// or null when there is no such enum.
[[nodiscard]] ROSEROCKET_API const std::vector<std::string>* enum_values(
    std::string_view enum_type) noexcept;

/// @brief Whether the values of @p enum_type are read in any letter case ("CustomerType":
/// "Shipper" reads as "shipper"): true for every catalog enum since ADR 0027 (see
/// `canonical_enum_value`); false for names that are no catalog enum.
[[nodiscard]] ROSEROCKET_API bool enum_reads_any_case(std::string_view enum_type) noexcept;

/// @brief The documented value of @p enum_type that @p value spells, or null when @p value is
/// none of them (values the platform added later: kept as they are by the typed enums).
///
/// An exact match wins; otherwise letter case, spaces, '_' and '-' are ignored, so the vendor's
/// Title Case and lower case spellings ("In transit", "Shipper", "in-transit") read as the
/// catalog's value ("in transit", "shipper"). Every catalog enum reads this way (ADR 0027).
[[nodiscard]] ROSEROCKET_API const std::string* canonical_enum_value(
    std::string_view enum_type, std::string_view value) noexcept;

/// @brief A field (or connection) a typed create must set, from the catalog's `RR_REQUIRED`.
struct ROSEROCKET_API RequiredOnCreate {
  /// The wire name, e.g. "customer".
  std::string field;
  /// Where the requirement is known from.
  Provenance provenance = Provenance::kDocumented;
  /// One line: what the vendor's page (or the SDK's reading) says.
  std::string why;
};

/// @brief What a typed create of @p object_key must set (empty for objects with no such rule,
/// custom objects included). The untyped `ObjectsApi` does not check these.
[[nodiscard]] ROSEROCKET_API const std::vector<RequiredOnCreate>& required_on_create(
    std::string_view object_key);

/// @brief Every enum type of the catalog, by C++ name, in catalog order.
[[nodiscard]] ROSEROCKET_API const std::vector<std::pair<std::string, std::vector<std::string>>>&
enums();

/// @brief The Markdown table of every read-only field (common fields first, then per object),
/// as committed in docs/read-only-fields.md; the `catalog_docs` tool prints it.
[[nodiscard]] ROSEROCKET_API std::string read_only_fields_markdown();

/// @brief The Markdown reference of every object's fields (type, access, enum values, target,
/// provenance), as committed in docs/object-model.md; `catalog_docs --fields` prints it.
[[nodiscard]] ROSEROCKET_API std::string fields_markdown();

/// @brief A short name for @p type as the docs write it ("string", "money", ...).
[[nodiscard]] ROSEROCKET_API std::string_view to_string(FieldType type) noexcept;

/// @brief Whether @p name is a custom field or object key (ends in `__c`).
[[nodiscard]] ROSEROCKET_API bool is_custom(std::string_view name) noexcept;

}  // namespace roserocket::model
