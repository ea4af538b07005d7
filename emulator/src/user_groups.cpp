#include "user_groups.hpp"

#include <algorithm>

#include "http_util.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

Json group_json(const UserGroup& g) {
  Json out = {{"id", g.id}, {"name", g.name}, {"type", "local"}};
  if (!g.description.empty())
    out["description"] = g.description;
  return out;
}

// One body for the const and the mutable lookup.
template <typename S>
auto& find_group(S& state, const std::string& id) {
  for (auto& g : state.groups) {
    if (g.id == id)
      return g;
  }
  not_found("User group with ID \"" + id + "\" not found.");
}

std::vector<std::string> id_list(const Json& body, const char* key,
                                 std::vector<std::string>& errors) {
  if (!body.contains(key))
    return {};
  const Json& v = body[key];
  if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const Json& x) {
        return x.is_string() && is_uuid(x.get<std::string>());
      })) {
    errors.push_back(std::string("each value in ") + key + " must be a UUID");
    return {};
  }
  return v.get<std::vector<std::string>>();
}

}  // namespace

Json list_user_groups(const State& state) {
  Json out = Json::array();
  for (const auto& g : state.groups)
    out.push_back(group_json(g));
  return out;
}

Json create_user_group(State& state, const Json& body) {
  std::vector<std::string> errors;
  std::string name;
  if (!body.contains("name") || !body["name"].is_string()) {
    errors.emplace_back("name must be a string");
    errors.emplace_back("name should not be empty");
  } else {
    name = body["name"].get<std::string>();
    if (name.find_first_not_of(" \t") == std::string::npos) {
      errors.emplace_back("name should not be empty");
    }
  }
  if (body.contains("description") && !body["description"].is_string()) {
    errors.emplace_back("description must be a string");
  }
  if (!errors.empty())
    bad_request(errors);
  for (const auto& g : state.groups) {
    if (lower(g.name) == lower(name))
      throw ApiError(409, "Group name is already in use.");
  }
  UserGroup group{uuid_v4(), name, body.value("description", std::string()), {}};
  state.groups.push_back(group);
  return group_json(group);
}

Json list_members(const State& state, const std::string& group_id) {
  const auto& group = find_group(state, group_id);
  Json members = Json::array();
  for (const auto& m : group.members) {
    members.push_back({{"id", m.id}, {"addedAt", m.added_at}, {"addedBy", m.added_by}});
  }
  return {{"members", members}};
}

Json change_members(State& state, const Caller& caller, const std::string& group_id,
                    const Json& body) {
  UserGroup& group = find_group(state, group_id);
  std::vector<std::string> errors;
  const auto add = id_list(body, "add", errors);
  const auto remove = id_list(body, "remove", errors);
  if (!errors.empty())
    bad_request(errors);
  auto is_member = [&](const std::string& id) {
    return std::any_of(group.members.begin(), group.members.end(),
                       [&](const Member& m) { return m.id == id; });
  };
  int added = 0;
  int removed = 0;
  for (const auto& id : add) {
    // Removal takes precedence: an id in both lists ends up not a member.
    if (std::find(remove.begin(), remove.end(), id) != remove.end() || is_member(id))
      continue;
    group.members.push_back(Member{id, caller.now, caller.user_id});
    ++added;
  }
  for (const auto& id : remove) {
    auto it = std::find_if(group.members.begin(), group.members.end(),
                           [&](const Member& m) { return m.id == id; });
    if (it == group.members.end())
      continue;
    group.members.erase(it);
    ++removed;
  }
  return {{"added", added}, {"removed", removed}};
}

Json search_user_groups(const State& state, const Json& body) {
  std::vector<std::string> errors;
  const std::string name = body.contains("name") && body["name"].is_string()
                               ? body["name"].get<std::string>()
                               : std::string();
  std::vector<std::string> ids;
  if (body.contains("ids")) {
    if (!body["ids"].is_array()) {
      errors.emplace_back("ids must be an array");
    } else {
      for (const auto& id : body["ids"]) {
        if (id.is_string())
          ids.push_back(id.get<std::string>());
      }
    }
  }
  long limit = 100;
  long offset = 0;
  if (body.contains("limit")) {
    if (!body["limit"].is_number_integer() || body["limit"].get<long>() < 0) {
      errors.emplace_back("limit must be a non-negative integer");
    } else {
      limit = body["limit"].get<long>();
    }
  }
  if (body.contains("offset")) {
    if (!body["offset"].is_number_integer() || body["offset"].get<long>() < 0) {
      errors.emplace_back("offset must be a non-negative integer");
    } else {
      offset = body["offset"].get<long>();
    }
  }
  if (!errors.empty())
    bad_request(errors);
  std::vector<const UserGroup*> hits;
  for (const auto& g : state.groups) {
    if (!name.empty() && lower(g.name).find(lower(name)) == std::string::npos)
      continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), g.id) == ids.end())
      continue;
    hits.push_back(&g);
  }
  Json results = Json::array();
  for (std::size_t i = static_cast<std::size_t>(offset);
       i < hits.size() && results.size() < static_cast<std::size_t>(limit); ++i) {
    results.push_back(group_json(*hits[i]));
  }
  return {{"total", hits.size()}, {"results", results}};
}

}  // namespace rr_emulator::detail
