#pragma once

// User groups: list, create, members (add/remove, remove wins), search.

#include <string>

#include "core.hpp"

namespace rr_emulator::detail {

/// @brief GET /userGroups.
Json list_user_groups(const State& state);
/// @brief POST /userGroups `{name, description?}`: 400 on an empty name, 409 on a taken one.
Json create_user_group(State& state, const Json& body);
/// @brief GET /userGroups/{id}/members; 404 for an unknown group.
Json list_members(const State& state, const std::string& group_id);
/// @brief POST /userGroups/{id}/members `{add[], remove[]}` -> `{added, removed}`.
Json change_members(State& state, const Caller& caller, const std::string& group_id,
                    const Json& body);
/// @brief POST /userGroups/search `{name, ids, limit, offset}` -> `{total, results}`.
Json search_user_groups(const State& state, const Json& body);

}  // namespace rr_emulator::detail
