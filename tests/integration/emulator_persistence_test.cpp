// Persistence with a data file across restarts, and the rr-emulator executable itself
// (the listening line, --data, SIGTERM and SIGINT stops with exit status 0).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

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

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool file_exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
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
  rr_emulator::Options options;
  options.data_file = data;
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

TEST(EmulatorPersistence, EveryChangeIsWrittenAtOnceWithoutTempLeftovers) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  rr_emulator::Options options;
  options.data_file = data;
  rr_emulator::Emulator emulator(options);
  emulator.start();
  Talker t(emulator.port());
  t.call("POST", "/objects", {{"objectKey", "tag"}, {"json", {{"name", "urgent"}}}});
  // Without stopping: the file already holds the record.
  Json doc = Json::parse(read_file(data), nullptr, false);
  ASSERT_TRUE(doc.is_object());
  ASSERT_EQ(doc["records"].size(), 1u);
  EXPECT_EQ(doc["records"][0]["fields"]["name"], "urgent");
  EXPECT_FALSE(file_exists(data + ".tmp"));
}

TEST(EmulatorPersistence, CorruptDataFileFailsStartAndIsLeftUntouched) {
  TempDir dir;
  const std::string data = dir.file("state.json");
  { std::ofstream(data) << "{not json"; }
  rr_emulator::Options options;
  options.data_file = data;
  rr_emulator::Emulator emulator(options);
  EXPECT_THROW(emulator.start(), std::runtime_error);
  EXPECT_EQ(read_file(data), "{not json");
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
  rr_emulator::Options options;
  options.data_file = data;
  rr_emulator::Emulator emulator(options);
  emulator.start();
  Talker t(emulator.port());
  t.call("POST", "/objects", {{"objectKey", "tag"}, {"json", Json::object()}});
  emulator.reset();
  EXPECT_EQ(Json::parse(read_file(data))["records"].size(), 0u);
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
