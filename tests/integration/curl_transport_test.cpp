// CurlTransport against real servers on 127.0.0.1: connection reuse, threads, timeouts, failure
// classification, retries through Client, and methods/headers/bodies round trips.

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "support/curl_test_server.hpp"

namespace rr = roserocket;
using rr::curl_test::ClosedPort;
using rr::curl_test::Gate;
using rr::curl_test::LoopbackHttpServer;
using rr::curl_test::raw_json_response;
using rr::curl_test::RawReply;
using rr::curl_test::RawRequest;
using rr::curl_test::RawSocketServer;

namespace {

constexpr const char* kToken = "curl-test-token-7f3a9c";
constexpr const char* kObjectsRoute = R"(/api/v2/platformModel/objects/([^/]+))";

// A customer record like the seeds' getting-started answer, with the requested id.
std::string customer_json(const std::string& id) {
  return rr::Json{{"id", id},           {"objectKey", "customer"},
                  {"fullId", "CUST-9"}, {"name", "XYZ Freight Corp"},
                  {"status", "active"}, {"version", 1}}
      .dump();
}

// Answers GET /objects/<id> with a customer whose id is <id>.
void add_customer_route(LoopbackHttpServer& server) {
  server.http().Get(kObjectsRoute, [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(customer_json(req.matches[1]), "application/json");
  });
}

// Retries without real waiting: the backoff sleep returns at once.
rr::Clock instant_clock() {
  rr::Clock clock = rr::Clock::real();
  clock.sleep = [](std::chrono::milliseconds) {};
  return clock;
}

rr::ClientOptions client_options(const std::string& base_url) {
  rr::ClientOptions options;
  options.base_url = base_url;
  options.token_provider = std::make_shared<rr::StaticTokenProvider>(kToken);
  options.clock = instant_clock();
  return options;
}

rr::HttpRequest request_to(const std::string& url, rr::HttpMethod method = rr::HttpMethod::kGet) {
  rr::HttpRequest request;
  request.method = method;
  request.url = url;
  return request;
}

// What a caught TransportError said.
struct Caught {
  bool timeout = false;
  bool maybe_sent = false;
  std::string what;
  std::string operation;
  bool request_may_have_been_sent() const { return maybe_sent; }
};

// Runs @p send and describes the TransportError it throws; fails the test if none.
template <typename F>
Caught expect_transport_error(F&& send) {
  Caught caught;
  try {
    send();
    ADD_FAILURE() << "expected a TransportError";
  } catch (const rr::TransportError& e) {
    caught.timeout = dynamic_cast<const rr::TimeoutError*>(&e) != nullptr;
    caught.maybe_sent = e.request_may_have_been_sent();
    caught.what = e.what();
    caught.operation = e.operation();
  }
  return caught;
}

}  // namespace

// ---- connection reuse and threads ------------------------------------------------------------

TEST(CurlTransport, ThousandSequentialGetsThroughOneClientUseExactlyOneTcpConnection) {
  LoopbackHttpServer server;
  add_customer_route(server);
  server.start();

  rr::Client client(client_options(server.base_url()));
  auto objects = client.objects();
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "c-" + std::to_string(i);
    ASSERT_EQ(objects.get(id)["id"], id);
  }
  EXPECT_EQ(server.requests(), 1000);
  EXPECT_EQ(server.connections(), 1u);
}

TEST(CurlTransport, EightThreadsSharingOneClientAllSucceedWithTheirOwnBodies) {
  LoopbackHttpServer server;
  add_customer_route(server);
  server.start();

  rr::Client client(client_options(server.base_url()));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> matched{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto objects = client.objects();
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        try {
          if (objects.get(id)["id"] == id)
            ++matched;
        } catch (const std::exception&) {
          ++failed;
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(matched.load(), kThreads * kPerThread);
  // At most one pooled handle, and so one connection, per concurrently sending thread.
  EXPECT_LE(server.connections(), static_cast<std::size_t>(kThreads));
}

TEST(CurlTransport, MaxIdleHandlesZeroKeepsNoConnectionBetweenRequests) {
  LoopbackHttpServer server;
  add_customer_route(server);
  server.start();

  rr::CurlTransportOptions options;
  options.max_idle_handles = 0;
  rr::CurlTransport transport(options);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        transport.send(request_to(server.base_url() + "/api/v2/platformModel/objects/x")).status,
        200);
  }
  EXPECT_EQ(server.connections(), 3u);
}

// ---- timeouts and failures before sending -----------------------------------------------------

TEST(CurlTransport, ServerSlowerThanThePerAttemptTimeoutGivesTimeoutErrorAfterSending) {
  LoopbackHttpServer server;
  Gate gate;
  server.http().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.set_content("{}", "application/json");
  });
  server.start();

  rr::CurlTransport transport;
  auto request = request_to(server.base_url() + "/slow");
  request.timeout = std::chrono::milliseconds(200);
  try {
    transport.send(request);
    ADD_FAILURE() << "expected a TimeoutError";
  } catch (const rr::TimeoutError& e) {
    EXPECT_TRUE(e.request_may_have_been_sent());
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
  }
  gate.open();
}

TEST(CurlTransport, ClientTimeoutSurfacesAsTimeoutErrorWithOperationContext) {
  LoopbackHttpServer server;
  Gate gate;
  server.http().Get(kObjectsRoute, [&](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.set_content("{}", "application/json");
  });
  server.start();

  auto options = client_options(server.base_url());
  options.request_timeout = std::chrono::milliseconds(150);
  options.retry = rr::RetryPolicy::none();
  rr::Client client(options);
  try {
    client.objects().get("c1");
    ADD_FAILURE() << "expected a TimeoutError";
  } catch (const rr::TimeoutError& e) {
    EXPECT_EQ(e.operation(), "objects.get");
    EXPECT_EQ(e.context().path, "/api/v2/platformModel/objects/c1");
    EXPECT_TRUE(e.request_may_have_been_sent());
  }
  gate.open();
}

