// The /objects routes: create, upsert (by id, by external id), get, update, delete, the
// external-id forms, bulk delete, search and autocomplete. Each handler parses and checks what
// it can before taking the state lock, then works through RecordStore.

#include <algorithm>
#include <mutex>

#include "boards.hpp"
#include "http_util.hpp"
#include "records.hpp"
#include "search.hpp"
#include "server.hpp"

namespace rr_emulator::detail {
namespace {

using Request = httplib::Request;
using Response = httplib::Response;

std::string objects_path(const char* suffix) {
  return std::string(kApiPrefix) + "/objects" + suffix;
}

// `paths` may come as one comma-separated value or repeated.
PathTree query_paths(const Request& req) {
  std::vector<std::string> values;
  const auto n = req.get_param_value_count("paths");
  for (std::size_t i = 0; i < n; ++i)
    values.push_back(req.get_param_value("paths", i));
  return parse_paths(values);
}

void check_same_key(const Record& record, const std::string& object_key) {
  if (!object_key.empty() && object_key != record.object_key) {
    bad_request("objectKey \"" + object_key + "\" does not match the record's objectKey \"" +
                record.object_key + "\"");
  }
}

Record& find_external_or_404(RecordStore& store, const std::string& key, const std::string& ext) {
  Record* rec = store.find_external(key, ext);
  if (rec == nullptr)
    not_found("No " + key + " with externalId \"" + ext + "\"");
  return *rec;
}

// 1. POST /objects
void create(Core& core, const Request& req, Response& res, const Caller& who) {
  const Envelope env = parse_envelope(parse_json_object(req), true);
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  store.validate(env.object_key, env.json);
  Json out = store.create(env.object_key, env.json, parse_paths(env.paths));
  core.persist();
  send_json(res, 200, out);
}

// 2. PATCH /objects: by `id` (the seeds' form), by json.externalId (the OpenAPI's), else create.
void upsert(Core& core, const Request& req, Response& res, const Caller& who) {
  const Envelope env = parse_envelope(parse_json_object(req), true);
  const bool by_external =
      !env.id && env.json.contains("externalId") && env.json["externalId"].is_string();
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  Record* existing = nullptr;
  if (env.id) {
    existing = store.find(*env.id);
  } else if (by_external) {
    existing = store.find_external(env.object_key, env.json["externalId"].get<std::string>());
  }
  if (existing != nullptr)
    check_same_key(*existing, env.object_key);
  store.validate(env.object_key, env.json);
  const PathTree paths = parse_paths(env.paths);
  if (existing != nullptr) {
    Json out = store.update(*existing, env.json, paths);
    core.persist();
    return send_json(res, 200, out);
  }
  Json out = store.create(env.object_key, env.json, paths, env.id);
  core.persist();
  // Only the external-id upsert tells created (201) from updated (200).
  send_json(res, by_external ? 201 : 200, out);
}

// 3. GET /objects/{id}
void get_by_id(Core& core, const Request& req, Response& res, const Caller& who) {
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  send_json(res, 200, store.render(store.get_or_404(req.matches[1]), query_paths(req)));
}

// 4. PUT /objects/{id}
void update_by_id(Core& core, const Request& req, Response& res, const Caller& who) {
  const Envelope env = parse_envelope(parse_json_object(req), true);
  if (!env.has_json)
    bad_request(std::vector<std::string>{"json must be an object"});
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  Record& rec = store.get_or_404(req.matches[1]);
  if (env.id && *env.id != rec.id)
    bad_request("id in the body does not match the path");
  check_same_key(rec, env.object_key);
  store.validate(rec.object_key, env.json);
  Json out = store.update(rec, env.json, parse_paths(env.paths));
  core.persist();
  send_json(res, 200, out);
}

// 5. DELETE /objects/{id}
void delete_by_id(Core& core, const Request& req, Response& res, const Caller& who) {
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  Json out = store.remove(req.matches[1]);
  core.persist();
  send_json(res, 200, out);
}

// 6. GET /objects/{objectKey}/{externalId}/external
void get_external(Core& core, const Request& req, Response& res, const Caller& who) {
  const std::string key = req.matches[1];
  check_object_key(key);
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  const Record& rec = find_external_or_404(store, key, req.matches[2]);
  send_json(res, 200, store.render(rec, query_paths(req)));
}

// 7. PATCH /objects/{objectKey}/{externalId}/external
void upsert_external(Core& core, const Request& req, Response& res, const Caller& who) {
  const std::string key = req.matches[1];
  const std::string ext = req.matches[2];
  check_object_key(key);
  const Envelope env = parse_envelope(parse_json_object(req), false);
  if (!env.object_key.empty() && env.object_key != key) {
    bad_request("objectKey in the body does not match the path's \"" + key + "\"");
  }
  if (env.json.contains("externalId") && env.json["externalId"] != ext) {
    bad_request("json.externalId does not match the path's external id");
  }
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  store.validate(key, env.json);
  Json json = env.json;
  json["externalId"] = ext;
  const PathTree paths = parse_paths(env.paths);
  Record* rec = store.find_external(key, ext);
  Json out = rec != nullptr ? store.update(*rec, json, paths) : store.create(key, json, paths);
  core.persist();
  send_json(res, 200, out);
}

// 8. DELETE /objects/{objectKey}/{externalId}/external
void remove_external(Core& core, const Request& req, Response& res, const Caller& who) {
  const std::string key = req.matches[1];
  check_object_key(key);
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  const std::string id = find_external_or_404(store, key, req.matches[2]).id;
  Json out = store.remove(id);
  core.persist();
  send_json(res, 200, out);
}

// 9. POST /objects/bulk_delete {boardId, objectKey, ids[]}: ids of other object keys, and
// unknown ids, are skipped.
void bulk_delete(Core& core, const Request& req, Response& res, const Caller&) {
  const Json body = parse_json_object(req);
  std::vector<std::string> errors;
  for (const auto& [key, value] : body.items()) {
    if (key != "boardId" && key != "objectKey" && key != "ids") {
      errors.push_back("property " + key + " should not exist");
    }
  }
  const Json ids = body.value("ids", Json());
  if (!ids.is_array() ||
      !std::all_of(ids.begin(), ids.end(), [](const Json& i) { return i.is_string(); })) {
    errors.emplace_back("ids must be an array of strings");
  }
  if (!errors.empty())
    bad_request(errors);
  std::lock_guard<std::mutex> lock(core.mutex);
  std::string object_key = body.value("objectKey", std::string());
  if (object_key.empty() && body.contains("boardId") && body["boardId"].is_string()) {
    object_key = board_object_key(core.state, body["boardId"]).value_or("");
  }
  if (!object_key.empty())
    check_object_key(object_key);
  bool changed = false;
  for (const auto& id : ids) {
    auto it = core.state.records.find(id.get<std::string>());
    if (it == core.state.records.end())
      continue;
    if (!object_key.empty() && it->second.object_key != object_key)
      continue;
    index_before_write(core.state, id.get<std::string>());
    unindex_external_id(core.state, it->second);
    core.state.records.erase(it);
    core.state.changed_records.insert(id.get<std::string>());
    index_after_write(core.state, id.get<std::string>());
    changed = true;
  }
  if (changed)
    core.persist();
  res.status = 204;
}

// 10. POST /objects/search
void search(Core& core, const Request& req, Response& res, const Caller& who) {
  const Json body = parse_json_object(req);
  std::lock_guard<std::mutex> lock(core.mutex);
  settle_search_index(core.state);
  RecordStore store(core.state, who);
  send_json(res, 200, search_records(core.state, store, body));
}

// 11. GET /objects/autocomplete
void complete(Core& core, const Request& req, Response& res, const Caller& who) {
  const std::string object_key = query(req, "objectKey");
  if (object_key.empty())
    bad_request(std::vector<std::string>{"objectKey should not be empty"});
  check_object_key(object_key);
  std::lock_guard<std::mutex> lock(core.mutex);
  RecordStore store(core.state, who);
  send_json(res, 200,
            autocomplete(core.state, store, object_key, query(req, "searchTerm"), query(req, "ids"),
                         query(req, "labelPath")));
}

}  // namespace

void install_object_routes(httplib::Server& server, Services& s) {
  auto route = [&s](void (*handler)(Core&, const Request&, Response&, const Caller&)) {
    return api_route(
        s, [&core = s.core, handler](const Request& req, Response& res, const Caller& who) {
          handler(core, req, res, who);
        });
  };
  // Fixed paths first: httplib takes the first pattern that matches.
  server.Post(objects_path(""), route(create));
  server.Patch(objects_path(""), route(upsert));
  server.Post(objects_path("/bulk_delete"), route(bulk_delete));
  server.Post(objects_path("/search"), route(search));
  server.Get(objects_path("/autocomplete"), route(complete));
  const std::string external = objects_path("/([^/]+)/(.+)/external");
  server.Get(external, route(get_external));
  server.Patch(external, route(upsert_external));
  server.Delete(external, route(remove_external));
  const std::string by_id = objects_path("/([^/]+)");
  server.Get(by_id, route(get_by_id));
  server.Put(by_id, route(update_by_id));
  server.Delete(by_id, route(delete_by_id));
}

}  // namespace rr_emulator::detail
