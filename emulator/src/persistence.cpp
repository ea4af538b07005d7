#include "persistence.hpp"
#include "core/json_limits.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core.hpp"

namespace rr_emulator::detail {
namespace {

constexpr int kFormatVersion = 1;

std::string errno_text() {
  return std::strerror(errno);
}

std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

Json groups_to_json(const std::vector<UserGroup>& groups) {
  Json out = Json::array();
  for (const auto& g : groups) {
    Json members = Json::array();
    for (const auto& m : g.members) {
      members.push_back({{"id", m.id}, {"addedAt", m.added_at}, {"addedBy", m.added_by}});
    }
    out.push_back(
        {{"id", g.id}, {"name", g.name}, {"description", g.description}, {"members", members}});
  }
  return out;
}

std::vector<UserGroup> groups_from_json(const Json& groups) {
  std::vector<UserGroup> out;
  for (const auto& g : groups) {
    UserGroup group{g.at("id").get<std::string>(),
                    g.at("name").get<std::string>(),
                    g.value("description", std::string()),
                    {}};
    for (const auto& m : g.at("members")) {
      group.members.push_back(Member{m.at("id").get<std::string>(),
                                     m.value("addedAt", std::string()),
                                     m.value("addedBy", std::string())});
    }
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace

Json state_to_json(const State& state) {
  Json records = Json::array();
  for (const auto& [id, rec] : state.records) {
    records.push_back({{"id", rec.id},
                       {"objectKey", rec.object_key},
                       {"fields", rec.fields},
                       {"links", rec.links},
                       {"seq", rec.seq}});
  }
  Json events = Json::array();
  for (const auto& ev : state.events)
    events.push_back({{"body", ev.body}, {"seq", ev.seq}});
  Json groups = groups_to_json(state.groups);
  return {{"format", kFormatVersion}, {"records", records},   {"counters", state.counters},
          {"events", events},         {"userGroups", groups}, {"nextSeq", state.next_seq}};
}

State state_from_json(const Json& doc) {
  try {
    if (!doc.is_object() || doc.value("format", 0) != kFormatVersion) {
      throw std::runtime_error("not an rr-emulator data file (format 1)");
    }
    State state;
    for (const auto& r : doc.at("records")) {
      Record rec;
      rec.id = r.at("id").get<std::string>();
      rec.object_key = r.at("objectKey").get<std::string>();
      rec.fields = r.at("fields");
      rec.links = r.at("links").get<std::map<std::string, std::vector<std::string>>>();
      rec.seq = r.at("seq").get<std::uint64_t>();
      state.records.emplace(rec.id, std::move(rec));
    }
    state.counters = doc.at("counters").get<std::map<std::string, std::uint64_t>>();
    for (const auto& e : doc.at("events")) {
      state.events.push_back(Event{e.at("body"), e.at("seq").get<std::uint64_t>()});
    }
    state.groups = groups_from_json(doc.at("userGroups"));
    state.next_seq = doc.at("nextSeq").get<std::uint64_t>();
    index_external_ids(state);
    return state;
  } catch (const Json::exception& e) {
    throw std::runtime_error(std::string("malformed data file: ") + e.what());
  }
}

namespace {

const char kSqliteMagic[] = "SQLite format 3";
const char kFormatTag[] = "rr-emulator-sqlite-1";

bool file_exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read data file " + path + ": " + errno_text());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The first non-blank byte of a format-1 JSON data file is '{'; an SQLite file starts with its
// magic string; an empty file is a fresh database.
enum class FileKind { kAbsentOrEmpty, kSqlite, kJson, kOther };

FileKind kind_of(const std::string& path) {
  if (!file_exists(path))
    return FileKind::kAbsentOrEmpty;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read data file " + path + ": " + errno_text());
  char head[16] = {};
  in.read(head, sizeof head);
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got == 0)
    return FileKind::kAbsentOrEmpty;
  if (got == sizeof head && std::memcmp(head, kSqliteMagic, sizeof kSqliteMagic) == 0)
    return FileKind::kSqlite;
  for (std::size_t i = 0; i < got; ++i) {
    if (std::isspace(static_cast<unsigned char>(head[i])) != 0)
      continue;
    return head[i] == '{' ? FileKind::kJson : FileKind::kOther;
  }
  return FileKind::kOther;
}

State parse_json_file(const std::string& path) {
  roserocket::detail::JsonParse outcome = roserocket::detail::JsonParse::kOk;
  Json doc = roserocket::detail::parse_json_limited(read_whole(path), outcome);
  if (outcome != roserocket::detail::JsonParse::kOk) {
    throw std::runtime_error("data file " + path + " is " +
                             roserocket::detail::describe_parse_failure(outcome));
  }
  try {
    return state_from_json(doc);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("data file " + path + ": " + e.what());
  }
}

void fsync_directory_of(const std::string& path) {
  int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

/// @brief One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int at, const std::string& text) {
    check(
        sqlite3_bind_text(stmt_, at, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
  }
  void bind(int at, std::uint64_t value) {
    check(sqlite3_bind_int64(stmt_, at, static_cast<sqlite3_int64>(value)));
  }
  void bind_null(int at) { check(sqlite3_bind_null(stmt_, at)); }
  /// @brief Steps once: true while rows come.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc != SQLITE_DONE)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
    return false;
  }
  /// @brief Runs a write and makes the statement ready for the next bindings.
  void run() {
    step();
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  [[nodiscard]] std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  [[nodiscard]] std::uint64_t number(int col) const {
    return static_cast<std::uint64_t>(sqlite3_column_int64(stmt_, col));
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

Json parse_column(const std::string& text, const std::string& path) {
  Json out = Json::parse(text, nullptr, false);
  if (out.is_discarded())
    throw std::runtime_error("data file " + path + " holds a malformed JSON column");
  return out;
}

sqlite3* open_database(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw std::runtime_error("cannot open data file " + path + ": " + why);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return db;
}

}  // namespace

DataFile::DataFile(std::string path) : path_(std::move(path)) {
  const FileKind kind = kind_of(path_);
  if (kind == FileKind::kOther) {
    throw std::runtime_error("data file " + path_ +
                             " is neither an rr-emulator database nor a format-1 JSON data file");
  }
  if (kind == FileKind::kJson) {
    // Import: build the database beside the file, keep the JSON as PATH.v1.json (a hard link, so
    // PATH is never missing), then rename the database over PATH.
    State imported = parse_json_file(path_);
    const std::string backup = path_ + ".v1.json";
    const std::string staging = path_ + ".import";
    if (file_exists(backup)) {
      throw std::runtime_error("cannot import the JSON data file " + path_ + ": " + backup +
                               " already exists (move it away first)");
    }
    ::unlink(staging.c_str());
    db_ = open_database(staging);
    try {
      create_schema();
      imported.whole_unsaved = true;
      save(imported);
    } catch (...) {
      sqlite3_close(db_);
      db_ = nullptr;
      ::unlink(staging.c_str());
      throw;
    }
    sqlite3_close(db_);
    db_ = nullptr;
    if (::link(path_.c_str(), backup.c_str()) != 0) {
      ::unlink(staging.c_str());
      throw std::runtime_error("cannot keep the JSON data file as " + backup + ": " + errno_text());
    }
    if (::rename(staging.c_str(), path_.c_str()) != 0) {
      ::unlink(staging.c_str());
      throw std::runtime_error("cannot rename " + staging + " to " + path_ + ": " + errno_text());
    }
    fsync_directory_of(path_);
  }
  db_ = open_database(path_);
  try {
    check_format();
    // WAL: a commit appends to PATH-wal. NORMAL: a commit is on disk before it is answered as far
    // as a crash of the emulator goes; a crash of the OS may lose the last commits (ADR 0014).
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    create_schema();
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

void DataFile::check_format() {
  Statement tables(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  if (!tables.step() || tables.number(0) == 0)
    return;  // a fresh database
  Statement has_meta(db_,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (has_meta.step() && has_meta.number(0) == 1) {
    Statement tag(db_, "SELECT value FROM meta WHERE key = 'format'");
    if (tag.step()) {
      if (tag.text(0) == kFormatTag)
        return;
      throw std::runtime_error("data file " + path_ + " has an unknown format " + tag.text(0));
    }
  }
  throw std::runtime_error("data file " + path_ +
                           " is an SQLite database, but not an rr-emulator one");
}

void DataFile::create_schema() {
  exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  exec(
      "CREATE TABLE IF NOT EXISTS records ("
      " id TEXT PRIMARY KEY, object_key TEXT NOT NULL, external_id TEXT,"
      " seq INTEGER NOT NULL, fields TEXT NOT NULL, links TEXT NOT NULL)");
  // Get by id uses the primary key; get by external id and search by object key these two.
  exec("CREATE INDEX IF NOT EXISTS records_by_object ON records (object_key, seq)");
  exec("CREATE INDEX IF NOT EXISTS records_by_external ON records (object_key, external_id)");
  exec(
      "CREATE TABLE IF NOT EXISTS events (pos INTEGER PRIMARY KEY, seq INTEGER NOT NULL,"
      " body TEXT NOT NULL)");
  exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', 'rr-emulator-sqlite-1')");
}

DataFile::~DataFile() {
  sqlite3_close(db_);
}

void DataFile::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw std::runtime_error("data file " + path_ + ": " + why);
  }
}

State DataFile::load() {
  State state;
  try {
    Statement records(db_, "SELECT id, object_key, seq, fields, links FROM records");
    while (records.step()) {
      Record rec;
      rec.id = records.text(0);
      rec.object_key = records.text(1);
      rec.seq = records.number(2);
      rec.fields = parse_column(records.text(3), path_);
      rec.links = parse_column(records.text(4), path_)
                      .get<std::map<std::string, std::vector<std::string>>>();
      state.records.emplace(rec.id, std::move(rec));
    }
    Statement events(db_, "SELECT seq, body FROM events ORDER BY pos");
    while (events.step())
      state.events.push_back(Event{parse_column(events.text(1), path_), events.number(0)});
    Statement meta(db_, "SELECT key, value FROM meta");
    while (meta.step()) {
      const std::string key = meta.text(0);
      if (key == "counters") {
        state.counters =
            parse_column(meta.text(1), path_).get<std::map<std::string, std::uint64_t>>();
      } else if (key == "userGroups") {
        state.groups = groups_from_json(parse_column(meta.text(1), path_));
      } else if (key == "nextSeq") {
        state.next_seq = std::stoull(meta.text(1));
      }
    }
  } catch (const Json::exception& e) {
    throw std::runtime_error("data file " + path_ + ": " + e.what());
  } catch (const std::logic_error& e) {
    throw std::runtime_error("data file " + path_ + ": " + e.what());
  }
  events_saved_ = state.events.size();
  state.whole_unsaved = false;
  index_external_ids(state);
  return state;
}

void DataFile::save(State& state) {
  const bool whole = state.whole_unsaved || state.events.size() < events_saved_;
  const std::size_t events_before = events_saved_;
  exec("BEGIN IMMEDIATE");
  try {
    if (whole) {
      exec("DELETE FROM records");
      exec("DELETE FROM events");
      events_saved_ = 0;
    }
    Statement put(db_,
                  "INSERT OR REPLACE INTO records (id, object_key, external_id, seq, fields, links)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    Statement drop(db_, "DELETE FROM records WHERE id = ?1");
    auto write = [&put](const Record& rec) {
      put.bind(1, rec.id);
      put.bind(2, rec.object_key);
      auto ext = rec.fields.find("externalId");
      if (ext != rec.fields.end() && ext->is_string()) {
        put.bind(3, ext->get<std::string>());
      } else {
        put.bind_null(3);
      }
      put.bind(4, rec.seq);
      put.bind(5, rec.fields.dump());
      put.bind(6, Json(rec.links).dump());
      put.run();
    };
    if (whole) {
      for (const auto& entry : state.records)
        write(entry.second);
    } else {
      for (const auto& id : state.changed_records) {
        auto it = state.records.find(id);
        if (it != state.records.end()) {
          write(it->second);
        } else {
          drop.bind(1, id);
          drop.run();
        }
      }
    }
    Statement event(db_, "INSERT INTO events (pos, seq, body) VALUES (?1, ?2, ?3)");
    for (std::size_t i = events_saved_; i < state.events.size(); ++i) {
      event.bind(1, static_cast<std::uint64_t>(i));
      event.bind(2, state.events[i].seq);
      event.bind(3, state.events[i].body.dump());
      event.run();
    }
    Statement meta(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
    meta.bind(1, std::string("counters"));
    meta.bind(2, Json(state.counters).dump());
    meta.run();
    meta.bind(1, std::string("userGroups"));
    meta.bind(2, groups_to_json(state.groups).dump());
    meta.run();
    meta.bind(1, std::string("nextSeq"));
    meta.bind(2, std::to_string(state.next_seq));
    meta.run();
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    events_saved_ = events_before;
    throw;
  }
  events_saved_ = state.events.size();
  state.changed_records.clear();
  state.whole_unsaved = false;
}

void Core::persist() {
  if (file)
    file->save(state);
}

}  // namespace rr_emulator::detail
