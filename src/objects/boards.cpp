#include "roserocket/objects/boards.hpp"

#include "objects/request_util.hpp"

namespace roserocket {

Board Board::from_json(const Json& json) {
  if (!json.is_object()) {
    throw InvalidArgumentError(std::string("a board must be a JSON object, not ") +
                               json.type_name());
  }
  Board b;
  b.id = detail::string_at(json, "id");
  b.name = detail::string_at(json, "name");
  if (auto it = json.find("icon"); it != json.end() && it->is_string()) {
    b.icon = it->get<std::string>();
  }
  b.object_key = detail::string_at(json, "objectKey");
  b.created_at = detail::string_at(json, "createdAt");
  if (auto it = json.find("isExternal"); it != json.end() && it->is_boolean()) {
    b.is_external = it->get<bool>();
  }
  b.json = json;
  return b;
}

Boards::Boards(Client client) : client_(std::move(client)) {}

std::vector<Board> Boards::list(const BoardQuery& query, const RequestOptions& options) const {
  constexpr const char* kOp = "boards.list";
  if (query.offset && *query.offset < 0)
    detail::invalid(kOp, "offset must not be negative");
  if (query.limit && *query.limit < 1)
    detail::invalid(kOp, "limit must be at least 1");
  ApiRequest r = detail::make_request(kOp, HttpMethod::kGet, "/boards/nav", options);
  if (query.object_key)
    r.query.emplace_back("objectKey", *query.object_key);
  if (!query.order_by.is_null())
    r.query.emplace_back("orderBy", query.order_by.dump());
  if (query.order_by_direction) {
    r.query.emplace_back("orderByDirection", query.order_by_direction->value());
  }
  if (query.offset)
    r.query.emplace_back("offset", std::to_string(*query.offset));
  if (query.limit)
    r.query.emplace_back("limit", std::to_string(*query.limit));
  ApiResponse response = client_.call(r);
  if (!response.body.is_array()) {
    detail::malformed(client_, r, response.status,
                      std::string("expected a list of boards, got ") + response.body.type_name());
  }
  std::vector<Board> out;
  out.reserve(response.body.size());
  for (const auto& item : response.body) {
    if (!item.is_object())
      detail::malformed(client_, r, response.status, "a board is not an object");
    out.push_back(Board::from_json(item));
  }
  return out;
}

PagedRange<Board> Boards::list_range(BoardQuery query, int page_size,
                                     const RequestOptions& options) const {
  query.limit = page_size;
  const int first = query.offset.value_or(0);
  Boards boards = *this;
  return detail::offset_range<Board>(
      "boards.list_all", first, page_size,
      [boards, query, options](int offset) mutable {
        query.offset = offset;
        return detail::OffsetPage<Board>{boards.list(query, options), 0};
      },
      [](const Board& b) { return b.id; });
}

std::vector<Board> Boards::list_all(BoardQuery query, int page_size,
                                    const RequestOptions& options) const {
  return list_range(std::move(query), page_size, options).to_vector();
}

std::optional<Board> Boards::first_for(std::string_view object_key,
                                       const RequestOptions& options) const {
  detail::require_non_empty(object_key, "object key", "boards.first_for");
  BoardQuery query;
  query.object_key = std::string(object_key);
  for (auto& b : list(query, options)) {
    if (b.object_key == object_key)
      return b;
  }
  return std::nullopt;
}

}  // namespace roserocket
