#pragma once

// The data file: loaded once at start, rewritten atomically after every change.

#include <string>

#include "state.hpp"

namespace rr_emulator::detail {

/// @brief The state as one JSON document (the data file's format).
Json state_to_json(const State& state);
/// @brief The inverse of state_to_json; throws std::runtime_error on a malformed document.
State state_from_json(const Json& doc);

/// @brief Loads @p path; an absent file is an empty state.
/// @throw std::runtime_error if the file exists but cannot be read or parsed.
State load_state(const std::string& path);

/// @brief Writes @p state to @p path via a temp file, fsync and rename, so a crash leaves
/// either the old or the new file, never a torn one.
/// @throw std::runtime_error on an I/O failure.
void save_state(const std::string& path, const State& state);

}  // namespace rr_emulator::detail
