#pragma once

/// @file
/// @brief `Boards`: `GET /boards/nav`, the boards a user navigates by. A board's id is the
/// `boardId` that search (required) and other record operations take.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/paging.hpp"

namespace roserocket {

/// @brief One board of the navigation list. A value type.
struct ROSEROCKET_API Board {
  /// The board's id: the `boardId` of record operations.
  std::string id;
  /// Its name in the product.
  std::string name;
  /// Its icon, when it has one.
  std::optional<std::string> icon;
  /// The object key of the records it shows, e.g. "order".
  std::string object_key;
  /// When it was created (ISO-8601).
  std::string created_at;
  /// Whether it is an external board.
  bool is_external = false;
  /// Everything the server sent, unknown keys included.
  Json json = Json(Json::value_t::object);

  /// @brief Reads one item of the list; missing keys stay empty.
  /// @throw InvalidArgumentError when @p json is not an object.
  static Board from_json(const Json& json);
};

/// @brief Filters and paging of `GET /boards/nav` (sent as query parameters).
struct ROSEROCKET_API BoardQuery {
  /// Only boards of this object key.
  std::optional<std::string> object_key;
  /// The API's `orderBy` object; sent JSON-encoded when not null.
  Json order_by;
  /// `SortDirection::kAsc` or `kDesc`.
  std::optional<SortDirection> order_by_direction;
  /// Boards to skip.
  std::optional<int> offset;
  /// Boards per page.
  std::optional<int> limit;
};

/// @brief The boards navigation list. Cheap to copy; thread-safe as `Client` is.
///
/// The vendor's document describes the query of this GET as a JSON body; GET bodies are dropped
/// by many proxies, so the SDK sends the same names as query parameters.
class ROSEROCKET_API Boards {
 public:
  /// @brief Boards over @p client.
  explicit Boards(Client client);

  /// @brief `GET /boards/nav` once: one page. @throw InvalidArgumentError for a negative offset
  /// or a limit below 1.
  [[nodiscard]] std::vector<Board> list(const BoardQuery& query = {},
                                        const RequestOptions& options = {}) const;

  /// @brief Every board, fetched @p page_size at a time by offset while the range is iterated,
  /// until a short page (or a page that starts where the last one did: a server ignoring
  /// `offset`). @throw InvalidArgumentError (at once) for a page size below 1.
  [[nodiscard]] PagedRange<Board> list_range(BoardQuery query = {}, int page_size = 100,
                                             const RequestOptions& options = {}) const;

  /// @brief `list_range(query, page_size, options).to_vector()`: every board at once.
  [[nodiscard]] std::vector<Board> list_all(BoardQuery query = {}, int page_size = 100,
                                            const RequestOptions& options = {}) const;

  /// @brief The first board showing records of @p object_key, e.g. to search orders.
  [[nodiscard]] std::optional<Board> first_for(std::string_view object_key,
                                               const RequestOptions& options = {}) const;

 private:
  Client client_;
};

}  // namespace roserocket
