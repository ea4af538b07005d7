#pragma once

/// @file
/// @brief `Record`: one record's JSON, the fields the caller changed, and the read-only rules;
/// `TypedRecord`, the base of the generated typed records; `Connection` and `PathOf`, typed
/// `paths` for connected objects.

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/errors.hpp"
#include "roserocket/export.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/values.hpp"
#include "roserocket/model/view.hpp"

namespace roserocket::model {

/// @brief Identity of a type, to keep a template argument out of deduction (C++20's
/// `std::type_identity`).
template <class T>
struct TypeIdentity {
  /// @p T itself.
  using type = T;
};

/// @brief A custom field (`__c`) and the type its values have: declare one constant per field and
/// read or write it typed, `order.get(kTrailer)`, `order.set(kTrailer, "TR-7")` (see
/// docs/object-model.md).
///
/// A constant value type; safe to share between threads.
template <class T>
class CustomField {
 public:
  /// @brief The custom field @p name, which must end in `__c` (checked when the name is used:
  /// a constant expression cannot throw, so a wrong name does not compile where it is constexpr).
  constexpr explicit CustomField(std::string_view name) : name_(check(name)) {}
  /// @brief The wire name, e.g. "trailerNumber__c".
  [[nodiscard]] constexpr std::string_view name() const noexcept { return name_; }

 private:
  static constexpr std::string_view check(std::string_view name) {
    return name.size() > 3 && name.substr(name.size() - 3) == "__c"
               ? name
               : throw InvalidArgumentError("a custom field name ends in __c");
  }
  std::string_view name_;
};

/// @brief One part of a write that the server did not apply although the write itself succeeded:
/// an entry of the `errors` array a create may answer beside the record.
struct PartError {
  /// Where in the request the part was, e.g. "json.tasks[0].commodities[1]"; empty when the
  /// server did not say.
  std::string path;
  /// The server's explanation.
  std::string message;
  /// The entry as the server sent it.
  Json raw;
};

/// @brief One record of any object: its full JSON, and which fields the caller changed.
///
/// A record keeps every field it was read with, known to the catalog or not (`__c` custom fields
/// included), so a get -> change -> update round trip loses nothing; an update sends only
/// `changes()`. `set` refuses read-only fields (server-written or derived, per the catalog) at
/// once with `ReadOnlyFieldError`, before any request.
///
/// Value semantics; copies are independent. Thread safety: const member functions may be called
/// from many threads at once; a record being modified must not be shared.
class ROSEROCKET_API Record {
 public:
  /// @brief An empty record of no known object (only the common fields' rules apply).
  Record() = default;
  /// @brief A new, empty record of @p object_key (kept as `objectKey`, never sent as a change).
  explicit Record(std::string_view object_key);
  /// @brief A record as the server sent it: nothing is marked changed.
  /// @throw InvalidArgumentError unless @p json is a JSON object.
  static Record from_json(Json json);

  /// @brief The record's key (`objectKey`), or "" when unknown.
  [[nodiscard]] std::string key() const;
  /// @brief The whole record as JSON, with the caller's changes applied.
  /// @return a reference into this record, valid while the record lives.
  [[nodiscard]] const Json& json() const& noexcept { return json_; }
  /// @brief The whole record as JSON, moved out of a temporary record.
  ///
  /// Returned by value so that `const Json& j = client.orders().get(id).json();` binds to a
  /// value whose lifetime is extended, instead of into a record destroyed at the end of the
  /// statement.
  /// @return the record's JSON.
  [[nodiscard]] Json json() && noexcept { return std::move(json_); }
  /// @brief The whole record as JSON, copied out of a const temporary record.
  /// @return a copy of the record's JSON.
  [[nodiscard]] Json json() const&& { return json_; }
  /// @brief Whether @p field is present (it may be JSON null).
  [[nodiscard]] bool has(std::string_view field) const;
  /// @brief Whether the connection @p connection came with the record (or was set on it): true
  /// when present, even as null or an empty list. False for a stored record read without it in
  /// `paths`, whose connection getter then throws `NotLoadedError` rather than read as empty.
  [[nodiscard]] bool loaded(std::string_view connection) const { return has(connection); }
  /// @brief The value of @p field, or JSON null when absent.
  [[nodiscard]] Json get(std::string_view field) const;
  /// @brief The value of @p field as @p T, or nothing when absent or null.
  /// @throw MalformedResponseError when the value does not have the expected shape (for an
  /// integer @p T: a fractional number or one outside @p T's range).
  template <class T>
  [[nodiscard]] std::optional<T> get_as(std::string_view field) const {
    return detail::read_value<T>(json_, field, find(field));
  }
  /// @brief The value of @p field as an instant in UTC (an RFC 3339 timestamp such as
  /// "2024-04-02T14:52:26.409Z" or "2024-04-02T10:52:26-04:00"), or nothing when absent or
  /// null. The typed records' `created_at_time()`, `updated_at_time()`, ... read through it.
  /// @throw MalformedResponseError when it is not such a timestamp.
  [[nodiscard]] std::optional<Timestamp> get_time(std::string_view field) const {
    return detail::read_timestamp(json_, field, find(field));
  }
  /// @brief The custom field @p field as its declared type, or nothing when absent or null.
  /// @throw MalformedResponseError when the value does not have that type.
  template <class T>
  [[nodiscard]] std::optional<T> get(const CustomField<T>& field) const {
    return get_as<T>(field.name());
  }

