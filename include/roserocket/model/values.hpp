#pragma once

/// @file
/// @brief Value types of record fields: `Money`, `DateTimeValue`, `TimeOfDay`, `Ref`, and
/// `OpenEnum`, the base of the typed enums generated from the catalog.
///
/// Each type has `to_json`/`from_json` beside it, so `Json j = money;` and `j.get<Money>()` work.
/// All are plain values: copyable, comparable, and safe to share between threads when not
/// being modified.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "roserocket/export.hpp"
#include "roserocket/model/catalog.hpp"

namespace roserocket::model {

/// @brief The JSON type records are made of.
using Json = nlohmann::json;

/// @brief Throws `InvalidArgumentError` saying that @p json is not a @p type_name.
[[noreturn]] ROSEROCKET_API void throw_not_an_integer(const Json& json, const char* type_name);

/// @brief @p json as the integer type @p T, when it holds exactly such a number: a fractional
/// number, one outside @p T's range (`1e300`, `-1e300`, `2^64`) or a non-number is refused
/// rather than wrapped or truncated.
/// @tparam J always `Json` (deduced): a parameter only so that the JSON reads are instantiated
/// where an integer is read, not in every file that includes this header.
/// @throw InvalidArgumentError naming the value and the expected range.
template <class T, class J = Json>
[[nodiscard]] T integer_from_json(const J& json) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>, "an integer type");
  static_assert(std::is_same_v<J, Json>, "reads a JSON value");
  using Limits = std::numeric_limits<T>;
  if (json.is_number_unsigned()) {
    const auto u = json.template get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(Limits::max()))
      return static_cast<T>(u);
  } else if (json.is_number_integer()) {
    const auto v = json.template get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      if (v >= static_cast<std::int64_t>(Limits::min()) &&
          v <= static_cast<std::int64_t>(Limits::max()))
        return static_cast<T>(v);
    } else {
      if (v >= 0 && static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(Limits::max()))
        return static_cast<T>(v);
    }
  } else if (json.is_number_float()) {
    const double d = json.template get<double>();
    // max() + 1.0 is a power of two, exact as a double: the first value past the range.
    if (std::isfinite(d) && std::trunc(d) == d && d >= static_cast<double>(Limits::min()) &&
        d < static_cast<double>(Limits::max()) + 1.0)
      return static_cast<T>(d);
  }
  throw_not_an_integer(json, std::is_signed_v<T> && sizeof(T) == 8 ? "64-bit integer"
                             : std::is_signed_v<T>                 ? "integer"
                                                                   : "unsigned integer");
}

/// @brief An amount of money: integer minor units (cents) and an ISO 4217 currency code.
///
/// Wire form: `{"amount": 1250, "currencyCode": "USD"}`. Integer minor units keep sums exact.
struct ROSEROCKET_API Money {
  /// Minor units, e.g. 1250 for 12.50 USD.
  std::int64_t amount = 0;
  /// ISO 4217 code, e.g. "USD".
  std::string currency_code;

  /// @brief Equal when amount and currency are equal.
  friend bool operator==(const Money& a, const Money& b) {
    return a.amount == b.amount && a.currency_code == b.currency_code;
  }
  /// @brief Negation of `==`.
  friend bool operator!=(const Money& a, const Money& b) { return !(a == b); }
};

/// @brief Writes `{"amount", "currencyCode"}`.
ROSEROCKET_API void to_json(Json& json, const Money& money);
/// @brief Reads `{"amount", "currencyCode"}` (a fractional `amount` is refused), or a plain JSON
/// number, which a server may send for a money field (as `bill.billTotal` is a float): that is
/// read as an amount in major units (12.5 is 1250 minor units), rounded to the nearest minor
/// unit, with an empty currency code (ADR 0027).
/// @throw InvalidArgumentError when @p json is neither shape, or the number does not fit.
ROSEROCKET_API void from_json(const Json& json, Money& money);

