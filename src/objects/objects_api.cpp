#include "roserocket/objects/objects_api.hpp"

#include "core/client_state.hpp"
#include "objects/nested_writes.hpp"
#include "objects/object_requests.hpp"
#include "objects/request_util.hpp"
#include "roserocket/objects/boards.hpp"

namespace roserocket {
namespace {

using detail::make_request;
using detail::require_non_empty;

void require_object(const Json& fields, const char* operation) {
  if (!fields.is_object()) {
    detail::invalid(operation,
                    std::string("fields must be a JSON object, not ") + fields.type_name());
  }
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty())
      out += ',';
    out += p;
  }
  return out;
}

// The write envelope: {objectKey, json, paths?, boardId?}.
Json envelope(std::string_view object_key, const Json& fields, const RequestOptions& options,
              bool with_board) {
  Json body = Json::object();
  body["objectKey"] = object_key;
  body["json"] = fields;
  if (!options.paths.empty())
    body["paths"] = options.paths;
  if (with_board && options.board_id)
    body["boardId"] = *options.board_id;
  return body;
}

std::string external_path(std::string_view object_key, std::string_view external_id) {
  return "/objects/" + percent_encode(object_key) + "/" + percent_encode(external_id) + "/external";
}

void add_board(ApiRequest& r, const RequestOptions& options) {
  if (options.board_id)
    r.query.emplace_back("boardId", *options.board_id);
}

// What live servers answer with 500 (docs/search.md), for @p f on a field of @p object_key
// itself that the catalog knows: the problem and what to send instead; empty when nothing is
// known against it. Dotted paths and unknown fields are sent as they are.
std::string known_search_failure(std::string_view object_key, const SearchFilter& f) {
  if (f.path.find('.') != std::string::npos)
    return {};
  const model::FieldSpec* spec = model::find_field(object_key, f.path);
  if (spec == nullptr)
    return {};
  const std::string& op = f.op.value();
  const bool date = spec->type == model::FieldType::kTimestamp ||
                    spec->type == model::FieldType::kDate ||
                    spec->type == model::FieldType::kDateTime;
  const std::string field = "'" + f.path + "' of " + std::string(object_key);
  if (date && op == SearchOperator::kBetween.value) {
    return field + " is a date field, and live servers answer 'between' on a date field with " +
           "500; filter with 'in' on the days you want (SearchFilter::in(\"" + f.path +
           "\", {...})), or order by it and walk with search_all";
  }
  if (spec->type == model::FieldType::kEnum && op == SearchOperator::kEquals.value) {
    return field + " is a select field, and live servers answer 'equals' on a select field " +
           "with 500; use 'in' with a list (SearchFilter::in(\"" + f.path + "\", {" +
           (f.value.is_string() ? f.value.dump() : std::string("...")) + "}))";
  }
  if (spec->access == model::Access::kDerived && op == SearchOperator::kIn.value) {
    std::string from;
    for (const auto& d : spec->derived_from)
      from += (from.empty() ? "" : ", ") + d;
    return field + " is derived" + (from.empty() ? "" : " from " + from) +
           ", and live servers answer 'in' on a derived field with 500; use 'equals' for one " +
           "value, or filter on the fields it is derived from";
  }
  return {};
}

void refuse_known_search_failures(const SearchRequest& request, FilterCheck check,
                                  const char* operation) {
  if (check == FilterCheck::kSendAnyway || request.object_key.empty())
    return;
  for (const auto& f : request.filters) {
    const std::string problem = known_search_failure(request.object_key, f);
    if (!problem.empty()) {
      detail::invalid(
          operation,
          "filter " + problem + " (or pass FilterCheck::kSendAnyway to send the filter as it is)");
    }
  }
}

}  // namespace

