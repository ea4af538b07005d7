#pragma once

/// @file
/// @brief Read-only views over a record's JSON, with no copies: `RecordView`, the base of the
/// generated `CustomerView`, `OrderView`, ... (see `records.hpp`), and `ListView`, a range of
/// views over a list connection.
///
/// A typed record's list getters (`order.tasks()`) and `order.view().tasks()` are ranges of
/// `TaskView`s, each a pointer into the order's own JSON, with the same typed getters and no
/// setters (ADR 0024). A view is valid while the JSON it points into is alive and unchanged: do
/// not keep one past a `set` on its record, or past the record itself (`view()` on a temporary
/// record does not compile; list getters on a temporary answer owning records). A view converts
/// to its record (`to_record()`), a range to a vector of records (`to_records()`): copies, what a
/// write needs.
///
/// Thread safety: views only read; many threads may read through views of one record at once, as
/// long as nobody modifies the record meanwhile.

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/errors.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/values.hpp"

namespace roserocket::model {

template <class Owner, class Target>
struct Connection;

namespace detail {

/// @brief Throws `MalformedResponseError` for a field of @p record whose value does not have the
/// expected shape.
[[noreturn]] ROSEROCKET_API void throw_bad_field_value(const Json& record, std::string_view field,
                                                       const std::string& why);

/// @brief Whether @p record (an object, or a bare id string) is a stored record, read from a
/// server: it has an id. In a stored record, a connection that is absent was not loaded (not
/// requested in `paths`); in a new record, it was not set.
[[nodiscard]] ROSEROCKET_API bool is_stored_record(const Json& record) noexcept;

/// @brief Throws `NotLoadedError` for the connection @p field of the stored @p record.
[[noreturn]] ROSEROCKET_API void throw_not_loaded(const Json& record, std::string_view object_key,
                                                  std::string_view field);

/// @brief @p value, the list connection @p field of @p record, checked: null when absent or JSON
/// null (an empty list), else the array, whose elements are all objects or bare id strings.
/// What the typed records' and the views' list getters share.
/// @throw MalformedResponseError when it is not such a list.
[[nodiscard]] ROSEROCKET_API const Json* checked_list(const Json& record, std::string_view field,
                                                      const Json* value);

/// @brief @p value (a field of @p record) as @p T: nothing when absent or null. What
/// `Record::get_as` and the views' getters share.
/// @throw MalformedResponseError when the value does not have the expected shape.
template <class T>
[[nodiscard]] std::optional<T> read_value(const Json& record, std::string_view field,
                                          const Json* value) {
  if (value == nullptr || value->is_null())
    return std::nullopt;
  try {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      return integer_from_json<T>(*value);  // never wrapped or truncated
    } else {
      return value->get<T>();
    }
  } catch (const Error& e) {
    throw_bad_field_value(record, field, e.summary());
  } catch (const nlohmann::json::exception& e) {
    throw_bad_field_value(record, field, e.what());
  }
}

/// @brief @p value (a field of @p record) as the instant an RFC 3339 timestamp names: nothing
/// when absent or null. What `Record::get_time` and the views' `*_time()` getters share.
/// @throw MalformedResponseError when the value is not such a timestamp (see `parse_timestamp`).
[[nodiscard]] ROSEROCKET_API std::optional<Timestamp> read_timestamp(const Json& record,
                                                                     std::string_view field,
                                                                     const Json* value);

/// @brief The value of @p field in @p record, or, when absent, of one of the field's documented
/// spelling variants (catalog aliases, looked up on a miss only); null when there is none.
[[nodiscard]] ROSEROCKET_API const Json* find_field_value(const Json& record,
                                                          std::string_view object_key,
                                                          std::string_view field);

}  // namespace detail

// The typed getters' `*_time()` companion, generated for fields of type kTimestamp only: one
// macro per FieldType, so that the catalog's type token picks it.
// `created_at_time()` beside `created_at()`: the field as an instant in UTC, to the millisecond.
#define RR_TIME_GETTER_kTimestamp(cpp, wire)                  \
  [[nodiscard]] std::optional<Timestamp> cpp##_time() const { \
    return this->get_time(#wire);                             \
  }
#define RR_TIME_GETTER_kString(cpp, wire)
#define RR_TIME_GETTER_kInteger(cpp, wire)
#define RR_TIME_GETTER_kNumber(cpp, wire)
#define RR_TIME_GETTER_kBoolean(cpp, wire)
#define RR_TIME_GETTER_kEnum(cpp, wire)
#define RR_TIME_GETTER_kMoney(cpp, wire)
#define RR_TIME_GETTER_kDateTime(cpp, wire)
#define RR_TIME_GETTER_kDate(cpp, wire)
#define RR_TIME_GETTER_kTimeOfDay(cpp, wire)
#define RR_TIME_GETTER_kUuid(cpp, wire)
#define RR_TIME_GETTER_kConnection(cpp, wire)
#define RR_TIME_GETTER_kConnectionList(cpp, wire)
#define RR_TIME_GETTER_kJson(cpp, wire)