/// @brief A local date-time, or a window of two, in the location's own time zone.
///
/// Wire form: `{"dateTimeInLocation": "2024-05-01T09:00:00", "dateTimeInLocationEnd": ...}`, with
/// no `Z` and no offset: the platform reads it in the time zone of the task's location.
struct ROSEROCKET_API DateTimeValue {
  /// "YYYY-MM-DDTHH:MM:SS", local to the location.
  std::string date_time_in_location;
  /// End of a window, same format; absent for a point in time.
  std::optional<std::string> date_time_in_location_end;
  /// Other keys the server sent with the value, kept so that nothing is lost.
  Json other = Json(Json::value_t::object);

  /// @brief A point in time. @throw InvalidArgumentError unless "YYYY-MM-DDTHH:MM:SS".
  static DateTimeValue at(std::string local);
  /// @brief A window. @throw InvalidArgumentError unless both are "YYYY-MM-DDTHH:MM:SS".
  static DateTimeValue between(std::string start, std::string end);

  /// @brief Equal when both ends and the other keys are equal.
  /// (Defined in the library: comparing the other keys instantiates JSON's comparison.)
  friend ROSEROCKET_API bool operator==(const DateTimeValue& a, const DateTimeValue& b);
  /// @brief Negation of `==`.
  friend bool operator!=(const DateTimeValue& a, const DateTimeValue& b) { return !(a == b); }
};

/// @brief Whether @p text is "YYYY-MM-DDTHH:MM:SS" with valid ranges (no zone, no fraction).
[[nodiscard]] ROSEROCKET_API bool is_local_date_time(std::string_view text) noexcept;

/// @brief Writes `{"dateTimeInLocation", "dateTimeInLocationEnd"?}` plus the other keys.
ROSEROCKET_API void to_json(Json& json, const DateTimeValue& value);
/// @brief Reads the wire form. @throw InvalidArgumentError when it is not an object with
/// `dateTimeInLocation`.
ROSEROCKET_API void from_json(const Json& json, DateTimeValue& value);

/// @brief The instant a server timestamp names (`createdAt`, `updatedAt`, ...), in UTC, to the
/// millisecond: what the typed `*_time()` getters return.
using Timestamp = std::chrono::system_clock::time_point;

/// @brief Reads an RFC 3339 timestamp: "YYYY-MM-DDTHH:MM:SS", an optional fraction of any
/// length (kept to the millisecond, the rest dropped), then "Z" or an offset "+HH:MM"/"-HH:MM"
/// ("2024-04-02T14:52:26.409Z", "2024-04-02T10:52:26-04:00"); 't', 'z' and a space for 'T' are
/// accepted too. Days are checked against the month (29 February only in leap years).
/// @return the instant in UTC, or nothing when @p text is not such a timestamp (a local time
/// without zone included: it names no instant).
[[nodiscard]] ROSEROCKET_API std::optional<Timestamp> parse_timestamp(
    std::string_view text) noexcept;

/// @brief Writes @p instant as the server does: "2024-04-02T14:52:26.409Z" (UTC, milliseconds).
[[nodiscard]] ROSEROCKET_API std::string format_timestamp(Timestamp instant);

/// @brief A time of day as seconds from midnight (business hours: `busHoursMonStartAt`, ...).
///
/// Wire form: a JSON integer, 0 to 86400 (86400 is the end of the day).
class ROSEROCKET_API TimeOfDay {
 public:
  /// @brief Midnight.
  TimeOfDay() = default;
  /// @brief @p seconds from midnight. @throw InvalidArgumentError outside 0..86400.
  explicit TimeOfDay(std::int64_t seconds);
  /// @brief @p hours : @p minutes (: @p seconds). @throw InvalidArgumentError when out of range.
  static TimeOfDay of(int hours, int minutes, int seconds = 0);
  /// @brief Parses "HH:MM" or "HH:MM:SS" ("24:00" is the end of the day).
  /// @throw InvalidArgumentError for anything else.
  static TimeOfDay parse(std::string_view text);

