#pragma once

// The emulator's data: records, events and user groups. Guarded by the owner's mutex; nothing
// here locks.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rr_emulator::detail {

using Json = nlohmann::json;

/// @brief One stored record.
struct Record {
  std::string id;
  std::string object_key;
  /// Own fields (common ones included), never connections and never derived fields.
  Json fields = Json::object();
  /// Connection field -> linked record ids (at most one for a single connection).
  std::map<std::string, std::vector<std::string>> links;
  /// Creation order, a tie-breaker where time stamps are equal.
  std::uint64_t seq = 0;
};

/// @brief One record event, in the vendor's envelope: `{id, type, refId, ownerId, orgId,
/// objectKey, createdAt, json}` (no board id).
struct Event {
  Json body;
  std::uint64_t seq = 0;
};

/// @brief One member of a user group.
struct Member {
  std::string id;
  std::string added_at;
  std::string added_by;
};

/// @brief One user group.
struct UserGroup {
  std::string id;
  std::string name;
  std::string description;
  std::vector<Member> members;
};

/// @brief Everything the emulator persists.
struct State {
  std::map<std::string, Record> records;
  /// Object key -> last `fullId` number handed out.
  std::map<std::string, std::uint64_t> counters;
  std::vector<Event> events;
  std::vector<UserGroup> groups;
  std::uint64_t next_seq = 1;

  // What a save must write (see DataFile::save); not part of the data itself.
  /// Ids of records created, changed or deleted since the last save.
  std::set<std::string> changed_records;
  /// True for a state not written as a whole yet (a fresh or reset one): the next save rewrites
  /// the file.
  bool whole_unsaved = true;
};

}  // namespace rr_emulator::detail
