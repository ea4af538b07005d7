// Issue 9: a hostile client against rr-emulator, over raw sockets where httplib's client would
// not send such things: deep JSON, huge bodies and heads, trickling heads, bytes that are not
// UTF-8, invented paths. Each must get a clear 4xx and leave the emulator serving.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "integration/emulator_fixture.hpp"

using rr_emulator_test::EmulatorTest;
using rr_emulator_test::Json;
using rr_emulator_test::kApi;
using rr_emulator_test::Reply;

namespace {

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends @p bytes (as much as the peer takes) and reads until the peer closes or 10 s pass.
std::string exchange(int port, const std::string& bytes) {
  const int fd = connect_to(port);
  if (fd < 0)
    return {};
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      break;  // the emulator stopped reading: its answer may already be there
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string reply;
  char chunk[4096];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0)
      break;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0)
      break;
    reply.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

int status_of(const std::string& reply) {
  if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12)
    return 0;
  return std::stoi(reply.substr(9, 3));
}

std::string request(const std::string& method, const std::string& target,
                    const std::string& headers, const std::string& body) {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string deep(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

}  // namespace

class EmulatorHostileTest : public EmulatorTest {
 protected:
  int port() const { return emulator_->port(); }
  std::string bearer() const { return "Authorization: Bearer " + token_ + "\r\n"; }
  // The emulator still answers an ordinary request.
  void expect_alive() {
    EXPECT_FALSE(fetch_token().empty());
    EXPECT_EQ(api("GET", "/boards/nav").status, 200);
  }
};

TEST_F(EmulatorHostileTest, DeeplyNestedJsonIsA400Everywhere) {
  const std::string nested = deep(100000);
  const std::string json = "Content-Type: application/json\r\n";
  std::string reply = exchange(port(), request("POST", "/oauth/token", json, nested));
  EXPECT_EQ(status_of(reply), 400) << reply.substr(0, 300);
  EXPECT_NE(reply.find("nested deeper than the limit"), std::string::npos) << reply.substr(0, 300);

  reply = exchange(port(), request("POST", "/__emulator/faults", json, R"({"a":)" + nested + "}"));
  EXPECT_EQ(status_of(reply), 400) << reply.substr(0, 300);

  reply = exchange(port(), request("POST", kApi + "/objects", json + bearer(),
                                   R"({"objectKey":"customer","json":{"name":)" + nested + "}}"));
  EXPECT_EQ(status_of(reply), 400) << reply.substr(0, 300);

  std::string dots = "a";
  for (int i = 0; i < 300000; ++i)
    dots += ".a";
  reply = exchange(port(), request("POST", kApi + "/objects", json + bearer(),
                                   R"({"objectKey":"customer","json":{"name":"n"},"paths":[")" +
                                       dots + R"("]})"));
  EXPECT_EQ(status_of(reply), 400) << reply.substr(0, 300);
  EXPECT_NE(reply.find("at most 32 segments"), std::string::npos) << reply.substr(0, 300);
  expect_alive();
}

TEST_F(EmulatorHostileTest, OversizedBodyIsRefusedBeforeItIsRead) {
  // The announced body never comes: only refusing on the header answers at once.
  const std::string head =
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 200000000\r\n\r\n[[[[";
  const std::string reply = exchange(port(), head);
  EXPECT_EQ(status_of(reply), 413) << reply.substr(0, 300);
  expect_alive();
}

TEST_F(EmulatorHostileTest, EndlessHeaderLinesEndInA431) {
  std::string flood = "GET " + kApi + "/boards/nav HTTP/1.1\r\nHost: x\r\n";
  while (flood.size() < 4 * 1024 * 1024)
    flood += "X-Padding: " + std::string(100, 'p') + "\r\n";
  const std::string reply = exchange(port(), flood);
  EXPECT_EQ(status_of(reply), 431) << reply.substr(0, 300);
  expect_alive();
}

TEST_F(EmulatorHostileTest, TricklingConnectionsDoNotStarveANormalRequest) {
  std::atomic<bool> stop{false};
  std::vector<int> fds;
  for (int i = 0; i < 40; ++i) {
    const int fd = connect_to(port());
    ASSERT_GE(fd, 0);
    const std::string start = "GET " + kApi + "/boards/nav HTTP/1.1\r\nX-Slow: ";
    ASSERT_GT(::send(fd, start.data(), start.size(), MSG_NOSIGNAL), 0);
    fds.push_back(fd);
  }
  std::thread trickle([&stop, &fds] {
    // One byte per connection every 100 ms, for as long as the test runs (at most 20 s).
    for (int round = 0; round < 200 && !stop; ++round) {
      for (const int fd : fds)
        (void)::send(fd, "a", 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // With every worker held by a trickler, this request waited in the queue past its limit.
  auto c = client();
  c.set_read_timeout(8);
  httplib::Headers headers{{"Authorization", "Bearer " + token_}};
  const Reply r = rr_emulator_test::to_reply(c.Get((kApi + "/boards/nav").c_str(), headers));
  stop = true;
  trickle.join();
  for (const int fd : fds)
    ::close(fd);
  EXPECT_TRUE(r.ok) << "the normal request was not served";
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(EmulatorHostileTest, TextThatIsNotUtf8IsRefusedAtTheEdgeAndNothingIsStored) {
  EXPECT_EQ(api("GET", "/objects/%ff").status, 400);
  EXPECT_EQ(raw("GET", "/__emulator/stats", "", "-").status, 200);
  const Reply patch = api("PATCH", "/objects/customer/%FF/external", Json{{"name", "x"}});
  EXPECT_EQ(patch.status, 400) << patch.body;
  const std::string form_reply = exchange(
      port(), request("POST", "/oauth/token", "Content-Type: application/x-www-form-urlencoded\r\n",
                      "grant_type=client_credentials&client_id=\xff"));
  EXPECT_EQ(status_of(form_reply), 400) << form_reply.substr(0, 300);
  // A stored record with a non-UTF-8 id made every customer search answer 400.
  const Reply search = api("POST", "/objects/search", Json{{"boardId", board_of("customer")}});
  EXPECT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(raw("GET", "/__emulator/stats", "", "-").status, 200);
}

TEST_F(EmulatorHostileTest, InventedPathsDoNotGrowTheStats) {
  auto c = client();
  for (int i = 0; i < 1500; ++i)
    (void)c.Get((kApi + "/invented/" + std::to_string(i)).c_str());
  const auto stats = emulator_->stats();
  EXPECT_LE(stats.api_requests.size(), 1001u);
  std::size_t total = 0;
  for (const auto& [path, count] : stats.api_requests)
    total += count;
  EXPECT_GE(total, 1500u) << "every request is still counted";
}

TEST_F(EmulatorHostileTest, ExceptionTextNeverReachesAHeader) {
  const Reply r = raw("POST", "/__emulator/faults", R"({"method":5,"status":500})", "-");
  EXPECT_GE(r.status, 400);
  EXPECT_EQ(r.header("EXCEPTION_WHAT"), "");
  EXPECT_EQ(r.body.find("json.exception"), std::string::npos) << r.body;
  expect_alive();
}
