#pragma once

// The data file: an SQLite database in write-ahead-log mode. The in-memory State stays the working
// set; every change is written through in its own transaction (see docs/adr/0014-*.md).

#include <cstddef>
#include <string>

#include "state.hpp"

struct sqlite3;

namespace rr_emulator::detail {

/// @brief The state as one JSON document (the format-1 JSON data file, imported by DataFile).
Json state_to_json(const State& state);
/// @brief The inverse of state_to_json; throws std::runtime_error on a malformed document.
State state_from_json(const Json& doc);

/// @brief One open data file. Not thread-safe: callers hold Core::mutex.
class DataFile {
 public:
  /// @brief Opens @p path, creating an empty database if it is absent. A format-1 JSON data file
  /// is imported: the JSON is kept as `PATH.v1.json` and PATH becomes the database.
  /// @throw std::runtime_error if the file cannot be created, read or imported (a corrupt file is
  /// left untouched).
  explicit DataFile(std::string path);
  ~DataFile();
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;

  /// @brief Everything the file holds.
  State load();

  /// @brief Writes what changed in @p state since the last save in one transaction: the records
  /// in State::changed_records, new events, counters and groups; everything if
  /// State::whole_unsaved. Clears those marks once committed.
  /// @throw std::runtime_error on an SQLite failure (the transaction is rolled back and the marks
  /// stay, so the next save writes the change again).
  void save(State& state);

 private:
  void exec(const char* sql);
  /// @brief Refuses an SQLite database that is not an rr-emulator data file, before any write.
  void check_format();
  void create_schema();
  void write_whole(const State& state);

  std::string path_;
  sqlite3* db_ = nullptr;
  /// How many of State::events the file holds.
  std::size_t events_saved_ = 0;
};

}  // namespace rr_emulator::detail
