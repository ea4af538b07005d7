#include "roserocket/objects/user_groups.hpp"

#include <limits>

#include "objects/request_util.hpp"

namespace roserocket {
namespace {

std::string members_path(std::string_view group_id) {
  return "/userGroups/" + percent_encode(group_id) + "/members";
}

// A membership count of the answer (`added`, `removed`): absent or null is 0; anything but a
// whole number from 0 to INT_MAX is refused (detail::count_at).
int membership_count(const Client& client, const ApiRequest& request, int status, const Json& body,
                     const char* key) {
  const std::int64_t n = detail::count_at(client, request, status, body, key);
  if (n > std::numeric_limits<int>::max()) {
    detail::malformed(client, request, status,
                      std::string("'") + key + "' is not a count: " + std::to_string(n) +
                          " is past the largest int");
  }
  return static_cast<int>(n);
}

}  // namespace

UserGroup UserGroup::from_json(const Json& json) {
  if (!json.is_object()) {
    throw InvalidArgumentError(std::string("a user group must be a JSON object, not ") +
                               json.type_name());
  }
  UserGroup g;
  g.id = detail::string_at(json, "id");
  g.name = detail::string_at(json, "name");
  g.type = model::UserGroupType(detail::string_at(json, "type"));
  if (auto it = json.find("description"); it != json.end() && it->is_string()) {
    g.description = it->get<std::string>();
  }
  g.json = json;
  return g;
}

UserGroups::UserGroups(Client client) : client_(std::move(client)) {}

std::vector<UserGroup> UserGroups::list(const RequestOptions& options) const {
  ApiRequest r = detail::make_request("user_groups.list", HttpMethod::kGet, "/userGroups", options);
  ApiResponse response = client_.call(r);
  if (!response.body.is_array()) {
    detail::malformed(client_, r, response.status, "expected a list of user groups");
  }
  std::vector<UserGroup> out;
  for (const auto& item : response.body) {
    if (!item.is_object())
      detail::malformed(client_, r, response.status, "a group is not an object");
    out.push_back(UserGroup::from_json(item));
  }
  return out;
}

UserGroup UserGroups::create(std::string_view name, std::optional<std::string> description,
                             const RequestOptions& options) const {
  constexpr const char* kOp = "user_groups.create";
  detail::require_non_empty(name, "name", kOp);
  ApiRequest r = detail::make_request(kOp, HttpMethod::kPost, "/userGroups", options,
                                      Idempotency::kNonIdempotent);
  Json body = {{"name", name}};
  if (description)
    body["description"] = *description;
  r.body = std::move(body);
  ApiResponse response = client_.call(r);
  if (!response.body.is_object()) {
    detail::malformed(client_, r, response.status, "expected the created user group");
  }
  return UserGroup::from_json(response.body);
}

std::vector<UserGroupMember> UserGroups::members(std::string_view group_id,
                                                 const RequestOptions& options) const {
  constexpr const char* kOp = "user_groups.members";
  detail::require_non_empty(group_id, "group id", kOp);
  ApiRequest r = detail::make_request(kOp, HttpMethod::kGet, members_path(group_id), options);
  ApiResponse response = client_.call(r);
  const Json& body = response.body;
  if (!body.is_object())
    detail::malformed(client_, r, response.status, "expected {members[]}");
  std::vector<UserGroupMember> out;
  // The vendor's schema names `members` but requires `userIds`; read whichever is there.
  if (auto it = body.find("members"); it != body.end() && it->is_array()) {
    for (const auto& m : *it) {
      if (!m.is_object())
        detail::malformed(client_, r, response.status, "a member is not an object");
      UserGroupMember member;
      member.id = detail::string_at(m, "id");
      if (auto at = m.find("addedAt"); at != m.end() && at->is_string()) {
        member.added_at = at->get<std::string>();
      }
      if (auto by = m.find("addedBy"); by != m.end() && by->is_string()) {
        member.added_by = by->get<std::string>();
      }
      out.push_back(std::move(member));
    }
  } else if (auto ids = body.find("userIds"); ids != body.end() && ids->is_array()) {
    for (const auto& id : *ids) {
      if (id.is_string())
        out.push_back(UserGroupMember{id.get<std::string>(), {}, {}});
    }
  } else {
    detail::malformed(client_, r, response.status, "expected {members[]}");
  }
  return out;
}

MembershipChange UserGroups::change_members(std::string_view group_id,
                                            const std::vector<std::string>& add,
                                            const std::vector<std::string>& remove,
                                            const RequestOptions& options) const {
  constexpr const char* kOp = "user_groups.change_members";
  detail::require_non_empty(group_id, "group id", kOp);
  if (add.empty() && remove.empty())
    detail::invalid(kOp, "nothing to add or remove");
  for (const auto& id : add)
    detail::require_non_empty(id, "every user id", kOp);
  for (const auto& id : remove)
    detail::require_non_empty(id, "every user id", kOp);
  ApiRequest r = detail::make_request(kOp, HttpMethod::kPost, members_path(group_id), options);
  Json body = Json::object();
  if (!add.empty())
    body["add"] = add;
  if (!remove.empty())
    body["remove"] = remove;
  r.body = std::move(body);
  ApiResponse response = client_.call(r);
  if (!response.body.is_object()) {
    detail::malformed(client_, r, response.status, "expected {added, removed}");
  }
  return MembershipChange{membership_count(client_, r, response.status, response.body, "added"),
                          membership_count(client_, r, response.status, response.body, "removed")};
}

MembershipChange UserGroups::add_members(std::string_view group_id,
                                         const std::vector<std::string>& user_ids,
                                         const RequestOptions& options) const {
  return change_members(group_id, user_ids, {}, options);
}

MembershipChange UserGroups::remove_members(std::string_view group_id,
                                            const std::vector<std::string>& user_ids,
                                            const RequestOptions& options) const {
  return change_members(group_id, {}, user_ids, options);
}

UserGroupPage UserGroups::search(const UserGroupSearch& query,
                                 const RequestOptions& options) const {
  constexpr const char* kOp = "user_groups.search";
  if (query.limit && *query.limit < 1)
    detail::invalid(kOp, "limit must be at least 1");
  if (query.offset && *query.offset < 0)
    detail::invalid(kOp, "offset must not be negative");
  ApiRequest r = detail::make_request(kOp, HttpMethod::kPost, "/userGroups/search", options);
  Json body = Json::object();
  if (query.name)
    body["name"] = *query.name;
  if (!query.ids.empty())
    body["ids"] = query.ids;
  if (query.limit)
    body["limit"] = *query.limit;
  if (query.offset)
    body["offset"] = *query.offset;
  r.body = std::move(body);
  ApiResponse response = client_.call(r);
  const Json& b = response.body;
  const auto results = b.is_object() ? b.find("results") : b.end();
  if (!b.is_object() || results == b.end() || !results->is_array()) {
    detail::malformed(client_, r, response.status, "expected {total, results[]}");
  }
  UserGroupPage page;
  page.total = detail::total_of(client_, r, response.status, b);
  for (const auto& item : *results) {
    if (!item.is_object())
      detail::malformed(client_, r, response.status, "a group is not an object");
    page.results.push_back(UserGroup::from_json(item));
  }
  return page;
}

PagedRange<UserGroup> UserGroups::search_range(UserGroupSearch query, int page_size,
                                               const RequestOptions& options) const {
  query.limit = page_size;
  const int first = query.offset.value_or(0);
  UserGroups groups = *this;
  return detail::offset_range<UserGroup>(
      "user_groups.search_all", first, page_size,
      [groups, query, options](int offset) mutable {
        query.offset = offset;
        UserGroupPage page = groups.search(query, options);
        return detail::OffsetPage<UserGroup>{std::move(page.results), page.total};
      },
      [](const UserGroup& g) { return g.id; });
}

std::vector<UserGroup> UserGroups::search_all(UserGroupSearch query, int page_size,
                                              const RequestOptions& options) const {
  return search_range(std::move(query), page_size, options).to_vector();
}

}  // namespace roserocket