  /// @brief Sets @p field (known, custom `__c` or unknown) and marks it changed.
  /// @throw ReadOnlyFieldError when the catalog says the field is server-written or derived;
  /// InvalidArgumentError for an empty name.
  Record& set(std::string_view field, Json value);
  /// @brief Sets the custom field @p field to @p value (in its declared type) and marks it changed.
  template <class T>
  Record& set(const CustomField<T>& field, typename TypeIdentity<T>::type value) {
    return set(field.name(), Json(std::move(value)));
  }

  /// @brief The parts of the write that answered this record which the server did not apply:
  /// the `errors` array a create (or update) may answer beside the record, when a nested part
  /// failed and the rest was saved. Empty when there is none.
  [[nodiscard]] std::vector<PartError> part_errors() const;

  /// @brief The fields the caller set, in the order first set.
  [[nodiscard]] const std::vector<std::string>& changed_fields() const noexcept { return changed_; }
  /// @brief Whether the caller set @p field.
  [[nodiscard]] bool is_changed(std::string_view field) const;
  /// @brief `{field: value}` of the changed fields only: the body of an update.
  [[nodiscard]] Json changes() const;
  /// @brief The form this record takes inside another record's write: `{"id", changes...}` for
  /// an existing record, `{"objectKey", changes...}` for a new one (created with its parent).
  [[nodiscard]] Json write_json() const;
  /// @brief Forgets which fields were changed (after they were saved).
  void mark_clean() noexcept { changed_.clear(); }

