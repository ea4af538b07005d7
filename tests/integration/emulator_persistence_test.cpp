// Persistence with a data file across restarts, and the rr-emulator executable itself
// (the listening line, --data, SIGTERM and SIGINT stops with exit status 0).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "emulator_fixture.hpp"
#include "support/build_paths.hpp"
#include "support/text_files.hpp"

namespace rr_emulator_test {
namespace {

// Emulator settings that keep the state in @p path.
rr_emulator::Options with_data_file(const std::string& path) {
  rr_emulator::Options options;
  options.data_file = path;
  return options;
}

/// @brief A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "rr-emulator-XXXXXX";
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

bool file_exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

/// @brief Runs @p sql (one number back, e.g. a count) on the data file at @p path, read-only.
long long query_number(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  long long out = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

/// @brief Talks to an emulator at @p port with its own token.
class Talker {
 public:
  explicit Talker(int port) : client_("127.0.0.1", port) {
    client_.set_connection_timeout(5);
    auto r = client_.Post("/oauth/token",
                          "grant_type=client_credentials&client_id=demo-client-id&"
                          "client_secret=demo-client-secret",
                          "application/x-www-form-urlencoded");
    if (r && r->status == 200)
      token_ = Json::parse(r->body)["access_token"];
  }
  Reply call(const std::string& method, const std::string& path, const Json& body = nullptr) {
    httplib::Headers h = {{"Authorization", "Bearer " + token_}};
    const std::string full = kApi + path;
    if (method == "GET")
      return to_reply(client_.Get(full.c_str(), h));
    return to_reply(client_.Post(full.c_str(), h, body.dump(), "application/json"));
  }
  [[nodiscard]] bool has_token() const { return !token_.empty(); }

 private:
  httplib::Client client_;
  std::string token_;
};

TEST(EmulatorPersistence, RecordsEventsAndGroupsSurviveARestart) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  const rr_emulator::Options options = with_data_file(data);
  std::string id;
  {
    rr_emulator::Emulator first(options);
    first.start();
    Talker t(first.port());
    ASSERT_TRUE(t.has_token());
    Reply r = t.call("POST", "/objects", {{"objectKey", "customer"}, {"json", {{"name", "Kept"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    id = r.json["id"];
    ASSERT_EQ(t.call("POST", "/userGroups", {{"name", "Ops"}}).status, 200);
    first.stop();
  }
  rr_emulator::Emulator second(options);
  second.start();
  Talker t(second.port());
  Reply got = t.call("GET", "/objects/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json["name"], "Kept");
  EXPECT_EQ(got.json["fullId"], "CUST-1");
  // Counters persist too: the next customer is CUST-2, not a second CUST-1.
  EXPECT_EQ(t.call("POST", "/objects", {{"objectKey", "customer"}, {"json", Json::object()}})
                .json["fullId"],
            "CUST-2");
  EXPECT_EQ(t.call("GET", "/events?recordId=" + id + "&objectKey=customer").json["total"], 1);
  EXPECT_EQ(t.call("GET", "/userGroups").json.size(), 1u);
}

TEST(EmulatorPersistence, EveryChangeIsCommittedAtOnce) {
  TempDir dir;
  const std::string data = dir.file("state.db");
  const rr_emulator::Options options = with_data_file(data);
  rr_emulator::Emulator emulator(options);
  emulator.start();
  Talker t(emulator.port());
  Reply made = t.call("POST", "/objects", {{"objectKey", "tag"}, {"json", {{"name", "urgent"}}}});
  ASSERT_EQ(made.status, 200) << made.body;
  // Without stopping: another reader of the database already sees the record and its event.
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM records"), 1);
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM records WHERE id = '" +
                                   made.json["id"].get<std::string>() +
                                   "' AND object_key = 'tag' AND fields LIKE '%urgent%'"),
            1);
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM events"), 1);
  EXPECT_EQ(query_number(data,
                         "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                         "name IN ('records_by_object', 'records_by_external')"),
            2);
}

TEST(EmulatorPersistence, DeletesAndExternalIdsAreWrittenThrough) {
  TempDir dir;
  const std::string data = dir.file("state.db");
  const rr_emulator::Options options = with_data_file(data);
  rr_emulator::Emulator emulator(options);
  emulator.start();
  const auto ids = emulator.seed_records(
      "customer", {{{"name", "A"}, {"externalId", "ext-a"}}, {{"name", "B"}}});
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(query_number(data,
                         "SELECT count(*) FROM records WHERE object_key = 'customer' AND "
                         "external_id = 'ext-a'"),
            1);
  Talker t(emulator.port());
  ASSERT_TRUE(t.has_token());
  Reply gone = t.call("POST", "/objects/bulk_delete",
                      {{"objectKey", "customer"}, {"ids", Json::array({ids[1]})}});
  EXPECT_EQ(gone.status, 204) << gone.body;
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM records"), 1);
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM records WHERE id = '" + ids[1] + "'"), 0);
}

TEST(EmulatorPersistence, JsonDataFileIsImportedAndKeptBeside) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  // A format-1 file as the emulator wrote it before the SQLite storage.
  const Json v1 = {
      {"format", 1},
      {"records",
       {{{"id", "11111111-1111-4111-8111-111111111111"},
         {"objectKey", "customer"},
         {"fields",
          {{"id", "11111111-1111-4111-8111-111111111111"},
           {"objectKey", "customer"},
           {"name", "Imported"},
           {"fullId", "CUST-7"},
           {"externalId", "old-7"},
           {"version", 1}}},
         {"links", Json::object()},
         {"seq", 3}}}},
      {"counters", {{"customer", 7}}},
      {"events", Json::array()},
      {"userGroups",
       {{{"id", "g1"}, {"name", "Ops"}, {"description", ""}, {"members", Json::array()}}}},
      {"nextSeq", 4}};
  { std::ofstream(data) << v1.dump(); }
  const rr_emulator::Options options = with_data_file(data);
  {
    rr_emulator::Emulator emulator(options);
    emulator.start();
    Talker t(emulator.port());
    Reply got = t.call("GET", "/objects/customer/old-7/external");
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json["name"], "Imported");
    EXPECT_EQ(t.call("POST", "/objects", {{"objectKey", "customer"}, {"json", Json::object()}})
                  .json["fullId"],
              "CUST-8");
    EXPECT_EQ(t.call("GET", "/userGroups").json.size(), 1u);
  }
  // The JSON is kept unchanged beside the database, which now holds both customers.
  EXPECT_EQ(Json::parse(rr_test::read_text(data + ".v1.json")), v1);
  EXPECT_EQ(rr_test::read_text(data).rfind("SQLite format 3", 0), 0u);
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM records"), 2);
  EXPECT_FALSE(file_exists(data + ".import"));
  // And a second start opens the database as it is.
  rr_emulator::Emulator again(options);
  again.start();
  EXPECT_EQ(Talker(again.port()).call("GET", "/objects/customer/old-7/external").status, 200);
}

TEST(EmulatorPersistence, ForeignFilesAreRefusedAndLeftUntouched) {
  TempDir dir;
  rr_emulator::Options options;
  // Neither SQLite nor JSON.
  options.data_file = dir.file("notes.txt");
  { std::ofstream(options.data_file) << "just some notes"; }
  EXPECT_THROW(rr_emulator::Emulator(options).start(), std::runtime_error);
  EXPECT_EQ(rr_test::read_text(options.data_file), "just some notes");
  // An SQLite database of something else.
  options.data_file = dir.file("other.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options.data_file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE invoices (n INTEGER)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  try {
    rr_emulator::Emulator(options).start();
    ADD_FAILURE() << "a foreign SQLite database was opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not an rr-emulator one"), std::string::npos) << e.what();
  }
  EXPECT_EQ(query_number(options.data_file, "SELECT count(*) FROM sqlite_master"), 1);
  // A JSON file whose backup name is taken is not imported (nothing would keep the JSON).
  options.data_file = dir.file("state.json");
  {
    std::ofstream(options.data_file)
        << R"({"format":1,"records":[],"counters":{},"events":[],"userGroups":[],"nextSeq":1})";
  }
  { std::ofstream(options.data_file + ".v1.json") << "{}"; }
  EXPECT_THROW(rr_emulator::Emulator(options).start(), std::runtime_error);
  EXPECT_EQ(rr_test::read_text(options.data_file).front(), '{');
}

TEST(EmulatorPersistence, CorruptDataFileFailsStartAndIsLeftUntouched) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  { std::ofstream(data) << "{not json"; }
  const rr_emulator::Options options = with_data_file(data);
  rr_emulator::Emulator emulator(options);
  EXPECT_THROW(emulator.start(), std::runtime_error);
  EXPECT_EQ(rr_test::read_text(data), "{not json");
}

TEST(EmulatorPersistence, UnwritableDataFileFailsStart) {
  TempDir dir;
  rr_emulator::Options options;
  options.data_file = dir.file("missing-dir/state.json");
  rr_emulator::Emulator emulator(options);
  EXPECT_THROW(emulator.start(), std::runtime_error);
}

TEST(EmulatorPersistence, ResetIsSavedToo) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  const rr_emulator::Options options = with_data_file(data);
  rr_emulator::Emulator emulator(options);
  emulator.start();
  Talker t(emulator.port());
  t.call("POST", "/objects", {{"objectKey", "tag"}, {"json", Json::object()}});
  ASSERT_EQ(query_number(data, "SELECT count(*) FROM records"), 1);
  emulator.reset();
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM records"), 0);
  EXPECT_EQ(query_number(data, "SELECT count(*) FROM events"), 0);
}

// ---- the executable ----------------------------------------------------------------------------

/// @brief A running rr-emulator child process.
struct Child {
  pid_t pid = -1;
  int out = -1;
  std::string first_line;
};

Child spawn(const std::vector<std::string>& args) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    std::string exe = RR_EMULATOR_EXE;
    argv.push_back(exe.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  child.out = fds[0];
  // Reads the first line, waiting for it (bounded), not for a fixed time.
  char c;
  pollfd p{child.out, POLLIN, 0};
  while (::poll(&p, 1, 20000) > 0 && ::read(child.out, &c, 1) == 1 && c != '\n') {
    child.first_line += c;
  }
  return child;
}

int port_of(const Child& child) {
  std::smatch m;
  static const std::regex line(R"(^listening on http://127\.0\.0\.1:(\d+)$)");
  if (!std::regex_match(child.first_line, m, line))
    return -1;
  return std::stoi(m[1]);
}

int stop_with(Child& child, int sig) {
  ::kill(child.pid, sig);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  ::close(child.out);
  return status;
}

TEST(EmulatorExecutable, PrintsListeningLineAndStopsOnSigtermWithExitZero) {
  Child child = spawn({"--port", "0"});
  const int port = port_of(child);
  ASSERT_GT(port, 0) << child.first_line;
  Talker t(port);
  EXPECT_TRUE(t.has_token());
  EXPECT_EQ(t.call("GET", "/boards/nav").status, 200);
  const int status = stop_with(child, SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(EmulatorExecutable, StopsOnSigintWithExitZero) {
  Child child = spawn({"--port", "0"});
  ASSERT_GT(port_of(child), 0) << child.first_line;
  const int status = stop_with(child, SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(EmulatorExecutable, DataFlagKeepsRecordsAcrossRestarts) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  std::string id;
  {
    Child child = spawn({"--port", "0", "--data", data});
    Talker t(port_of(child));
    Reply r = t.call("POST", "/objects", {{"objectKey", "customer"}, {"json", {{"name", "P"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    id = r.json["id"];
    stop_with(child, SIGTERM);
  }
  Child child = spawn({"--port", "0", "--data", data});
  Talker t(port_of(child));
  Reply r = t.call("GET", "/objects/" + id);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["name"], "P");
  stop_with(child, SIGTERM);
}

TEST(EmulatorExecutable, EveryAcknowledgedCreateSurvivesSigkill) {
  TempDir dir;
  const std::string data = dir.file("state.db");
  Child child = spawn({"--port", "0", "--data", data});
  const int port = port_of(child);
  ASSERT_GT(port, 0) << child.first_line;
  // Four writers stream creates; the emulator is killed while they are at it.
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      Talker t(port);
      for (int i = 0; !stop; ++i) {
        Reply r =
            t.call("POST", "/objects",
                   {{"objectKey", "customer"},
                    {"json", {{"externalId", "w" + std::to_string(w) + "-" + std::to_string(i)}}}});
        if (r.status < 200 || r.status > 299)
          break;  // the connection died with the emulator
        ++started;
        std::lock_guard<std::mutex> lock(mutex);
        acknowledged.push_back(r.json["id"].get<std::string>());
      }
    });
  }
  while (started < 200)
    std::this_thread::yield();
  ::kill(child.pid, SIGKILL);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  ::close(child.out);
  stop = true;
  for (auto& t : writers)
    t.join();
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(acknowledged.size(), 200u);

  Child again = spawn({"--port", "0", "--data", data});
  Talker t(port_of(again));
  std::size_t missing = 0;
  for (const auto& id : acknowledged) {
    if (t.call("GET", "/objects/" + id).status != 200)
      ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged creates";
  stop_with(again, SIGTERM);
}

TEST(EmulatorExecutable, CustomCredentialsAndTokenTtl) {
  Child child =
      spawn({"--port", "0", "--client-id", "me", "--client-secret", "s3", "--token-ttl", "60"});
  httplib::Client c("127.0.0.1", port_of(child));
  auto ok = c.Post("/oauth/token", "grant_type=client_credentials&client_id=me&client_secret=s3",
                   "application/x-www-form-urlencoded");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(Json::parse(ok->body)["expires_in"], 60);
  auto demo = c.Post(
      "/oauth/token",
      "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret",
      "application/x-www-form-urlencoded");
  EXPECT_EQ(demo->status, 401);
  stop_with(child, SIGTERM);
}

TEST(EmulatorExecutable, HelpAndBadFlags) {
  Child help = spawn({"--help"});
  EXPECT_EQ(help.first_line.rfind("usage: rr-emulator", 0), 0u) << help.first_line;
  int status = 0;
  ::waitpid(help.pid, &status, 0);
  ::close(help.out);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  Child bad = spawn({"--port", "seventy"});
  ::waitpid(bad.pid, &status, 0);
  ::close(bad.out);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

}  // namespace
}  // namespace rr_emulator_test
