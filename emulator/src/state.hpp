#pragma once

// The emulator's data: records, events and user groups. Guarded by the owner's mutex; nothing
// here locks.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
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

/// @brief The search index's view of records written recently, when it lags behind writes
/// (Options::search_lag). A write to a record queues the record as it is after the write, due
/// `lag` later; until then the search answers the version it showed before (or nothing, for a
/// record created meanwhile). A GET by id always reads the live record. Records with nothing
/// pending have no entry: the search reads them live.
struct SearchIndexLag {
  /// A version of a record that becomes searchable at `due`; no record for a deletion.
  struct Pending {
    std::chrono::steady_clock::time_point due;
    std::optional<Record> record;
  };
  /// What the search shows of one record now (nothing: not searchable), and what comes next.
  struct Entry {
    std::optional<Record> shown;
    std::deque<Pending> pending;
  };
  /// 0: every write is searchable at once (no entries are made).
  std::chrono::milliseconds lag{0};
  std::map<std::string, Entry> entries;
};

/// @brief Everything the emulator persists.
struct State {
  std::map<std::string, Record> records;
  /// Object key -> last `fullId` number handed out.
  std::map<std::string, std::uint64_t> counters;
  std::vector<Event> events;
  std::vector<UserGroup> groups;
  std::uint64_t next_seq = 1;
  /// (object key, externalId) -> ids of the records that carry it, so that get and upsert by
  /// external id need no scan. Derived from `records`: RecordStore keeps it in step, and
  /// index_external_ids rebuilds it after a load.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> external_ids;

  // What a save must write (see DataFile::save); not part of the data itself.
  /// Ids of records created, changed or deleted since the last save.
  std::set<std::string> changed_records;
  /// True for a state not written as a whole yet (a fresh or reset one): the next save rewrites
  /// the file.
  bool whole_unsaved = true;
  /// The search index's lag (not persisted; its `lag` setting survives reset and load).
  SearchIndexLag search_index;
};

/// @brief Call before a write changes or deletes record @p id (or creates it): with a search
/// lag, remembers what the search shows of it until the write is due.
void index_before_write(State& state, const std::string& id);
/// @brief Call after that write: with a search lag, queues the record as it is now (or its
/// deletion) to become searchable `lag` from now.
void index_after_write(State& state, const std::string& id);
/// @brief Makes every queued version that is due searchable, and drops entries with nothing
/// pending.
void settle_search_index(State& state);

/// @brief Adds @p record's string externalId (if any) to `state.external_ids`.
void index_external_id(State& state, const Record& record);
/// @brief Removes @p record's string externalId (if any) from `state.external_ids`.
void unindex_external_id(State& state, const Record& record);
/// @brief Rebuilds `state.external_ids` from the records.
void index_external_ids(State& state);

}  // namespace rr_emulator::detail