/// @brief A range of views @p V over a JSON array of connected records (objects, or bare ids),
/// in order. Holds a pointer to the array; copying it copies nothing else.
///
/// Thread safety: as the views (read-only).
template <class V>
class ListView {
 public:
  /// @brief Iterates the array, yielding a view per element (by value: a view is a pointer).
  class Iterator {
   public:
    /// Random access over the array.
    using iterator_category = std::random_access_iterator_tag;
    /// The view type.
    using value_type = V;
    /// Distance between two positions.
    using difference_type = std::ptrdiff_t;
    /// No pointer: views are returned by value.
    using pointer = void;
    /// A view, by value (it is only a pointer into the JSON).
    using reference = V;

    Iterator() = default;
    /// @brief An iterator at @p it.
    explicit Iterator(Json::array_t::const_iterator it) : it_(it) {}
    /// @brief The view of the current element.
    V operator*() const { return V(*it_); }
    /// @brief The view @p n elements on.
    V operator[](difference_type n) const { return V(it_[n]); }
    /// @brief Next element.
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    /// @brief Next element (postfix).
    Iterator operator++(int) {
      Iterator out = *this;
      ++it_;
      return out;
    }
    /// @brief Previous element.
    Iterator& operator--() {
      --it_;
      return *this;
    }
    /// @brief Moves by @p n.
    Iterator& operator+=(difference_type n) {
      it_ += n;
      return *this;
    }
    /// @brief An iterator @p n elements on.
    friend Iterator operator+(Iterator a, difference_type n) { return a += n; }
    /// @brief The distance between two iterators of one range.
    friend difference_type operator-(const Iterator& a, const Iterator& b) { return a.it_ - b.it_; }
    /// @brief Same position.
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.it_ == b.it_; }
    /// @brief Different positions.
    friend bool operator!=(const Iterator& a, const Iterator& b) { return a.it_ != b.it_; }

   private:
    Json::array_t::const_iterator it_{};
  };

  /// @brief An empty range (the connection is absent or null).
  ListView() = default;
  /// @brief The range over @p array, which must be a JSON array whose elements are objects or
  /// strings (checked by `RecordView`, which builds these).
  explicit ListView(const Json& array) : array_(&array.get_ref<const Json::array_t&>()) {}

  /// @brief First element.
  [[nodiscard]] Iterator begin() const { return array_ ? Iterator(array_->begin()) : Iterator(); }
  /// @brief Past the last element.
  [[nodiscard]] Iterator end() const { return array_ ? Iterator(array_->end()) : Iterator(); }
  /// @brief Number of connected records.
  [[nodiscard]] std::size_t size() const noexcept { return array_ ? array_->size() : 0; }
  /// @brief Whether there are none.
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// @brief The view of element @p i. @throw InvalidArgumentError when out of range.
  [[nodiscard]] V at(std::size_t i) const {
    if (i >= size()) {
      throw InvalidArgumentError("index " + std::to_string(i) + " is past the " +
                                 std::to_string(size()) + " connected records");
    }
    return V((*array_)[i]);
  }
  /// @brief The view of element @p i, as `at` (checked: the same error when out of range).
  [[nodiscard]] V operator[](std::size_t i) const { return at(i); }
  /// @brief The first element's view. @throw InvalidArgumentError when empty.
  [[nodiscard]] V front() const { return at(0); }
  /// @brief The last element's view. @throw InvalidArgumentError when empty.
  [[nodiscard]] V back() const { return at(size() == 0 ? 0 : size() - 1); }

  /// @brief Owning, writable records of every element (each JSON copied; bare ids become
  /// `{"id"}`): what to keep past the record this range reads, or to change and send.
  template <class R = typename V::RecordType>
  [[nodiscard]] std::vector<R> to_records() const {
    std::vector<R> out;
    out.reserve(size());
    for (V view : *this)
      out.push_back(view.to_record());
    return out;
  }
  /// @brief `to_records()`, implicitly: `std::vector<Task> tasks = order.tasks();` keeps compiling
  /// and copies, as it always did.
  template <class R, class W = V,
            std::enable_if_t<std::is_same_v<R, typename W::RecordType>, int> = 0>
  operator std::vector<R>() const {  // NOLINT: implicit by design (source compatibility)
    return to_records<R>();
  }

 private:
  const Json::array_t* array_ = nullptr;
};

