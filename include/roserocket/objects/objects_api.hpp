#pragma once

/// @file
/// @brief `ObjectsApi`: every record operation of `/api/v2/platformModel/objects`.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/model/values.hpp"
#include "roserocket/paging.hpp"

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
  /// Budget of the whole call, every attempt and backoff included; zero means none. When it runs
  /// out the call throws `DeadlineExceededError` (which says how many attempts were made).
  /// Each attempt's timeout is cut to what is left. For `search_all` and other walks, it bounds
  /// each page's call.
  std::chrono::milliseconds deadline{0};
  /// Replaces the client's retry policy for this call, e.g. `RetryPolicy::none()`.
  std::optional<RetryPolicy> retry;
  /// Cancels the call from another thread: `CancellationSource::cancel()` aborts the transfer
  /// in flight and any backoff wait; the call throws `CancelledError`.
  CancellationToken cancellation;
  /// When not null, filled in on success with the status, headers, request id, attempts and
  /// elapsed time of the answer (for walks: of the last page fetched). Must outlive the call.
  ResponseMetadata* metadata = nullptr;
};

/// @brief What an upsert did, as far as the answer tells (docs/external-ids.md: which route
/// tells what, and how the record's `version`, `createdAt` and `updatedAt` are read).
enum class UpsertOutcome {
  /// The answer does not tell (a record without `version`, say).
  kUnknown,
  /// The server created the record: it answered 201, or the call was `upsert` without an
  /// external id (which always creates).
  kCreated,
  /// The record existed before the call: the server answered 200 where it tells 201 from 200
  /// (`upsert` by external id), or the record came back at `version` 2 or more. Its fields now
  /// hold what was sent; nothing may have changed.
  kUpdated,
  /// The record came back at `version` 1 with `createdAt` equal to `updatedAt` on a route that
  /// answers 200 either way: created by this call, or a record never changed since its creation
  /// that already held every value sent (a write that changes nothing keeps the version).
  kCreatedOrUnchanged,
};

/// @brief Result of an upsert: the record, and what the call did to it.
struct ROSEROCKET_API UpsertResult {
  /// The record as the server answered.
  Json record;
  /// True only when the record is known to have been created (`outcome == kCreated`); false
  /// when it was updated or when the answer does not tell (see `outcome`).
  bool created = false;
  /// What the call did, as far as the answer tells.
  UpsertOutcome outcome = UpsertOutcome::kUnknown;
};

/// @brief The name of @p outcome: "created", "updated", "createdOrUnchanged" or "unknown".
ROSEROCKET_API const char* to_string(UpsertOutcome outcome) noexcept;

/// @brief Result of `ObjectsApi::upsert_nested`: the record, whether it was created, and what
/// happened to its nested records (paths such as "json.tasks[0]", in body order).
struct ROSEROCKET_API NestedUpsertResult {
  /// The record as the server answered.
  Json record;
  /// True on 201 (created), false on 200 (updated).
  bool created = false;
  /// Nested records whose external id matched an existing record: their `id` was filled in,
  /// so the write updated them.
  std::vector<std::string> linked;
  /// Nested records with an external id that no record had yet: this write created them; a
  /// repeat finds them and updates them.
  std::vector<std::string> created_by_external_id;
  /// Nested records with neither id nor external id: every repeat of the write creates them
  /// again.
  std::vector<std::string> unkeyed;

  /// @brief Whether repeating the same call can create nothing twice (`unkeyed` is empty).
  [[nodiscard]] bool repeatable() const noexcept { return unkeyed.empty(); }
};

/// @brief A typed `NestedUpsertResult`: `Resource<T>::upsert_nested` and the typed
/// `BulkEngine::upsert_nested_many` return it.
template <class T>
struct TypedNestedUpsert {
  /// The record as the server answered.
  T record;
  /// True on 201 (created), false on 200 (updated).
  bool created = false;
  /// Nested records matched to an existing record by external id (see `NestedUpsertResult`).
  std::vector<std::string> linked;
  /// Nested records this write created under their external id.
  std::vector<std::string> created_by_external_id;
  /// Nested records with neither id nor external id: created again by every repeat.
  std::vector<std::string> unkeyed;

  /// @brief Whether repeating the same call can create nothing twice.
  [[nodiscard]] bool repeatable() const noexcept { return unkeyed.empty(); }

  /// @brief The typed form of @p result, its record read as @p T.
  /// @param result the untyped result.
  static TypedNestedUpsert from(NestedUpsertResult&& result) {
    return TypedNestedUpsert{T::from_json(std::move(result.record)), result.created,
                             std::move(result.linked), std::move(result.created_by_external_id),
                             std::move(result.unkeyed)};
  }
};

