#pragma once

// What every request handler shares: the options, the state and the lock that guards it.

#include <memory>
#include <mutex>
#include <string>

#include "persistence.hpp"
#include "rr_emulator/emulator.hpp"
#include "state.hpp"

namespace rr_emulator::detail {

/// @brief The emulator's data and its lock. Handlers hold `mutex` for the whole operation, so
/// each request sees and leaves a consistent state.
struct Core {
  Options options;
  std::mutex mutex;
  State state;
  /// The open data file, if `options.data_file` is set (opened by Emulator::start).
  std::unique_ptr<DataFile> file;

  /// @brief Writes the change to the data file, if there is one. Call with `mutex` held, after a
  /// change.
  void persist();
};

/// @brief Who is calling and when: stamped on records and events.
struct Caller {
  std::string user_id;
  std::string org_id;
  std::string now;
};

}  // namespace rr_emulator::detail
