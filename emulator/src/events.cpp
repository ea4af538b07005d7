#include "events.hpp"

#include <algorithm>
#include <set>

#include "http_util.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

const std::set<std::string> kEventTypes = {"create", "mutate", "internal", "widget-open",
                                           "widget-close"};
const std::set<std::string> kOrderBy = {"createdAt", "id", "type", "refId", "ownerId"};
constexpr long kMaxLimit = 200;

long parse_count(const std::map<std::string, std::string>& params, const std::string& name,
                 long fallback, std::vector<std::string>& errors) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty())
    return fallback;
  try {
    std::size_t used = 0;
    long value = std::stol(it->second, &used);
    if (used == it->second.size())
      return value;
  } catch (const std::exception&) {
  }
  errors.push_back(name + " must be an integer number");
  return fallback;
}

std::string param(const std::map<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

}  // namespace

void append_event(State& state, const Caller& caller, const std::string& type, const Record& record,
                  Json json) {
  Event ev;
  ev.seq = state.next_seq++;
  ev.body = {{"id", uuid_v4()},         {"type", type},
             {"refId", record.id},      {"ownerId", caller.user_id},
             {"orgId", caller.org_id},  {"objectKey", record.object_key},
             {"createdAt", caller.now}, {"json", std::move(json)}};
  state.events.push_back(std::move(ev));
}

Json list_events(const State& state, const std::map<std::string, std::string>& params) {
  std::vector<std::string> errors;
  const std::string record_id = param(params, "recordId");
  const std::string object_key = param(params, "objectKey");
  if (record_id.empty())
    errors.emplace_back("recordId should not be empty");
  if (object_key.empty())
    errors.emplace_back("objectKey should not be empty");
  const std::string type = param(params, "type");
  if (!type.empty() && kEventTypes.count(type) == 0) {
    errors.emplace_back(
        "type must be one of: create, mutate, internal, widget-open, "
        "widget-close");
  }
  std::string order_by = param(params, "orderBy");
  if (order_by.empty())
    order_by = "createdAt";
  if (kOrderBy.count(order_by) == 0) {
    errors.emplace_back("orderBy must be one of: createdAt, id, type, refId, ownerId");
  }
  std::string direction = param(params, "orderByDirection");
  if (direction.empty())
    direction = "asc";
  if (direction != "asc" && direction != "desc") {
    errors.emplace_back("orderByDirection must be one of: asc, desc");
  }
  const long limit = parse_count(params, "limit", kMaxLimit, errors);
  if (limit < 0 || limit > kMaxLimit)
    errors.emplace_back("limit must not be greater than 200");
  const long offset = parse_count(params, "offset", 0, errors);
  if (offset < 0)
    errors.emplace_back("offset must not be less than 0");
  if (!errors.empty())
    bad_request(errors);

  const auto in_types = split(param(params, "inTypes"), ',');
  const auto not_in_types = split(param(params, "notInTypes"), ',');
  const std::string user_id = param(params, "userId");
  std::vector<const Event*> matches;
  for (const auto& ev : state.events) {
    const Json& b = ev.body;
    if (b["refId"] != record_id || b["objectKey"] != object_key)
      continue;
    const std::string ev_type = b["type"].get<std::string>();
    if (!type.empty() && ev_type != type)
      continue;
    if (!in_types.empty() &&
        std::find(in_types.begin(), in_types.end(), ev_type) == in_types.end()) {
      continue;
    }
    if (std::find(not_in_types.begin(), not_in_types.end(), ev_type) != not_in_types.end()) {
      continue;
    }
    if (!user_id.empty() && b["ownerId"] != user_id)
      continue;
    matches.push_back(&ev);
  }
  // Creation order breaks ties, so equal time stamps still page deterministically.
  std::stable_sort(matches.begin(), matches.end(), [&](const Event* a, const Event* b) {
    const Json& va = a->body[order_by];
    const Json& vb = b->body[order_by];
    if (va != vb)
      return direction == "asc" ? va < vb : vb < va;
    return direction == "asc" ? a->seq < b->seq : b->seq < a->seq;
  });

  std::size_t start = 0;
  const std::string bookmark = param(params, "bookmark");
  if (!bookmark.empty()) {
    auto it = std::find_if(matches.begin(), matches.end(),
                           [&](const Event* e) { return e->body["id"] == bookmark; });
    if (it == matches.end())
      bad_request("bookmark " + bookmark + " is not an event of this list");
    start = static_cast<std::size_t>(it - matches.begin());
  }
  start += static_cast<std::size_t>(offset);
  Json results = Json::array();
  std::size_t i = start;
  for (; i < matches.size() && results.size() < static_cast<std::size_t>(limit); ++i) {
    results.push_back(matches[i]->body);
  }
  // The bookmark is the first event not returned: pass it back to continue from there.
  Json next = i < matches.size() ? Json(matches[i]->body["id"]) : Json(nullptr);
  return {{"total", matches.size()}, {"results", results}, {"bookmark", next}};
}

Json create_event(State& state, const Caller& caller, const Json& body) {
  std::vector<std::string> errors;
  for (const char* key : {"recordId", "boardId", "type"}) {
    if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty()) {
      errors.push_back(std::string(key) + " should not be empty");
    }
  }
  if (!body.contains("json") || !body["json"].is_object()) {
    errors.emplace_back("json must be an object");
  }
  if (body.contains("type") && body["type"].is_string() &&
      kEventTypes.count(body["type"].get<std::string>()) == 0) {
    errors.emplace_back(
        "type must be one of: create, mutate, internal, widget-open, "
        "widget-close");
  }
  if (!errors.empty())
    bad_request(errors);
  auto it = state.records.find(body["recordId"].get<std::string>());
  if (it == state.records.end()) {
    not_found("Record with id \"" + body["recordId"].get<std::string>() + "\" not found");
  }
  // boardId is required by the API but names where the record was seen; the event does not keep
  // it (the vendor's envelope has no board id).
  append_event(state, caller, body["type"].get<std::string>(), it->second, body["json"]);
  return state.events.back().body;
}

}  // namespace rr_emulator::detail