/// @brief A search filter's operator: the thirteen documented ones as constants
/// (`SearchOperator::kIn`), and any other string passed through unchanged (for operators the
/// platform adds later). A value type.
class ROSEROCKET_API SearchOperator : public model::OpenEnum<SearchOperator> {
 public:
  /// Name used in error messages.
  static constexpr const char* kEnumName = "SearchOperator";
  using OpenEnum<SearchOperator>::OpenEnum;
  /// The documented operator "in".
  static constexpr model::EnumConstant<SearchOperator> kIn{"in"};
  /// The documented operator "notIn".
  static constexpr model::EnumConstant<SearchOperator> kNotIn{"notIn"};
  /// The documented operator "equals".
  static constexpr model::EnumConstant<SearchOperator> kEquals{"equals"};
  /// The documented operator "notEquals".
  static constexpr model::EnumConstant<SearchOperator> kNotEquals{"notEquals"};
  /// The documented operator "contains".
  static constexpr model::EnumConstant<SearchOperator> kContains{"contains"};
  /// The documented operator "startsWith".
  static constexpr model::EnumConstant<SearchOperator> kStartsWith{"startsWith"};
  /// The documented operator "endsWith".
  static constexpr model::EnumConstant<SearchOperator> kEndsWith{"endsWith"};
  /// The documented operator "hasEvery".
  static constexpr model::EnumConstant<SearchOperator> kHasEvery{"hasEvery"};
  /// The documented operator "hasSome".
  static constexpr model::EnumConstant<SearchOperator> kHasSome{"hasSome"};
  /// The documented operator "empty".
  static constexpr model::EnumConstant<SearchOperator> kEmpty{"empty"};
  /// The documented operator "notEmpty".
  static constexpr model::EnumConstant<SearchOperator> kNotEmpty{"notEmpty"};
  /// The documented operator "freeText".
  static constexpr model::EnumConstant<SearchOperator> kFreeText{"freeText"};
  /// The documented operator "between".
  static constexpr model::EnumConstant<SearchOperator> kBetween{"between"};
  /// @brief Whether the value is one of the thirteen documented operators.
  [[nodiscard]] bool is_known() const noexcept;
};

/// @brief A sort direction: `SortDirection::kAsc` or `kDesc`; another string passes through
/// unchanged. Empty means "not sent" (the server's default, ascending). A value type.
class ROSEROCKET_API SortDirection : public model::OpenEnum<SortDirection> {
 public:
  /// Name used in error messages.
  static constexpr const char* kEnumName = "SortDirection";
  using OpenEnum<SortDirection>::OpenEnum;
  /// "asc": ascending.
  static constexpr model::EnumConstant<SortDirection> kAsc{"asc"};
  /// "desc": descending.
  static constexpr model::EnumConstant<SortDirection> kDesc{"desc"};
  /// @brief Whether the value is "asc" or "desc".
  [[nodiscard]] bool is_known() const noexcept;
};

/// @brief One search filter: `{filterKey, path, operator, value, fieldType}`.
///
/// Written with a factory, `SearchFilter::in("status", {"booked", "in transit"})`, or braced,
/// `{"status", SearchOperator::kIn, Json::array({"booked"})}`: the members left out of a braced
/// filter take their defaults (no `-Wmissing-field-initializers` warning).
struct ROSEROCKET_API SearchFilter {
  /// The field's path, e.g. "status" or "customer.name".
  std::string path{};
  /// The operator; see `SearchOperator` for the documented ones.
  SearchOperator op = SearchOperator::kEquals;
  /// The value compared with; its shape depends on `op` (a list for `in`, ...).
  Json value{};
  /// Defaults to `path` when empty.
  std::string filter_key{};
  /// Optional field type hint ("string", "number", "date", ...).
  std::string field_type{};

  /// @brief `path in values`: the field holds one of @p values (a JSON array).
  /// @throw InvalidArgumentError when @p values is not an array.
  static SearchFilter in(std::string path, Json values);
  /// @brief `path notIn values`. @throw InvalidArgumentError when @p values is not an array.
  static SearchFilter not_in(std::string path, Json values);
  /// @brief `path equals value` (for a select field, use `in`: see docs/search.md).
  static SearchFilter equals(std::string path, Json value);
  /// @brief `path notEquals value`.
  static SearchFilter not_equals(std::string path, Json value);
  /// @brief `path contains text`.
  static SearchFilter contains(std::string path, std::string text);
  /// @brief `path startsWith text`.
  static SearchFilter starts_with(std::string path, std::string text);
  /// @brief `path endsWith text`.
  static SearchFilter ends_with(std::string path, std::string text);
  /// @brief `path hasEvery values`: a list field holds every one of @p values.
  /// @throw InvalidArgumentError when @p values is not an array.
  static SearchFilter has_every(std::string path, Json values);
  /// @brief `path hasSome values`: a list field holds at least one of @p values.
  /// @throw InvalidArgumentError when @p values is not an array.
  static SearchFilter has_some(std::string path, Json values);
  /// @brief `path empty`: the field has no value.
  static SearchFilter empty(std::string path);
  /// @brief `path notEmpty`: the field has a value.
  static SearchFilter not_empty(std::string path);
  /// @brief `path freeText text`.
  static SearchFilter free_text(std::string path, std::string text);
  /// @brief `path between [from, to]`, both ends included; a null end is open (not on a date
  /// field: see docs/search.md).
  static SearchFilter between(std::string path, Json from, Json to);
};