namespace detail {

UpsertOutcome upsert_outcome(int status, const Json& record, UpsertRoute route) {
  if (status == 201 || route == UpsertRoute::kAlwaysCreates)
    return UpsertOutcome::kCreated;
  if (route == UpsertRoute::kStatusTells)
    return UpsertOutcome::kUpdated;
  if (!record.is_object())
    return UpsertOutcome::kUnknown;
  const auto version = record.find("version");
  if (version == record.end() || !version->is_number_integer())
    return UpsertOutcome::kUnknown;
  std::int64_t v = 0;
  try {
    v = model::integer_from_json<std::int64_t>(*version);  // 2^64 - 1 is not a version
  } catch (const Error&) {
    return UpsertOutcome::kUnknown;
  }
  if (v >= 2)
    return UpsertOutcome::kUpdated;
  const auto created_at = record.find("createdAt");
  const auto updated_at = record.find("updatedAt");
  // A write that changes nothing keeps version 1 and updatedAt, so this stays ambiguous.
  if (v == 1 && created_at != record.end() && updated_at != record.end() &&
      created_at->is_string() && !created_at->get_ref<const std::string&>().empty() &&
      *created_at == *updated_at) {
    return UpsertOutcome::kCreatedOrUnchanged;
  }
  return UpsertOutcome::kUnknown;
}

UpsertResult to_upsert(ApiResponse&& response, UpsertRoute route) {
  UpsertResult result;
  result.outcome = upsert_outcome(response.status, response.body, route);
  result.created = result.outcome == UpsertOutcome::kCreated;
  result.record = std::move(response.body);
  return result;
}

std::optional<Json> to_optional(ApiResponse&& response) {
  if (response.status == 204 || response.body.is_null())
    return std::nullopt;
  return std::move(response.body);
}

// A 2xx whose body is not the record the operation promises is a malformed response.
void check_record(const ApiResponse& response, const ApiRequest& request, const Client& client) {
  if (!response.body.is_object()) {
    detail::malformed(
        client, request, response.status,
        std::string("expected a JSON object (a record), got ") + response.body.type_name());
  }
}

Json expect_object(ApiResponse&& response, const ApiRequest& request, const Client& client) {
  check_record(response, request, client);
  return std::move(response.body);
}

ApiRequest create_request(std::string_view object_key, const Json& fields,
                          const RequestOptions& options) {
  constexpr const char* kOp = "objects.create";
  require_non_empty(object_key, "object key", kOp);
  require_object(fields, kOp);
  ApiRequest r =
      make_request(kOp, HttpMethod::kPost, "/objects", options, Idempotency::kNonIdempotent);
  r.body = envelope(object_key, fields, options, /*with_board=*/true);
  return r;
}

ApiRequest get_request(std::string_view id, const RequestOptions& options) {
  constexpr const char* kOp = "objects.get";
  require_non_empty(id, "id", kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kGet, "/objects/" + percent_encode(id), options);
  if (options.object_key_hint)
    r.query.emplace_back("objectKey", *options.object_key_hint);
  if (!options.paths.empty())
    r.query.emplace_back("paths", join(options.paths));
  add_board(r, options);
  if (options.is_detail_view) {
    r.query.emplace_back("isDetailView", *options.is_detail_view ? "true" : "false");
  }
  return r;
}

ApiRequest update_request(std::string_view object_key, std::string_view id, const Json& fields,
                          const RequestOptions& options) {
  constexpr const char* kOp = "objects.update";
  require_non_empty(object_key, "object key", kOp);
  require_non_empty(id, "id", kOp);
  require_object(fields, kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kPut, "/objects/" + percent_encode(id), options);
  r.body = envelope(object_key, fields, options, /*with_board=*/true);
  return r;
}

ApiRequest remove_request(std::string_view id, const RequestOptions& options) {
  constexpr const char* kOp = "objects.remove";
  require_non_empty(id, "id", kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kDelete, "/objects/" + percent_encode(id), options);
  add_board(r, options);
  return r;
}

ApiRequest get_by_external_id_request(std::string_view object_key, std::string_view external_id,
                                      const RequestOptions& options) {
  constexpr const char* kOp = "objects.get_by_external_id";
  require_non_empty(object_key, "object key", kOp);
  require_non_empty(external_id, "external id", kOp);
  ApiRequest r =
      make_request(kOp, HttpMethod::kGet, external_path(object_key, external_id), options);
  if (!options.paths.empty())
    r.query.emplace_back("paths", join(options.paths));
  add_board(r, options);
  return r;
}

ApiRequest upsert_by_external_id_request(std::string_view object_key, std::string_view external_id,
                                         const Json& fields, const RequestOptions& options) {
  constexpr const char* kOp = "objects.upsert_by_external_id";
  require_non_empty(object_key, "object key", kOp);
  require_non_empty(external_id, "external id", kOp);
  require_object(fields, kOp);
  ApiRequest r =
      make_request(kOp, HttpMethod::kPatch, external_path(object_key, external_id), options);
  r.body = envelope(object_key, fields, options, /*with_board=*/false);
  return r;
}

}  // namespace detail

