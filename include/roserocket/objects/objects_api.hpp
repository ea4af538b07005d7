#pragma once

/// @file
/// @brief `ObjectsApi`: every record operation of `/api/v2/platformModel/objects`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief The JSON type of every untyped record (nlohmann::json).
using Json = nlohmann::json;

/// @brief Options most record operations take.
struct ROSEROCKET_API RequestOptions {
  /// Connected objects to return, dot paths allowed ("tasks", "tasks.commodities"). Sent as one
  /// comma-separated `paths` query parameter on reads, and as a `paths` array in write bodies.
  std::vector<std::string> paths;
  /// The board the record is accessed through.
  std::optional<std::string> board_id;
  /// `isDetailView` on get.
  std::optional<bool> is_detail_view;
  /// Sent as `objectKey=` on get, as the seeds do; the server ignores it.
  std::optional<std::string> object_key_hint;
  /// Extra headers for this call.
  Headers headers;
  /// Overrides the client's per-attempt timeout when non-zero.
  std::chrono::milliseconds timeout{0};
};

/// @brief Result of an upsert: the record, and whether the server created it (201) or updated
/// (200).
struct ROSEROCKET_API UpsertResult {
  /// The record as the server answered.
  Json record;
  /// True on 201 (created), false on 200 (updated).
  bool created = false;
};

/// @brief One search filter: `{filterKey, path, operator, value, fieldType}`.
struct ROSEROCKET_API SearchFilter {
  /// The field's path, e.g. "status" or "customer.name".
  std::string path;
  /// One of: in notIn equals notEquals contains startsWith endsWith hasEvery hasSome empty
  /// notEmpty freeText between.
  std::string op = "equals";
  /// The value compared with; its shape depends on `op` (a list for `in`, ...).
  Json value;
  /// Defaults to `path` when empty.
  std::string filter_key;
  /// Optional field type hint ("string", "number", "date", ...).
  std::string field_type;
};

/// @brief Body of `POST /objects/search`.
struct ROSEROCKET_API SearchRequest {
  /// Required by the API: the board searched, which decides the object key (see `Boards`).
  std::string board_id;
  /// Optional: sent as `objectKey` when set, so a server can check it matches the board.
  std::string object_key;
  /// The filters, combined with `filters_operator`.
  std::vector<SearchFilter> filters;
  /// "and" or "or".
  std::string filters_operator = "and";
  /// The field the results are sorted by; none when empty.
  std::string order_by_path;
  /// "asc" or "desc".
  std::string order_by_direction;
  /// The page size; the server's default when absent.
  std::optional<int> limit;
  /// IANA time zone for date filters, e.g. "America/Toronto"; none when empty.
  std::string timezone;
  /// Connected objects to return with each result.
  std::vector<std::string> paths;
};

/// @brief Answer of a search: an approximate total and one page of records.
struct ROSEROCKET_API SearchResult {
  /// The server's approximate count of matching records.
  double total = 0;
  /// This page's records.
  std::vector<Json> results;
};

/// @brief Query of `GET /objects/autocomplete`.
struct ROSEROCKET_API AutocompleteRequest {
  /// The object searched, e.g. "customer".
  std::string object_key;
  /// The text typed so far.
  std::string search_term;
  /// Records to return whatever the term (e.g. the ones already chosen).
  std::vector<std::string> ids;
  /// The field shown as each record's label, e.g. "name".
  std::string label_path;
};

/// @brief Record operations over one `Client`: create, upsert, get, update, remove, the
/// external-id forms, bulk remove, search and autocomplete.
///
/// Ids and external ids are percent-encoded into paths, so no input changes the path or query.
/// Empty object keys, ids and external ids are refused with `InvalidArgumentError` before any
/// request. Cheap to copy; thread-safe as `Client` is.
class ROSEROCKET_API ObjectsApi {
 public:
  /// @brief The record operations over @p client (copied; copies share everything).
  /// @param client the client the requests go through.
  explicit ObjectsApi(Client client);

  /// @brief `POST /objects {objectKey, json, paths}`. Nested records without `id` in @p fields
  /// are created with it. Never retried once it may have reached the server.
  Json create(std::string_view object_key, const Json& fields,
              const RequestOptions& options = {}) const;

  /// @brief `PATCH /objects {objectKey, json, paths}`: upsert by the `externalId` inside
  /// @p fields (the vendor's form), or create when there is none.
  UpsertResult upsert(std::string_view object_key, const Json& fields,
                      const RequestOptions& options = {}) const;

  /// @brief `PATCH /objects {id, objectKey, json}`: the seeds' form, updating the record @p id
  /// (or creating it with that id).
  UpsertResult upsert_by_id(std::string_view object_key, std::string_view id, const Json& fields,
                            const RequestOptions& options = {}) const;

  /// @brief `GET /objects/{id}?paths=...&boardId=...&isDetailView=...`.
  Json get(std::string_view id, const RequestOptions& options = {}) const;

  /// @brief `PUT /objects/{id} {objectKey, json, boardId, paths}`: sets the fields in @p fields.
  Json update(std::string_view object_key, std::string_view id, const Json& fields,
              const RequestOptions& options = {}) const;

  /// @brief `DELETE /objects/{id}?boardId=...`.
  /// @return the deleted record, or nothing when the server answered 204.
  std::optional<Json> remove(std::string_view id, const RequestOptions& options = {}) const;

  /// @brief `GET /objects/{objectKey}/{externalId}/external`.
  Json get_by_external_id(std::string_view object_key, std::string_view external_id,
                          const RequestOptions& options = {}) const;

  /// @brief `PATCH /objects/{objectKey}/{externalId}/external {objectKey, json}`.
  UpsertResult upsert_by_external_id(std::string_view object_key, std::string_view external_id,
                                     const Json& fields, const RequestOptions& options = {}) const;

  /// @brief `DELETE /objects/{objectKey}/{externalId}/external`.
  std::optional<Json> remove_by_external_id(std::string_view object_key,
                                            std::string_view external_id,
                                            const RequestOptions& options = {}) const;

  /// @brief `POST /objects/bulk_delete {boardId, objectKey, ids}`.
  void bulk_remove(std::string_view object_key, const std::vector<std::string>& ids,
                   const RequestOptions& options = {}) const;

  /// @brief `POST /objects/search`.
  SearchResult search(const SearchRequest& request, const RequestOptions& options = {}) const;

  /// @brief `GET /objects/autocomplete?objectKey=&searchTerm=&ids=&labelPath=`.
  /// @return the server's answer (a list of records in practice).
  Json autocomplete(const AutocompleteRequest& request, const RequestOptions& options = {}) const;

  /// @brief The client the requests go through.
  [[nodiscard]] const Client& client() const noexcept { return client_; }

 private:
  Client client_;
};

}  // namespace roserocket
