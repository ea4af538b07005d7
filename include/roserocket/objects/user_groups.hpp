#pragma once

/// @file
/// @brief `UserGroups`: list and create user groups, list and change their members, search.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/paging.hpp"

namespace roserocket {

/// @brief One user group. A value type.
struct ROSEROCKET_API UserGroup {
  /// The group's id.
  std::string id;
  /// Its name as the product shows it (unique within the org).
  std::string name;
  /// Its kind; "local" is the one documented value.
  model::UserGroupType type;
  /// An optional description.
  std::optional<std::string> description;
  /// Everything the server sent, unknown keys included.
  Json json = Json(Json::value_t::object);

  /// @brief Reads one group; missing keys stay empty.
  /// @throw InvalidArgumentError when @p json is not an object.
  static UserGroup from_json(const Json& json);
};

/// @brief One member of a user group.
struct ROSEROCKET_API UserGroupMember {
  /// The user's id.
  std::string id;
  /// When the user was added (ISO-8601), when the server says.
  std::optional<std::string> added_at;
  /// Name of the user who added them, when the server says.
  std::optional<std::string> added_by;
};

/// @brief What a membership change did.
struct ROSEROCKET_API MembershipChange {
  /// Users added.
  int added = 0;
  /// Users removed.
  int removed = 0;
};

/// @brief The body of `POST /userGroups/search`.
struct ROSEROCKET_API UserGroupSearch {
  /// Groups of this name.
  std::optional<std::string> name;
  /// Only these groups.
  std::vector<std::string> ids;
  /// Groups per page.
  std::optional<int> limit;
  /// Groups to skip.
  std::optional<int> offset;
};

/// @brief One page of a user group search.
struct ROSEROCKET_API UserGroupPage {
  /// The total number of matching groups.
  std::int64_t total = 0;
  /// This page.
  std::vector<UserGroup> results;
};

/// @brief The org's user groups. Cheap to copy; thread-safe as `Client` is.
class ROSEROCKET_API UserGroups {
 public:
  /// @brief User groups over @p client.
  explicit UserGroups(Client client);

  /// @brief `GET /userGroups`: every group of the org.
  [[nodiscard]] std::vector<UserGroup> list(const RequestOptions& options = {}) const;

  /// @brief `POST /userGroups {name, description?}`. Not retried once it may have reached the
  /// server. @throw ConflictError when the name is in use; InvalidArgumentError for an empty name.
  UserGroup create(std::string_view name, std::optional<std::string> description = std::nullopt,
                   const RequestOptions& options = {}) const;

  /// @brief `GET /userGroups/{groupId}/members`.
  [[nodiscard]] std::vector<UserGroupMember> members(std::string_view group_id,
                                                     const RequestOptions& options = {}) const;

  /// @brief `POST /userGroups/{groupId}/members {add, remove}`; a user in both lists ends up
  /// removed (the server's rule). Safe to retry: the result is the same.
  /// @throw InvalidArgumentError when both lists are empty or an id is empty.
  MembershipChange change_members(std::string_view group_id, const std::vector<std::string>& add,
                                  const std::vector<std::string>& remove,
                                  const RequestOptions& options = {}) const;
  /// @brief `change_members(group_id, user_ids, {})`.
  MembershipChange add_members(std::string_view group_id, const std::vector<std::string>& user_ids,
                               const RequestOptions& options = {}) const;
  /// @brief `change_members(group_id, {}, user_ids)`.
  MembershipChange remove_members(std::string_view group_id,
                                  const std::vector<std::string>& user_ids,
                                  const RequestOptions& options = {}) const;

  /// @brief `POST /userGroups/search` once: one page.
  /// @throw InvalidArgumentError for a limit below 1 or a negative offset.
  [[nodiscard]] UserGroupPage search(const UserGroupSearch& query,
                                     const RequestOptions& options = {}) const;

  /// @brief Every group matching @p query, fetched @p page_size at a time while the range is
  /// iterated, until a short page or the total is reached (or a page that starts where the
  /// last one did: a server ignoring `offset`).
  /// @throw InvalidArgumentError (at once) for a page size below 1; while iterating, the errors
  /// of `search`.
  [[nodiscard]] PagedRange<UserGroup> search_range(UserGroupSearch query, int page_size = 100,
                                                   const RequestOptions& options = {}) const;

  /// @brief `search_range(query, page_size, options).to_vector()`: every group at once.
  [[nodiscard]] std::vector<UserGroup> search_all(UserGroupSearch query, int page_size = 100,
                                                  const RequestOptions& options = {}) const;

 private:
  Client client_;
};

}  // namespace roserocket