  // Typed accessors of the common fields, generated from the catalog.
  // Member templates whose parameter defaults to (and must be) the field's type, so that their
  // bodies are instantiated only where a program calls them (see records.hpp).
#define RR_COMMON(cpp, wire, type, access, description)                               \
  template <class R = ValueType<FieldType::type>>                                     \
  [[nodiscard]] std::optional<R> cpp() const {                                        \
    static_assert(std::is_same_v<R, ValueType<FieldType::type>>, "the field's type"); \
    return get_as<R>(#wire);                                                          \
  }                                                                                   \
  RR_TIME_GETTER_##type(cpp, wire) RR_RECORD_SETTER_##access(cpp, wire, ValueType<FieldType::type>)
#define RR_RECORD_SETTER_kServerWritten(cpp, wire, T)
#define RR_RECORD_SETTER_kWritable(cpp, wire, T)             \
  template <class V = T>                                     \
  Record& set_##cpp(typename TypeIdentity<V>::type value) {  \
    static_assert(std::is_same_v<V, T>, "the field's type"); \
    return set(#wire, Json(std::move(value)));               \
  }
#include "roserocket/model/catalog.def"

 protected:
  /// @brief A pointer to @p field's value, or null when absent.
  [[nodiscard]] const Json* find(std::string_view field) const;
  /// @brief A connected record read as @p T: an object, or a bare id; nothing when null (or
  /// absent from a new record). @throw NotLoadedError when absent from a stored record (one with
  /// an id): it was read without that connection in `paths`.
  template <class T>
  [[nodiscard]] std::optional<T> get_one(std::string_view field) const {
    const Json* value = find(field);
    if (value == nullptr && detail::is_stored_record(json_))
      detail::throw_not_loaded(json_, key(), field);
    if (value == nullptr || value->is_null())
      return std::nullopt;
    if (value->is_string())
      return T::from_json(Json{{"id", *value}});
    if (!value->is_object())
      throw_bad_value(field, "expected a connected record (an object)");
    return T::from_json(*value);
  }
  /// @brief A list of connected records read as @p T; empty when null (or absent from a new
  /// record). @throw NotLoadedError when absent from a stored record (one with an id).
  template <class T>
  [[nodiscard]] std::vector<T> get_many(std::string_view field) const {
    std::vector<T> out;
    const Json* value = find(field);
    if (value == nullptr && detail::is_stored_record(json_))
      detail::throw_not_loaded(json_, key(), field);
    if (value == nullptr || value->is_null())
      return out;
    if (!value->is_array())
      throw_bad_value(field, "expected a list of connected records");
    for (const auto& item : *value) {
      if (item.is_string()) {
        out.push_back(T::from_json(Json{{"id", item}}));
      } else if (item.is_object()) {
        out.push_back(T::from_json(item));
      } else {
        throw_bad_value(field, "expected connected records (objects)");
      }
    }
    return out;
  }
  /// @brief The list connection @p field as a range of views @p V into this record's JSON (no
  /// copies): what the typed records' list getters answer on a record that stays. Empty when null
  /// (or absent from a new record). @throw NotLoadedError when absent from a stored record.
  template <class V>
  [[nodiscard]] ListView<V> view_many(std::string_view field) const {
    const Json* value = find(field);
    if (value == nullptr && detail::is_stored_record(json_))
      detail::throw_not_loaded(json_, key(), field);
    const Json* list = detail::checked_list(json_, field, value);
    return list == nullptr ? ListView<V>() : ListView<V>(*list);
  }
  /// @brief A list of connected records read as @p T, moved out of this record (which the
  /// caller is discarding: a typed getter called on a temporary); nothing is copied. Empty when
  /// null (or absent from a new record). @throw NotLoadedError when absent from a stored record.
  template <class T>
  [[nodiscard]] std::vector<T> take_many(std::string_view field) {
    std::vector<T> out;
    const Json* value = find(field);
    if (value == nullptr && detail::is_stored_record(json_))
      detail::throw_not_loaded(json_, key(), field);
    const Json* list = detail::checked_list(json_, field, value);
    if (list == nullptr)
      return out;
    auto& items = const_cast<Json&>(*list).get_ref<Json::array_t&>();  // our own json_
    out.reserve(items.size());
    for (auto& item : items)
      out.push_back(T::from_json(item.is_string() ? Json{{"id", item}} : std::move(item)));
    return out;
  }
  /// @brief Sets a list of connected records, each in its `write_json()` form.
  template <class T>
  Record& set_many(std::string_view field, const std::vector<T>& records) {
    Json list = Json::array();
    for (const auto& r : records)
      list.push_back(r.write_json());
    return set(field, std::move(list));
  }
  /// @brief Sets a list of references `[{"id"}, ...]`.
  Record& set_refs(std::string_view field, const std::vector<Ref>& refs);

 private:
  [[noreturn]] void throw_bad_value(std::string_view field, const std::string& why) const;

  Json json_ = Json(Json::value_t::object);
  std::vector<std::string> changed_;
};

/// @brief A connected field of @p Owner whose records are @p Target: `Order::tasks_path`.
/// Used as a `paths` entry, and joined with `/` into dot paths: `Order::tasks_path /
/// Task::commodities_path` is "tasks.commodities" (only where the types connect).
/// A constant value type; safe to share between threads.
template <class Owner, class Target>
struct Connection {
  /// The wire name, e.g. "tasks".
  std::string_view name;
};

/// @brief A dot path from @p Owner to records of @p Target, e.g. "tasks.commodities".
/// A value type; const access is thread-safe.
template <class Owner, class Target>
class Path {
 public:
  /// @brief The path @p dotted (checked by the types that built it).
  explicit Path(std::string dotted) : dotted_(std::move(dotted)) {}
  /// @brief A one-step path.
  Path(Connection<Owner, Target> c) : dotted_(c.name) {}  // NOLINT: implicit by design
  /// @brief The dotted form sent in `paths`.
  [[nodiscard]] const std::string& str() const noexcept { return dotted_; }