  /// @brief Seconds from midnight, as sent on the wire.
  [[nodiscard]] std::int64_t seconds() const noexcept { return seconds_; }
  /// @brief The readable form, "09:00", or "09:00:05" when seconds are not zero.
  [[nodiscard]] std::string to_string() const;

  /// @brief Equal when the seconds are equal.
  friend bool operator==(TimeOfDay a, TimeOfDay b) { return a.seconds_ == b.seconds_; }
  /// @brief Negation of `==`.
  friend bool operator!=(TimeOfDay a, TimeOfDay b) { return a.seconds_ != b.seconds_; }
  /// @brief Earlier first.
  friend bool operator<(TimeOfDay a, TimeOfDay b) { return a.seconds_ < b.seconds_; }

 private:
  std::int64_t seconds_ = 0;
};

/// @brief Writes the seconds as a JSON integer.
ROSEROCKET_API void to_json(Json& json, const TimeOfDay& value);
/// @brief Reads a JSON integer. @throw InvalidArgumentError for anything else or out of range.
ROSEROCKET_API void from_json(const Json& json, TimeOfDay& value);

/// @brief A reference to an existing record: `{"id": "<uuid>"}` (a bare id string is refused by
/// the platform, so the SDK never sends one).
struct ROSEROCKET_API Ref {
  /// The referenced record's id.
  std::string id;

  /// @brief Equal when the ids are equal.
  friend bool operator==(const Ref& a, const Ref& b) { return a.id == b.id; }
  /// @brief Negation of `==`.
  friend bool operator!=(const Ref& a, const Ref& b) { return a.id != b.id; }
};

/// @brief Writes `{"id": ...}`. @throw InvalidArgumentError when the id is empty.
ROSEROCKET_API void to_json(Json& json, const Ref& ref);
/// @brief Reads `{"id": ...}` (other keys ignored) or a bare id string.
/// @throw InvalidArgumentError for anything else.
ROSEROCKET_API void from_json(const Json& json, Ref& ref);

/// @brief Why a typed create of @p object_key with the fields @p fields would be refused: the
/// catalog's required fields (`required_on_create`) that are absent, null, empty strings or
/// empty lists, named with what the docs say, e.g. "customer is required to create an order
/// (...)"; an empty string when nothing is missing.
[[nodiscard]] ROSEROCKET_API std::string missing_on_create(std::string_view object_key,
                                                           const Json& fields);

/// @brief Throws the error `OpenEnum` reports for a non-string value.
[[noreturn]] ROSEROCKET_API void throw_not_a_string(std::string_view enum_name,
                                                    std::string_view got);

/// @brief A named value of a typed enum, usable in constant expressions (`OrderStatus::kBooked`).
template <class Enum>
struct EnumConstant {
  /// The wire value, e.g. "in transit".
  std::string_view value;
};

/// @brief Whether enum @p E declares `E::kReadAnyCase` (the catalog's `RR_ENUM_ANY_CASE()`, kept
/// for source compatibility: since ADR 0027 every typed enum reads its values in any case).
template <class E, class = void>
struct ReadsAnyCase : std::false_type {};
/// @brief The enums that declare `kReadAnyCase`.
template <class E>
struct ReadsAnyCase<E, std::void_t<decltype(E::kReadAnyCase)>>
    : std::integral_constant<bool, E::kReadAnyCase> {};

/// @brief Whether @p a and @p b are equal ignoring ASCII letter case.
[[nodiscard]] ROSEROCKET_API bool equal_ignoring_case(std::string_view a,
                                                      std::string_view b) noexcept;