using detail::check_record;
using detail::expect_object;
using detail::to_optional;
using detail::to_upsert;

const char* to_string(UpsertOutcome outcome) noexcept {
  switch (outcome) {
    case UpsertOutcome::kCreated:
      return "created";
    case UpsertOutcome::kUpdated:
      return "updated";
    case UpsertOutcome::kCreatedOrUnchanged:
      return "createdOrUnchanged";
    case UpsertOutcome::kUnknown:
      break;
  }
  return "unknown";
}

ObjectsApi::ObjectsApi(Client client) : client_(std::move(client)) {}

Json ObjectsApi::create(std::string_view object_key, const Json& fields,
                        const RequestOptions& options) const {
  const ApiRequest r = detail::create_request(object_key, fields, options);
  return expect_object(client_.call(r), r, client_);
}

UpsertResult ObjectsApi::upsert(std::string_view object_key, const Json& fields,
                                const RequestOptions& options) const {
  constexpr const char* kOp = "objects.upsert";
  require_non_empty(object_key, "object key", kOp);
  require_object(fields, kOp);
  // Without an externalId the server creates: that must not be sent twice.
  const auto ext = fields.find("externalId");
  const bool keyed = ext != fields.end() && ext->is_string() && !ext->get<std::string>().empty();
  ApiRequest r = make_request(kOp, HttpMethod::kPatch, "/objects", options,
                              keyed ? Idempotency::kIdempotent : Idempotency::kNonIdempotent);
  r.body = envelope(object_key, fields, options, /*with_board=*/true);
  auto response = client_.call(r);
  check_record(response, r, client_);
  // An externalId that is there but not a usable key (empty, a number) may still match.
  const bool unkeyed = ext == fields.end() || ext->is_null();
  return to_upsert(std::move(response), keyed     ? detail::UpsertRoute::kStatusTells
                                        : unkeyed ? detail::UpsertRoute::kAlwaysCreates
                                                  : detail::UpsertRoute::kStatusSilent);
}

UpsertResult ObjectsApi::upsert_by_id(std::string_view object_key, std::string_view id,
                                      const Json& fields, const RequestOptions& options) const {
  constexpr const char* kOp = "objects.upsert";
  require_non_empty(object_key, "object key", kOp);
  require_non_empty(id, "id", kOp);
  require_object(fields, kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kPatch, "/objects", options);
  Json body = Json::object();
  body["id"] = id;
  body.update(envelope(object_key, fields, options, /*with_board=*/true));
  r.body = std::move(body);
  auto response = client_.call(r);
  check_record(response, r, client_);
  return to_upsert(std::move(response), detail::UpsertRoute::kStatusSilent);
}

Json ObjectsApi::get(std::string_view id, const RequestOptions& options) const {
  const ApiRequest r = detail::get_request(id, options);
  return expect_object(client_.call(r), r, client_);
}

Json ObjectsApi::update(std::string_view object_key, std::string_view id, const Json& fields,
                        const RequestOptions& options) const {
  const ApiRequest r = detail::update_request(object_key, id, fields, options);
  return expect_object(client_.call(r), r, client_);
}