 private:
  std::string dotted_;
};

/// @brief Joins two connections into a dot path.
template <class Owner, class Middle, class Target>
Path<Owner, Target> operator/(Connection<Owner, Middle> a, Connection<Middle, Target> b) {
  return Path<Owner, Target>(std::string(a.name) + "." + std::string(b.name));
}
/// @brief Extends a dot path by one connection.
template <class Owner, class Middle, class Target>
Path<Owner, Target> operator/(const Path<Owner, Middle>& a, Connection<Middle, Target> b) {
  return Path<Owner, Target>(a.str() + "." + std::string(b.name));
}

/// @brief One `paths` entry for records of @p Owner, whatever the target: what typed `get`s take.
/// A value type; const access is thread-safe.
template <class Owner>
class PathOf {
 public:
  /// @brief From a connection of @p Owner.
  template <class Target>
  PathOf(Connection<Owner, Target> c) : dotted_(c.name) {}  // NOLINT: implicit by design
  /// @brief From a dot path starting at @p Owner.
  template <class Target>
  PathOf(const Path<Owner, Target>& p) : dotted_(p.str()) {}  // NOLINT: implicit by design
  /// @brief Any path the catalog does not know (custom `__c` connections, new ones).
  static PathOf custom(std::string dotted) { return PathOf(std::move(dotted), 0); }
  /// @brief The dotted form sent in `paths`.
  [[nodiscard]] const std::string& str() const noexcept { return dotted_; }

 private:
  PathOf(std::string dotted, int) : dotted_(std::move(dotted)) {}
  std::string dotted_;
};

/// @brief Base of every generated typed record (`Customer`, `Order`, ...): a `Record` whose
/// object key is `Self::kObjectKey`, with setters that return `Self&` for chaining.
///
/// Thread safety as `Record`.
template <class Self>
class TypedRecord : public Record {
 public:
  /// @brief A new, empty record of this object.
  TypedRecord() : Record(Self::kObjectKey) {}
  /// @brief A record as the server sent it; nothing marked changed.
  /// @throw InvalidArgumentError when @p json is not an object or is another object's record.
  /// A record without `objectKey` gets it added in place (the JSON is moved, never copied).
  static Self from_json(Json json) {
    Self out;
    static_cast<Record&>(out) = Record::from_json(std::move(json));
    const auto key = out.key();
    if (key.empty()) {
      static_cast<Record&>(out) = Record::from_json(with_key(std::move(out).json()));
    } else if (key != Self::kObjectKey) {
      throw InvalidArgumentError("a '" + key + "' record cannot be read as " +
                                 std::string(Self::kObjectKey));
    }
    return out;
  }
  /// @brief A reference to this record, for connecting it elsewhere.
  /// @throw InvalidArgumentError when the record has no id yet.
  [[nodiscard]] Ref ref() const {
    auto id = this->id();
    if (!id || id->empty()) {
      throw InvalidArgumentError(std::string(Self::kObjectKey) + " has no id to refer to yet");
    }
    return Ref{*id};
  }
  using Record::loaded;
  /// @brief Whether the typed connection @p connection came with the record:
  /// `order.loaded(Order::tasks_path)`.
  template <class Target>
  [[nodiscard]] bool loaded(const Connection<Self, Target>& connection) const {
    return Record::loaded(connection.name);
  }
  /// @brief `Record::set`, returning this typed record.
  Self& set(std::string_view field, Json value) {
    Record::set(field, std::move(value));
    return static_cast<Self&>(*this);
  }
  /// @brief Sets a typed custom field (see `CustomField`), returning this typed record.
  template <class T>
  Self& set(const CustomField<T>& field, typename TypeIdentity<T>::type value) {
    Record::set(field, std::move(value));
    return static_cast<Self&>(*this);
  }
  /// @brief A read-only view of this record (`OrderView` for `Order`): connections and lists read
  /// as views into this record's JSON, without copies. Valid until this record changes or dies.
  template <class S = Self>
  [[nodiscard]] typename S::View view() const& {
    return typename S::View(this->json());
  }
  /// @brief Not on a temporary: the view would dangle.
  void view() && = delete;

#define RR_COMMON(cpp, wire, type, access, description) \
  RR_TYPED_SETTER_##access(cpp, wire, ValueType<FieldType::type>)
#define RR_TYPED_SETTER_kServerWritten(cpp, wire, T)
#define RR_TYPED_SETTER_kWritable(cpp, wire, T) \
  Self& set_##cpp(T value) {                    \
    return set(#wire, Json(std::move(value)));  \
  }
#include "roserocket/model/catalog.def"

 private:
  static Json with_key(Json json) {
    json["objectKey"] = Self::kObjectKey;
    return json;
  }
};

}  // namespace roserocket::model