/// @brief Whether a search refuses, before sending it, a filter combination that live servers
/// answer with 500 (docs/search.md): a date field with `between`, a select field with `equals`, a
/// derived field with `in`, on a field of the searched object that the catalog knows.
enum class FilterCheck {
  /// Refuse such a filter with `InvalidArgumentError` naming the replacement (the default).
  kRefuseKnownFailures,
  /// Send every filter as it is (for a server known to answer it).
  kSendAnyway,
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
  /// `SortDirection::kAsc` or `kDesc`; not sent when empty.
  SortDirection order_by_direction;
  /// Records per answer; the server's default is 100 when not sent.
  std::optional<int> limit;
  /// IANA time zone for date filters, e.g. "America/Toronto"; none when empty.
  std::string timezone;
  /// Connected objects to return with each result.
  std::vector<std::string> paths;
};

/// @brief Answer of a search: one page of records, the server's count of all matching records,
/// and whether more match than this page holds.
struct ROSEROCKET_API SearchResult {
  /// The server's count of matching records (approximate, the vendor says); 0 when not sent.
  std::int64_t total = 0;
  /// True when more records match than were returned: `total` exceeds the page, or (without a
  /// total) the page is full. Use `search_all` to read them all.
  bool has_more = false;
  /// This page's records.
  std::vector<Json> results;
};

/// @brief How `search_all` walks a search page by page: the one replaceable piece of the walk.
///
/// The platform documents no offset or cursor for search, so the SDK's default
/// (`make_keyset_paging`) pages by keyset with filters (see docs/adr/0010-search-keyset-paging.md).
/// When the platform publishes a pagination object, an implementation of this interface that
/// uses it can take the default's place through `SearchAllOptions::paging`.
///
/// One object serves one walk. Thread safety: none needed; a walk runs on one thread.
class ROSEROCKET_API SearchPaging {
 public:
  virtual ~SearchPaging() = default;
  /// @brief The request for the next page, or nothing when the walk is complete.
  virtual std::optional<SearchRequest> next_request() = 0;
  /// @brief Takes the answer to the request `next_request()` returned last.
  /// @return the records to yield, in order (possibly none while the walk goes on).
  /// @throw MalformedResponseError when the answer cannot advance the walk (a server that
  /// ignores the paging filters would otherwise be asked for ever).
  virtual std::vector<Json> accept(SearchResult page) = 0;
};

/// @brief Makes the paging of one walk over @p request, asking @p page_size records a time.
using SearchPagingFactory =
    std::function<std::unique_ptr<SearchPaging>(const SearchRequest& request, int page_size)>;

/// @brief The SDK's keyset paging: orders by `request.order_by_path` (default `createdAt`),
/// excludes by id what it has yielded at the boundary key, and never sends the filter
/// combinations live servers answer with 500 (see docs/search.md).
/// @throw InvalidArgumentError for a page size below 1, an order path with a dot, a direction
/// other than asc/desc, or `filters_operator` "or" over more than one filter.
[[nodiscard]] ROSEROCKET_API std::unique_ptr<SearchPaging> make_keyset_paging(
    const SearchRequest& request, int page_size);

/// @brief How `search_all` pages.
struct SearchAllOptions {
  /// Records per request; keep it at or below the server's largest page (100 is its default).
  int page_size = 100;
  /// The paging strategy; empty means `make_keyset_paging`.
  SearchPagingFactory paging;
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
/// Writes keyed by id or external id are retried like reads, unless their body creates nested
/// records (a nested object without `id`, such as an order's new tasks): those are never sent
/// again once they may have reached the server (see `upsert_nested` and docs/external-ids.md).
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