std::optional<Json> ObjectsApi::remove(std::string_view id, const RequestOptions& options) const {
  return to_optional(client_.call(detail::remove_request(id, options)));
}

Json ObjectsApi::get_by_external_id(std::string_view object_key, std::string_view external_id,
                                    const RequestOptions& options) const {
  const ApiRequest r = detail::get_by_external_id_request(object_key, external_id, options);
  return expect_object(client_.call(r), r, client_);
}

UpsertResult ObjectsApi::upsert_by_external_id(std::string_view object_key,
                                               std::string_view external_id, const Json& fields,
                                               const RequestOptions& options) const {
  const ApiRequest r =
      detail::upsert_by_external_id_request(object_key, external_id, fields, options);
  auto response = client_.call(r);
  check_record(response, r, client_);
  return to_upsert(std::move(response), detail::UpsertRoute::kStatusSilent);
}

NestedUpsertResult ObjectsApi::upsert_nested(std::string_view object_key,
                                             std::string_view external_id, const Json& fields,
                                             const RequestOptions& options) const {
  constexpr const char* kOp = "objects.upsert_nested";
  require_non_empty(object_key, "object key", kOp);
  require_non_empty(external_id, "external id", kOp);
  require_object(fields, kOp);
  const detail::NestedPlan plan = detail::plan_nested(object_key, fields, kOp);
  const RequestOptions lookup = detail::lookup_options(options);
  std::vector<std::string> ids;
  ids.reserve(plan.lookups.size());
  for (const auto& nested : plan.lookups) {
    const ApiRequest r =
        detail::get_by_external_id_request(nested.object_key, nested.external_id, lookup);
    try {
      const Json found = expect_object(client_.call(r), r, client_);
      ids.push_back(detail::string_at(found, "id"));
      if (ids.back().empty())
        detail::malformed(client_, r, 200, "the record found by external id has no id");
    } catch (const NotFoundError&) {
      ids.emplace_back();  // not there yet: this write creates it
    }
  }
  Json filled = fields;
  NestedUpsertResult out = detail::apply_lookups(plan, ids, filled);
  UpsertResult written = upsert_by_external_id(object_key, external_id, filled, options);
  out.record = std::move(written.record);
  out.created = written.created;
  return out;
}

std::optional<Json> ObjectsApi::remove_by_external_id(std::string_view object_key,
                                                      std::string_view external_id,
                                                      const RequestOptions& options) const {
  constexpr const char* kOp = "objects.remove_by_external_id";
  require_non_empty(object_key, "object key", kOp);
  require_non_empty(external_id, "external id", kOp);
  ApiRequest r =
      make_request(kOp, HttpMethod::kDelete, external_path(object_key, external_id), options);
  add_board(r, options);
  return to_optional(client_.call(r));
}

void ObjectsApi::bulk_remove(std::string_view object_key, const std::vector<std::string>& ids,
                             const RequestOptions& options) const {
  constexpr const char* kOp = "objects.bulk_remove";
  require_non_empty(object_key, "object key", kOp);
  if (ids.empty())
    detail::invalid(kOp, "ids must not be empty");
  for (const auto& id : ids)
    require_non_empty(id, "every id", kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kPost, "/objects/bulk_delete", options);
  Json body = Json::object();
  if (options.board_id)
    body["boardId"] = *options.board_id;
  body["objectKey"] = object_key;
  body["ids"] = ids;
  r.body = std::move(body);
  client_.call(r);
}

SearchResult ObjectsApi::search(const SearchRequest& request, const RequestOptions& options) const {
  return search(request, options, FilterCheck::kRefuseKnownFailures);
}

