#pragma once

// Record events: written on every create and change, listed by GET /events, added by POST.

#include <string>

#include "core.hpp"
#include "state.hpp"

namespace rr_emulator::detail {

/// @brief Appends an event of @p type about @p record with payload @p json, in the vendor's
/// envelope `{id, type, refId, ownerId, orgId, objectKey, createdAt, json}` (no board id: the
/// board a POST /events names is where the record was seen, not part of the event).
void append_event(State& state, const Caller& caller, const std::string& type, const Record& record,
                  Json json);

/// @brief GET /events: @p params are the query parameters (repeated ones joined by commas).
Json list_events(const State& state, const std::map<std::string, std::string>& params);

/// @brief POST /events `{recordId, boardId, type, json}`; returns the event.
Json create_event(State& state, const Caller& caller, const Json& body);

}  // namespace rr_emulator::detail
