#pragma once

// Private: state that every copy of one client shares and that the SDK fills in while it works
// (not configuration), kept behind the client's Impl so that Client's layout does not change.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "roserocket/client.hpp"

namespace roserocket::detail {

/// The board id found for each object key (`ObjectsApi::board_for`). Thread-safe.
class BoardIds {
 public:
  std::optional<std::string> find(std::string_view object_key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = ids_.find(object_key);
    return it == ids_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  // Keeps the first id remembered for a key: two threads that looked it up at once agree.
  std::string remember(std::string_view object_key, std::string board_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return ids_.emplace(std::string(object_key), std::move(board_id)).first->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> ids_;
};

/// The way in to a client's shared state (a friend of Client).
struct ClientState {
  static BoardIds& board_ids(const Client& client);
};

}  // namespace roserocket::detail
