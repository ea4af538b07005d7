#pragma once

/// @file
/// @brief An ordered, case-insensitive list of HTTP header fields.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief HTTP header fields, kept in insertion order; names compare case-insensitively.
///
/// Value type. Not synchronised: a `Headers` object must not be written by one thread while
/// another reads it.
class ROSEROCKET_API Headers {
 public:
  /// @brief One header: name and value, as given.
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  /// @brief Builds from a list such as `{{"Accept", "application/json"}}`.
  Headers(std::initializer_list<Field> fields);

  /// @brief Replaces every field called @p name with one field of @p value.
  void set(std::string_view name, std::string value);
  /// @brief Appends a field, keeping any of the same name.
  void add(std::string name, std::string value);
  /// @brief Removes every field called @p name.
  void remove(std::string_view name);
  /// @brief The first value of @p name, if present.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  /// @brief Whether a field called @p name is present.
  [[nodiscard]] bool contains(std::string_view name) const;

  /// @brief Every header, in insertion order.
  [[nodiscard]] const std::vector<Field>& fields() const noexcept { return fields_; }
  /// @brief Whether there is no header.
  [[nodiscard]] bool empty() const noexcept { return fields_.empty(); }
  /// @brief How many headers there are.
  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  /// @brief The first header (`Field`), for range-for.
  [[nodiscard]] auto begin() const noexcept { return fields_.begin(); }
  /// @brief Past the last header.
  [[nodiscard]] auto end() const noexcept { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

/// @brief ASCII case-insensitive equality, as HTTP field names compare.
[[nodiscard]] ROSEROCKET_API bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace roserocket