TEST(CurlTransport, ConnectToAClosedPortIsATransportErrorThatWasNotSent) {
  ClosedPort closed;
  rr::CurlTransport transport;
  const auto error = expect_transport_error([&] {
    transport.send(request_to("http://127.0.0.1:" + std::to_string(closed.port()) + "/x"));
  });
  EXPECT_FALSE(error.request_may_have_been_sent());
  EXPECT_FALSE(error.timeout) << error.what;
  EXPECT_NE(error.what.find("not sent"), std::string::npos) << error.what;
}

TEST(CurlTransport, ConnectTimeoutBeforeTheConnectionExistsIsATimeoutThatWasNotSent) {
  // A listener whose accept queue is full drops new SYNs, so connecting hangs until the limit.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  // Fill the queue with connections nobody accepts.
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(c);
  }

  rr::CurlTransportOptions options;
  options.connect_timeout = std::chrono::milliseconds(300);
  rr::CurlTransport transport(options);
  try {
    transport.send(request_to("http://127.0.0.1:" + std::to_string(port) + "/x"));
    ADD_FAILURE() << "expected a TimeoutError";
  } catch (const rr::TimeoutError& e) {
    EXPECT_FALSE(e.request_may_have_been_sent()) << e.what();
  }
  for (int c : fillers)
    ::close(c);
  ::close(fd);
}

TEST(CurlTransport, HttpsToAPlainHttpServerFailsInsteadOfFallingBack) {
  LoopbackHttpServer server;
  add_customer_route(server);
  server.start();

  EXPECT_TRUE(rr::CurlTransportOptions{}.verify_peer);
  rr::CurlTransport transport;
  const auto error = expect_transport_error([&] {
    transport.send(request_to("https://127.0.0.1:" + std::to_string(server.port()) +
                              "/api/v2/platformModel/objects/x"));
  });
  EXPECT_FALSE(error.request_may_have_been_sent()) << error.what;
  EXPECT_EQ(server.requests(), 0);
}

// ---- dropped connections and retries -----------------------------------------------------------

TEST(CurlTransport, BodyShorterThanContentLengthIsATransportErrorThatMayHaveBeenSent) {
  RawSocketServer server([](const RawRequest&, int) {
    return RawReply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":", true};
  });
  rr::CurlTransport transport;
  const auto error =
      expect_transport_error([&] { transport.send(request_to(server.base_url() + "/x")); });
  EXPECT_TRUE(error.request_may_have_been_sent());
  EXPECT_FALSE(error.timeout) << error.what;
}

TEST(CurlTransport, ConnectionClosedWithoutAnyReplyIsATransportErrorThatMayHaveBeenSent) {
  RawSocketServer server([](const RawRequest&, int) { return RawReply{"", true}; });
  rr::CurlTransport transport;
  const auto error =
      expect_transport_error([&] { transport.send(request_to(server.base_url() + "/x")); });
  EXPECT_TRUE(error.request_may_have_been_sent());
  EXPECT_EQ(server.count("GET"), 1);
}

TEST(CurlTransport, ClientRetriesAGetAfterADroppedConnection) {
  RawSocketServer server([](const RawRequest&, int index) {
    if (index == 0)
      return RawReply{"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id", true};
    return RawReply{raw_json_response(200, customer_json("c1"), false), true};
  });
  rr::Client client(client_options(server.base_url()));
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  EXPECT_EQ(server.count("GET"), 2);
}

TEST(CurlTransport, ClientNeverResendsACreateAfterADroppedConnection) {
  RawSocketServer server([](const RawRequest&, int) {
    return RawReply{"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id", true};
  });
  rr::Client client(client_options(server.base_url()));
  try {
    client.objects().create("customer", {{"name", "XYZ Freight Corp"}});
    ADD_FAILURE() << "expected a TransportError";
  } catch (const rr::TransportError& e) {
    EXPECT_TRUE(e.request_may_have_been_sent());
    EXPECT_EQ(e.operation(), "objects.create");
  }
  EXPECT_EQ(server.count("POST"), 1);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(CurlTransport, CreateOnAKeptAliveConnectionThatDiesIsNotSilentlyResentByLibcurl) {
  // The first create is answered and the connection kept; the second is read, then dropped
  // without a reply: it may have been acted on, so nobody may send it again.
  RawSocketServer server([](const RawRequest&, int index) {
    if (index == 0)
      return RawReply{raw_json_response(200, customer_json("c1"), true), false};
    return RawReply{"", true};
  });
  rr::Client client(client_options(server.base_url()));
  auto objects = client.objects();
  EXPECT_EQ(objects.create("customer", {{"name", "A"}})["id"], "c1");
  const auto error = expect_transport_error([&] { objects.create("customer", {{"name", "B"}}); });
  EXPECT_TRUE(error.request_may_have_been_sent());
  EXPECT_EQ(server.count("POST"), 2);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(CurlTransport, GetOnAKeptAliveConnectionThatDiesIsResentOnAFreshConnection) {
  RawSocketServer server([](const RawRequest&, int index) {
    if (index == 1)
      return RawReply{"", true};
    return RawReply{raw_json_response(200, customer_json("c1"), true), false};
  });
  rr::Client client(client_options(server.base_url()));
  auto objects = client.objects();
  EXPECT_EQ(objects.get("c1")["id"], "c1");
  EXPECT_EQ(objects.get("c1")["id"], "c1");
  EXPECT_EQ(server.count("GET"), 3);
  EXPECT_EQ(server.connections(), 2);
}
