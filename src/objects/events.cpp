#include "roserocket/objects/events.hpp"

#include <memory>
#include <unordered_set>

#include "objects/request_util.hpp"

namespace roserocket {

Event Event::from_json(const Json& json) {
  if (!json.is_object()) {
    throw InvalidArgumentError(std::string("an event must be a JSON object, not ") +
                               json.type_name());
  }
  Event e;
  e.id = detail::string_at(json, "id");
  e.type = model::EventType(detail::string_at(json, "type"));
  e.ref_id = detail::string_at(json, "refId");
  e.owner_id = detail::string_at(json, "ownerId");
  e.created_at = detail::string_at(json, "createdAt");
  if (auto it = json.find("json"); it != json.end())
    e.data = *it;
  e.json = json;
  return e;
}

Events::Events(Client client) : client_(std::move(client)) {}

EventPage Events::list(const EventQuery& query, const RequestOptions& options) const {
  constexpr const char* kOp = "events.list";
  detail::require_non_empty(query.record_id, "record id", kOp);
  detail::require_non_empty(query.object_key, "object key", kOp);
  if (query.limit && (*query.limit < 0 || *query.limit > 200)) {
    detail::invalid(kOp, "limit must be 0 to 200, not " + std::to_string(*query.limit));
  }
  if (query.offset && *query.offset < 0)
    detail::invalid(kOp, "offset must not be negative");
  ApiRequest r = detail::make_request(kOp, HttpMethod::kGet, "/events", options);
  r.query.emplace_back("recordId", query.record_id);
  r.query.emplace_back("objectKey", query.object_key);
  if (query.board_id)
    r.query.emplace_back("boardId", *query.board_id);
  if (query.type)
    r.query.emplace_back("type", query.type->value());
  for (const auto& t : query.in_types)
    r.query.emplace_back("inTypes", t.value());
  for (const auto& t : query.not_in_types)
    r.query.emplace_back("notInTypes", t.value());
  if (query.user_id)
    r.query.emplace_back("userId", *query.user_id);
  if (query.order_by)
    r.query.emplace_back("orderBy", *query.order_by);
  if (query.order_by_direction) {
    r.query.emplace_back("orderByDirection", query.order_by_direction->value());
  }
  if (query.limit)
    r.query.emplace_back("limit", std::to_string(*query.limit));
  if (query.offset)
    r.query.emplace_back("offset", std::to_string(*query.offset));
  if (query.bookmark)
    r.query.emplace_back("bookmark", *query.bookmark);

  ApiResponse response = client_.call(r);
  const Json& body = response.body;
  const auto results = body.is_object() ? body.find("results") : body.end();
  if (!body.is_object() || results == body.end() || !results->is_array()) {
    detail::malformed(client_, r, response.status, "expected {total, results[]} from events");
  }
  EventPage page;
  page.total = detail::total_of(client_, r, response.status, body);
  for (const auto& item : *results) {
    if (!item.is_object())
      detail::malformed(client_, r, response.status, "an event is not an object");
    page.results.push_back(Event::from_json(item));
  }
  return page;
}

PagedRange<Event> Events::list_range(EventQuery query, const RequestOptions& options) const {
  constexpr const char* kOp = "events.list_all";
  const int limit = query.limit.value_or(200);
  if (limit == 0)
    detail::invalid(kOp, "limit must be at least 1 to page");
  detail::require_non_empty(query.record_id, "record id", kOp);
  detail::require_non_empty(query.object_key, "object key", kOp);
  query.limit = limit;
  struct Walk {
    Events events;
    EventQuery query;
    RequestOptions options;
    int limit = 0;
    int base = 0;
    std::size_t read = 0;
    bool finished = false;
    std::unordered_set<std::string> seen;
  };
  auto walk =
      std::make_shared<Walk>(Walk{*this, std::move(query), options, limit, 0, 0, false, {}});
  walk->base = walk->query.bookmark ? walk->query.offset.value_or(0) : 0;
  return PagedRange<Event>([walk](std::vector<Event>& out) {
    Walk& w = *walk;
    if (w.finished)
      return false;
    if (w.read > 0)
      w.query.offset = w.base + static_cast<int>(w.read);
    EventPage page = w.events.list(w.query, w.options);
    if (page.results.empty())
      return false;
    if (!w.query.bookmark) {
      // Pin the start: later pages count from this event whatever arrives meanwhile.
      w.query.bookmark = page.results.front().id;
      w.base = 0;
    }
    std::size_t fresh = 0;
    for (const auto& e : page.results)
      fresh += w.seen.insert(e.id).second ? 1 : 0;
    if (fresh == 0) {
      // A server that ignores the bookmark and offset answers the same full page for ever.
      ErrorContext context;
      context.operation = "events.list_all";
      throw MalformedResponseError(
          "the server answered a page of events already read (it ignores bookmark and "
          "offset); the listing cannot advance",
          std::move(context));
    }
    w.read += page.results.size();
    w.finished = static_cast<int>(page.results.size()) < w.limit;
    out = std::move(page.results);
    return true;
  });
}

std::vector<Event> Events::list_all(EventQuery query, const RequestOptions& options) const {
  return list_range(std::move(query), options).to_vector();
}

Event Events::create(const NewEvent& event, const RequestOptions& options) const {
  constexpr const char* kOp = "events.create";
  detail::require_non_empty(event.record_id, "record id", kOp);
  detail::require_non_empty(event.board_id, "board id", kOp);
  detail::require_non_empty(event.type.value(), "event type", kOp);
  if (!event.json.is_object())
    detail::invalid(kOp, "json must be a JSON object");
  ApiRequest r =
      detail::make_request(kOp, HttpMethod::kPost, "/events", options, Idempotency::kNonIdempotent);
  r.body = Json{{"recordId", event.record_id},
                {"boardId", event.board_id},
                {"type", event.type.value()},
                {"json", event.json}};
  ApiResponse response = client_.call(r);
  if (!response.body.is_object()) {
    detail::malformed(client_, r, response.status, "expected the created event");
  }
  return Event::from_json(response.body);
}

}  // namespace roserocket
