// The /objects routes: create, upsert (by id, by external id), get, update, delete, the
// external-id forms, bulk delete, search and autocomplete.

#include <mutex>

#include "boards.hpp"
#include "http_util.hpp"
#include "records.hpp"
#include "search.hpp"
#include "server.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

std::string objects_path(const char* suffix) {
  return std::string(kApiPrefix) + "/objects" + suffix;
}

// `paths` may come as one comma-separated value or repeated.
PathTree query_paths(const httplib::Request& req) {
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

}  // namespace

void install_object_routes(httplib::Server& server, Services& s) {
  Core& core = s.core;

  // 1. Create.
  server.Post(objects_path(""), api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                const Envelope env = parse_envelope(parse_json_object(req), true);
                std::lock_guard<std::mutex> lock(core.mutex);
                RecordStore store(core.state, who);
                store.validate(env.object_key, env.json);
                Json out = store.create(env.object_key, env.json, parse_paths(env.paths));
                core.persist();
                send_json(res, 200, out);
              }));

  // 2. Upsert: by `id` (the seeds' form), by json.externalId (the OpenAPI's), else create.
  server.Patch(
      objects_path(""), api_route(s, [&core](const auto& req, auto& res, const auto& who) {
        const Envelope env = parse_envelope(parse_json_object(req), true);
        std::lock_guard<std::mutex> lock(core.mutex);
        RecordStore store(core.state, who);
        const PathTree paths = parse_paths(env.paths);
        Record* existing = nullptr;
        if (env.id) {
          existing = store.find(*env.id);
        } else if (env.json.contains("externalId") && env.json["externalId"].is_string()) {
          existing = store.find_external(env.object_key, env.json["externalId"].get<std::string>());
        }
        if (existing != nullptr)
          check_same_key(*existing, env.object_key);
        store.validate(env.object_key, env.json);
        if (existing != nullptr) {
          Json out = store.update(*existing, env.json, paths);
          core.persist();
          return send_json(res, 200, out);
        }
        Json out = store.create(env.object_key, env.json, paths, env.id);
        core.persist();
        // Only the external-id upsert distinguishes created (201) from updated (200).
        const bool by_external =
            !env.id && env.json.contains("externalId") && env.json["externalId"].is_string();
        send_json(res, by_external ? 201 : 200, out);
      }));

  // 9. Bulk delete.
  server.Post(
      objects_path("/bulk_delete"), api_route(s, [&core](const auto& req, auto& res, const auto&) {
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
          core.state.records.erase(it);
          changed = true;
        }
        if (changed)
          core.persist();
        res.status = 204;
      }));

  // 10. Search.
  server.Post(objects_path("/search"),
              api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                const Json body = parse_json_object(req);
                std::lock_guard<std::mutex> lock(core.mutex);
                RecordStore store(core.state, who);
                send_json(res, 200, search_records(core.state, store, body));
              }));

  // 11. Autocomplete.
  server.Get(objects_path("/autocomplete"),
             api_route(s, [&core](const auto& req, auto& res, const auto& who) {
               const std::string object_key = query(req, "objectKey");
               if (object_key.empty())
                 bad_request(std::vector<std::string>{"objectKey should not be empty"});
               check_object_key(object_key);
               std::lock_guard<std::mutex> lock(core.mutex);
               RecordStore store(core.state, who);
               send_json(res, 200,
                         autocomplete(core.state, store, object_key, query(req, "searchTerm"),
                                      query(req, "ids"), query(req, "labelPath")));
             }));

  // 6-8. The external-id forms.
  const std::string external = objects_path("/([^/]+)/([^/]+)/external");
  server.Get(external, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
               const std::string key = req.matches[1];
               const std::string ext = req.matches[2].str();
               check_object_key(key);
               std::lock_guard<std::mutex> lock(core.mutex);
               RecordStore store(core.state, who);
               Record* rec = store.find_external(key, ext);
               if (rec == nullptr)
                 not_found("No " + key + " with externalId \"" + ext + "\"");
               send_json(res, 200, store.render(*rec, query_paths(req)));
             }));
  server.Patch(external, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                 const std::string key = req.matches[1];
                 const std::string ext = req.matches[2].str();
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
                 Record* rec = store.find_external(key, ext);
                 Json json = env.json;
                 json["externalId"] = ext;
                 Json out = rec != nullptr ? store.update(*rec, json, parse_paths(env.paths))
                                           : store.create(key, json, parse_paths(env.paths));
                 core.persist();
                 send_json(res, 200, out);
               }));
  server.Delete(external, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                  const std::string key = req.matches[1];
                  const std::string ext = req.matches[2].str();
                  check_object_key(key);
                  std::lock_guard<std::mutex> lock(core.mutex);
                  RecordStore store(core.state, who);
                  Record* rec = store.find_external(key, ext);
                  if (rec == nullptr)
                    not_found("No " + key + " with externalId \"" + ext + "\"");
                  Json out = store.remove(rec->id);
                  core.persist();
                  send_json(res, 200, out);
                }));

  // 3-5. By id.
  const std::string by_id = objects_path("/([^/]+)");
  server.Get(by_id, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
               std::lock_guard<std::mutex> lock(core.mutex);
               RecordStore store(core.state, who);
               const Record& rec = store.get_or_404(req.matches[1]);
               send_json(res, 200, store.render(rec, query_paths(req)));
             }));
  server.Put(by_id, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
               const Json body = parse_json_object(req);
               const Envelope env = parse_envelope(body, true);
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
             }));
  server.Delete(by_id, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                  std::lock_guard<std::mutex> lock(core.mutex);
                  RecordStore store(core.state, who);
                  Json out = store.remove(req.matches[1]);
                  core.persist();
                  send_json(res, 200, out);
                }));
}

}  // namespace rr_emulator::detail