  /// @brief The idempotent nested upsert: `upsert_by_external_id` after each nested record that
  /// carries an external id and no id (at any depth: an order's tasks, their commodities) was
  /// looked up by that external id (`GET /objects/{objectKey}/{externalId}/external`) and, when
  /// found, given its `id`. Repeating the call then updates those records instead of creating
  /// them again, so it is safe to repeat until acknowledged, as long as every nested record
  /// carries an id or an external id (`NestedUpsertResult::repeatable()`).
  ///
  /// A nested record's object comes from its `objectKey`, else from the catalog's connection.
  /// The lookups use @p options' headers, timeouts, deadline (each its own), retry policy and
  /// cancellation; the write uses all of @p options. While the write still creates a nested
  /// record, the SDK never sends it twice once it may have arrived: repeating it is the
  /// caller's decision.
  /// @param object_key the record's object, e.g. "order".
  /// @param external_id the record's external id (the upsert's key).
  /// @param fields the record's fields with its nested records.
  /// @param options as for `upsert_by_external_id`.
  /// @return the record, and which nested records were linked, created or left unkeyed.
  /// @throw InvalidArgumentError before any request for an empty key, @p fields not an object,
  /// an external id that is not a non-empty string, a nested record with an external id whose
  /// object is unknown, or one external id twice for one object; the lookups' and the write's
  /// errors otherwise (a 404 lookup only means "not there yet").
  NestedUpsertResult upsert_nested(std::string_view object_key, std::string_view external_id,
                                   const Json& fields, const RequestOptions& options = {}) const;

  /// @brief `DELETE /objects/{objectKey}/{externalId}/external`.
  std::optional<Json> remove_by_external_id(std::string_view object_key,
                                            std::string_view external_id,
                                            const RequestOptions& options = {}) const;

  /// @brief `POST /objects/bulk_delete {boardId, objectKey, ids}`.
  void bulk_remove(std::string_view object_key, const std::vector<std::string>& ids,
                   const RequestOptions& options = {}) const;

  /// @brief `POST /objects/search`: one page. `has_more` says whether more records match.
  ///
  /// When `request.object_key` is set, a filter combination live servers answer with 500 is
  /// refused before sending (see `FilterCheck`; the overload with a `FilterCheck` opts out).
  /// @throw InvalidArgumentError for an empty board id or such a filter;
  /// MalformedResponseError for an answer without `results[]` or whose `total` is not a count.
  SearchResult search(const SearchRequest& request, const RequestOptions& options = {}) const;

  /// @brief `search` with the local check of filters chosen by @p check.
  SearchResult search(const SearchRequest& request, const RequestOptions& options,
                      FilterCheck check) const;

  /// @brief Every record matching @p request, exactly once, in the requested order, fetched
  /// page by page as the range is iterated (`for (const Json& r : api.search_all(req))`).
  ///
  /// `request.limit` is ignored (`all.page_size` is used). Records created during the walk may
  /// or may not appear; none that existed when it started is skipped or repeated.
  /// @p options apply to each page's call (deadline, cancellation, metadata of the last page).
  /// @throw InvalidArgumentError (at once) for an empty board id or a request the paging
  /// refuses (see `make_keyset_paging`); page errors are thrown while iterating.
  [[nodiscard]] PagedRange<Json> search_all(const SearchRequest& request,
                                            const RequestOptions& options = {},
                                            const SearchAllOptions& all = {}) const;

  /// @brief `search_all` with the local check of filters chosen by @p check (every page's
  /// request is checked, the first one before the range is returned).
  [[nodiscard]] PagedRange<Json> search_all(const SearchRequest& request,
                                            const RequestOptions& options,
                                            const SearchAllOptions& all, FilterCheck check) const;

  /// @brief The local check `search` makes before sending: with @p check
  /// `kRefuseKnownFailures` and `request.object_key` set, a filter that live servers answer with
  /// 500 is refused (see `FilterCheck`). Sends nothing.
  /// @throw InvalidArgumentError naming the field, the object and what to use instead.
  static void check_filters(const SearchRequest& request,
                            FilterCheck check = FilterCheck::kRefuseKnownFailures);

  /// @brief The id of the first board that shows records of @p object_key (`Boards::first_for`),
  /// found once per client and remembered: every copy of the client shares the answer, and
  /// later calls send no request. The typed facades' searches use it when the request names no
  /// board. Thread-safe; two threads asking at once may both send the lookup.
  /// @param object_key the object, e.g. "order".
  /// @param options headers, timeout, deadline, retry policy and cancellation of the lookup.
  /// @throw InvalidArgumentError for an empty key, or when no board shows @p object_key records
  /// (the message names the object and says to set `SearchRequest::board_id`); the lookup's
  /// errors otherwise (nothing is remembered then).
  [[nodiscard]] std::string board_for(std::string_view object_key,
                                      const RequestOptions& options = {}) const;

  /// @brief `GET /objects/autocomplete?objectKey=&searchTerm=&ids=&labelPath=`.
  /// @return the server's answer (a list of records in practice).
  Json autocomplete(const AutocompleteRequest& request, const RequestOptions& options = {}) const;

  /// @brief The client the requests go through.
  [[nodiscard]] const Client& client() const noexcept { return client_; }

 private:
  Client client_;
};

}  // namespace roserocket