/// @brief Base of the generated read-only views (`OrderView`, `TaskView`, ...): a pointer to one
/// record's JSON (or to a bare id string, as a list connection may hold), with typed getters of
/// the common fields; the generated views add the object's own.
///
/// Thread safety: as `ListView`.
template <class Self>
class RecordView {
 public:
  /// @brief A view of @p json, a record object or a bare id string. Keeps a pointer only.
  explicit RecordView(const Json& json) noexcept : json_(&json) {}

  /// @brief The record's JSON as it is.
  [[nodiscard]] const Json& json() const noexcept { return *json_; }
  /// @brief Whether @p field is present (it may be JSON null).
  [[nodiscard]] bool has(std::string_view field) const { return find(field) != nullptr; }
  /// @brief The value of @p field, or null when absent: a pointer into the record, no copy.
  [[nodiscard]] const Json* find(std::string_view field) const {
    if (!json_->is_object()) {
      // A bare id in a list connection: only its id is known.
      return field == "id" && json_->is_string() ? json_ : nullptr;
    }
    return detail::find_field_value(*json_, Self::kObjectKey, field);
  }
  /// @brief The value of @p field as @p T (a copy of that value only), or nothing when absent or
  /// null. @throw MalformedResponseError when it does not have the expected shape.
  template <class T>
  [[nodiscard]] std::optional<T> get_as(std::string_view field) const {
    return detail::read_value<T>(*json_, field, find(field));
  }
  /// @brief The value of @p field as an instant in UTC (an RFC 3339 timestamp such as
  /// "2024-04-02T14:52:26.409Z"), or nothing when absent or null.
  /// @throw MalformedResponseError when it is not such a timestamp.
  [[nodiscard]] std::optional<Timestamp> get_time(std::string_view field) const {
    return detail::read_timestamp(*json_, field, find(field));
  }
  /// @brief Whether the connection @p connection came with the record: true when it is present
  /// (even as null or an empty list), false when the record was read without it (its getter
  /// then throws `NotLoadedError`).
  [[nodiscard]] bool loaded(std::string_view connection) const { return has(connection); }
  /// @brief Whether the typed connection @p connection came with the record
  /// (`view.loaded(Order::tasks_path)`).
  template <class Owner, class Target>
  [[nodiscard]] bool loaded(const Connection<Owner, Target>& connection) const {
    return has(connection.name);
  }
  /// @brief An owning, writable record of this one (copies the JSON; bare ids become `{"id"}`).
  template <class S = Self>
  [[nodiscard]] typename S::RecordType to_record() const {
    if (json_->is_string())
      return S::RecordType::from_json(Json{{"id", *json_}});
    return S::RecordType::from_json(*json_);
  }
  /// @brief `to_record()`, implicitly: `const Task& task = order.tasks()[0];` and
  /// `for (const Task& task : order.tasks())` keep compiling; each such conversion copies.
  template <class R, class S = Self,
            std::enable_if_t<std::is_same_v<R, typename S::RecordType>, int> = 0>
  operator R() const {  // NOLINT: implicit by design (source compatibility)
    return to_record<S>();
  }

  // Typed getters of the common fields, generated from the catalog.
#define RR_COMMON(cpp, wire, type, access, description)                 \
  [[nodiscard]] std::optional<ValueType<FieldType::type>> cpp() const { \
    return get_as<ValueType<FieldType::type>>(#wire);                   \
  }                                                                     \
  RR_TIME_GETTER_##type(cpp, wire)
#include "roserocket/model/catalog.def"

 protected:
  /// @brief The connected record @p field as a view; nothing when null (or absent from a new
  /// record). @throw NotLoadedError when absent from a stored record.
  template <class V>
  [[nodiscard]] std::optional<V> view_one(std::string_view field) const {
    const Json* value = find(field);
    if (value == nullptr && detail::is_stored_record(*json_))
      detail::throw_not_loaded(*json_, Self::kObjectKey, field);
    if (value == nullptr || value->is_null())
      return std::nullopt;
    if (!value->is_object() && !value->is_string())
      detail::throw_bad_field_value(*json_, field, "expected a connected record (an object)");
    return V(*value);
  }
  /// @brief The list connection @p field as a range of views; empty when null (or absent from a
  /// new record). @throw NotLoadedError when absent from a stored record.
  template <class V>
  [[nodiscard]] ListView<V> view_many(std::string_view field) const {
    const Json* value = find(field);
    if (value == nullptr && detail::is_stored_record(*json_))
      detail::throw_not_loaded(*json_, Self::kObjectKey, field);
    const Json* list = detail::checked_list(*json_, field, value);
    return list == nullptr ? ListView<V>() : ListView<V>(*list);
  }

 private:
  const Json* json_;
};

}  // namespace roserocket::model