SearchResult ObjectsApi::search(const SearchRequest& request, const RequestOptions& options,
                                FilterCheck check) const {
  constexpr const char* kOp = "objects.search";
  require_non_empty(request.board_id, "board id", kOp);
  refuse_known_search_failures(request, check, kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kPost, "/objects/search", options);
  Json body = Json::object();
  body["boardId"] = request.board_id;
  if (!request.object_key.empty())
    body["objectKey"] = request.object_key;
  if (!request.timezone.empty())
    body["timezone"] = request.timezone;
  Json filters = Json::array();
  for (const auto& f : request.filters) {
    require_non_empty(f.path, "a filter's path", kOp);
    require_non_empty(f.op.value(), "a filter's operator", kOp);
    Json filter = {{"filterKey", f.filter_key.empty() ? f.path : f.filter_key},
                   {"path", f.path},
                   {"operator", f.op.value()}};
    if (!f.value.is_null())
      filter["value"] = f.value;
    if (!f.field_type.empty())
      filter["fieldType"] = f.field_type;
    filters.push_back(std::move(filter));
  }
  body["filters"] = std::move(filters);
  body["filtersOperator"] = request.filters_operator;
  if (!request.order_by_path.empty())
    body["orderByPath"] = request.order_by_path;
  if (!request.order_by_direction.value().empty())
    body["orderByDirection"] = request.order_by_direction.value();
  if (request.limit)
    body["limit"] = *request.limit;
  if (!request.paths.empty())
    body["paths"] = request.paths;
  r.body = std::move(body);

  ApiResponse response = client_.call(r);
  const auto results =
      response.body.is_object() ? response.body.find("results") : response.body.end();
  if (!response.body.is_object() || results == response.body.end() || !results->is_array()) {
    detail::malformed(client_, r, response.status, "expected {total, results[]} from search");
  }
  SearchResult out;
  // The vendor calls it approximate; a whole number sent as a float (250.0) reads as such, and
  // anything that is not a count (1e30, -1, 2.5) is refused.
  const auto total = response.body.find("total");
  const bool has_total = total != response.body.end() && !total->is_null();
  out.total = detail::total_of(client_, r, response.status, response.body);
  out.results.reserve(results->size());
  for (auto& record : *results)
    out.results.push_back(std::move(record));
  const auto returned = static_cast<std::int64_t>(out.results.size());
  out.has_more =
      has_total ? out.total > returned : returned > 0 && returned >= request.limit.value_or(100);
  return out;
}

PagedRange<Json> ObjectsApi::search_all(const SearchRequest& request, const RequestOptions& options,
                                        const SearchAllOptions& all) const {
  return search_all(request, options, all, FilterCheck::kRefuseKnownFailures);
}

PagedRange<Json> ObjectsApi::search_all(const SearchRequest& request, const RequestOptions& options,
                                        const SearchAllOptions& all, FilterCheck check) const {
  constexpr const char* kOp = "objects.search_all";
  require_non_empty(request.board_id, "board id", kOp);
  refuse_known_search_failures(request, check, kOp);
  std::shared_ptr<SearchPaging> paging =
      all.paging ? all.paging(request, all.page_size) : make_keyset_paging(request, all.page_size);
  if (!paging)
    detail::invalid(kOp, "the paging factory returned no paging");
  ObjectsApi api = *this;
  return PagedRange<Json>([api, paging, options, check](std::vector<Json>& page) mutable {
    std::optional<SearchRequest> next = paging->next_request();
    if (!next)
      return false;
    page = paging->accept(api.search(*next, options, check));
    return true;
  });
}

void ObjectsApi::check_filters(const SearchRequest& request, FilterCheck check) {
  refuse_known_search_failures(request, check, "objects.search");
}

std::string ObjectsApi::board_for(std::string_view object_key,
                                  const RequestOptions& options) const {
  constexpr const char* kOp = "objects.board_for";
  require_non_empty(object_key, "object key", kOp);
  detail::BoardIds& ids = detail::ClientState::board_ids(client_);
  if (auto known = ids.find(object_key))
    return *known;
  RequestOptions lookup = options;  // the search's metadata describes the search, not this
  lookup.metadata = nullptr;
  lookup.paths.clear();
  lookup.board_id.reset();
  std::optional<Board> board = Boards(client_).first_for(object_key, lookup);
  if (!board || board->id.empty()) {
    detail::invalid(kOp, "no board shows '" + std::string(object_key) +
                             "' records, and a search needs one: set SearchRequest::board_id "
                             "(client.boards().list() lists the boards)");
  }
  return ids.remember(object_key, std::move(board->id));
}

