#pragma once

// Boards: one per object key the catalog knows, plus one per custom (`__c`) object key that has
// records. Ids are derived from the object key, so they are the same on every run.

#include <optional>
#include <string>

#include "state.hpp"

namespace rr_emulator::detail {

/// @brief The board id of @p object_key.
std::string board_id_for(const std::string& object_key);

/// @brief The object key of the board @p board_id, if such a board exists.
std::optional<std::string> board_object_key(const State& state, const std::string& board_id);

/// @brief GET /boards/nav: the boards, optionally only the one for @p object_key.
Json boards_nav(const State& state, const std::string& object_key);

}  // namespace rr_emulator::detail