/// @brief Base of the generated enums (`OrderStatus`, `TaskType`, ...): a string that may hold
/// any value, so that values the platform adds later are read and written unchanged.
///
/// The documented values are constants of the derived type (`OrderStatus::kInTransit`), taken
/// from the catalog; `is_known()` tells whether a value is one of them.
template <class Derived>
class OpenEnum {
 public:
  /// @brief The empty value (no field read yet).
  OpenEnum() = default;
  /// @brief A documented value.
  OpenEnum(EnumConstant<Derived> constant)  // NOLINT: implicit by design
      : value_(constant.value) {}
  /// @brief Any value, documented or not (the way through for values the SDK does not know).
  explicit OpenEnum(std::string value) : value_(std::move(value)) {}

  /// @brief The wire value.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  /// @brief Whether the catalog lists this value for `Derived`.
  /// Spellings that differ only in case, spaces, '_' or '-' count ("In transit").
  [[nodiscard]] bool is_known() const {
    return canonical_enum_value(Derived::kEnumName, value_) != nullptr;
  }

  /// @brief Equal when the wire values are equal.
  friend bool operator==(const Derived& a, const Derived& b) { return a.value_ == b.value_; }
  /// @brief Negation of `==`.
  friend bool operator!=(const Derived& a, const Derived& b) { return a.value_ != b.value_; }
  /// @brief Compares with a documented value.
  friend bool operator==(const Derived& a, EnumConstant<Derived> b) { return a.value_ == b.value; }
  /// @brief Compares with a documented value.
  friend bool operator==(EnumConstant<Derived> a, const Derived& b) { return b.value_ == a.value; }
  /// @brief Negation of `==`.
  friend bool operator!=(const Derived& a, EnumConstant<Derived> b) { return !(a == b); }
  /// @brief Negation of `==`.
  friend bool operator!=(EnumConstant<Derived> a, const Derived& b) { return !(b == a); }
  /// @brief Writes the wire value as a JSON string.
  friend void to_json(Json& json, const Derived& e) { json = e.value_; }
  /// @brief Reads a JSON string, known or not: a documented value in another spelling (Title
  /// Case, lower case, "In transit" for "in transit", "In Transit" for "inTransit") reads as its
  /// documented spelling; a value the catalog does not list is kept as it is.
  /// @throw InvalidArgumentError for a non-string.
  friend void from_json(const Json& json, Derived& e) {
    if (!json.is_string())
      throw_not_a_string(Derived::kEnumName, json.type_name());
    const auto& text = json.get_ref<const std::string&>();
    const std::string* documented = canonical_enum_value(Derived::kEnumName, text);
    e.value_ = documented != nullptr ? *documented : text;
  }

 private:
  std::string value_;
};

/// @brief The C++ type a typed accessor uses for a field of wire type @p T.
template <FieldType T>
struct ValueTypeOf {
  /// Strings, uuids, timestamps and dates.
  using type = std::string;
};
/// @brief Integers (`version`, `ordinal`).
template <>
struct ValueTypeOf<FieldType::kInteger> {
  /// 64-bit, as JSON integers may be.
  using type = std::int64_t;
};
/// @brief Numbers (`latitude`).
template <>
struct ValueTypeOf<FieldType::kNumber> {
  /// Double precision.
  using type = double;
};
/// @brief Booleans.
template <>
struct ValueTypeOf<FieldType::kBoolean> {
  /// A bool.
  using type = bool;
};
/// @brief Money.
template <>
struct ValueTypeOf<FieldType::kMoney> {
  /// `Money`.
  using type = Money;
};
/// @brief Local date-times.
template <>
struct ValueTypeOf<FieldType::kDateTime> {
  /// `DateTimeValue`.
  using type = DateTimeValue;
};
/// @brief Business hours.
template <>
struct ValueTypeOf<FieldType::kTimeOfDay> {
  /// `TimeOfDay`.
  using type = TimeOfDay;
};
/// @brief JSON the SDK does not model.
template <>
struct ValueTypeOf<FieldType::kJson> {
  /// Plain `Json`.
  using type = Json;
};
/// @brief Shorthand for `ValueTypeOf<T>::type`.
template <FieldType T>
using ValueType = typename ValueTypeOf<T>::type;

}  // namespace roserocket::model