namespace {

// The factories that take a list refuse anything but a JSON array, naming themselves.
Json search_filter_list(Json values, const char* factory) {
  if (!values.is_array()) {
    throw InvalidArgumentError(std::string("SearchFilter::") + factory +
                               " takes a list of values (a JSON array), not " + values.type_name());
  }
  return values;
}

}  // namespace

// The factories are defined here rather than in the header: their bodies instantiate JSON's
// constructors (an array from a list, a value from a string) in every file that includes the
// header, used or not (issue 23 item 9, docs/building.md).
SearchFilter SearchFilter::in(std::string path, Json values) {
  return {std::move(path), SearchOperator::kIn, search_filter_list(std::move(values), "in")};
}
SearchFilter SearchFilter::not_in(std::string path, Json values) {
  return {std::move(path), SearchOperator::kNotIn, search_filter_list(std::move(values), "not_in")};
}
SearchFilter SearchFilter::equals(std::string path, Json value) {
  return {std::move(path), SearchOperator::kEquals, std::move(value)};
}
SearchFilter SearchFilter::not_equals(std::string path, Json value) {
  return {std::move(path), SearchOperator::kNotEquals, std::move(value)};
}
SearchFilter SearchFilter::contains(std::string path, std::string text) {
  return {std::move(path), SearchOperator::kContains, std::move(text)};
}
SearchFilter SearchFilter::starts_with(std::string path, std::string text) {
  return {std::move(path), SearchOperator::kStartsWith, std::move(text)};
}
SearchFilter SearchFilter::ends_with(std::string path, std::string text) {
  return {std::move(path), SearchOperator::kEndsWith, std::move(text)};
}
SearchFilter SearchFilter::has_every(std::string path, Json values) {
  return {std::move(path), SearchOperator::kHasEvery,
          search_filter_list(std::move(values), "has_every")};
}
SearchFilter SearchFilter::has_some(std::string path, Json values) {
  return {std::move(path), SearchOperator::kHasSome,
          search_filter_list(std::move(values), "has_some")};
}
SearchFilter SearchFilter::empty(std::string path) {
  return {std::move(path), SearchOperator::kEmpty, Json()};
}
SearchFilter SearchFilter::not_empty(std::string path) {
  return {std::move(path), SearchOperator::kNotEmpty, Json()};
}
SearchFilter SearchFilter::free_text(std::string path, std::string text) {
  return {std::move(path), SearchOperator::kFreeText, std::move(text)};
}
SearchFilter SearchFilter::between(std::string path, Json from, Json to) {
  return {std::move(path), SearchOperator::kBetween, Json::array({std::move(from), std::move(to)})};
}

bool SearchOperator::is_known() const noexcept {
  for (const auto& known : {kIn, kNotIn, kEquals, kNotEquals, kContains, kStartsWith, kEndsWith,
                            kHasEvery, kHasSome, kEmpty, kNotEmpty, kFreeText, kBetween}) {
    if (value() == known.value)
      return true;
  }
  return false;
}

bool SortDirection::is_known() const noexcept {
  return value() == kAsc.value || value() == kDesc.value;
}

Json ObjectsApi::autocomplete(const AutocompleteRequest& request,
                              const RequestOptions& options) const {
  constexpr const char* kOp = "objects.autocomplete";
  require_non_empty(request.object_key, "object key", kOp);
  ApiRequest r = make_request(kOp, HttpMethod::kGet, "/objects/autocomplete", options);
  r.query.emplace_back("objectKey", request.object_key);
  if (!request.search_term.empty())
    r.query.emplace_back("searchTerm", request.search_term);
  if (!request.ids.empty())
    r.query.emplace_back("ids", join(request.ids));
  if (!request.label_path.empty())
    r.query.emplace_back("labelPath", request.label_path);
  return client_.call(r).body;
}

}  // namespace roserocket
