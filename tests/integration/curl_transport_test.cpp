// CurlTransport against real servers on 127.0.0.1: connection reuse, threads, timeouts, failure
// classification, retries through Client, and methods/headers/bodies round trips.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "support/curl_test_server.hpp"
#include "support/curl_test_tls.hpp"

namespace rr = roserocket;
using rr::curl_test::ClosedPort;
using rr::curl_test::Gate;
using rr::curl_test::LoopbackHttpServer;
using rr::curl_test::raw_json_response;
using rr::curl_test::RawReply;
using rr::curl_test::RawRequest;
using rr::curl_test::RawSocketServer;

namespace {

// libcurl honours proxy variables; a proxy from the environment must not carry these tests'
// loopback traffic elsewhere.
const bool kProxyEnvironmentCleared = [] {
  for (const char* name :
       {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    ::unsetenv(name);
  }
  return true;
}();

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
  Gate gate;  // outlives the server, whose handler waits on it
  LoopbackHttpServer server;
  server.http().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.set_content("{}", "application/json");
  });
  server.start();

  rr::CurlTransport transport;
  auto request = request_to(server.base_url() + "/slow");
  request.timeout = std::chrono::milliseconds(400);
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
  Gate gate;  // outlives the server, whose handler waits on it
  LoopbackHttpServer server;
  server.http().Get(kObjectsRoute, [&](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.set_content("{}", "application/json");
  });
  server.start();

  auto options = client_options(server.base_url());
  options.request_timeout = std::chrono::milliseconds(400);
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
    EXPECT_NE(std::string(e.what()).find("before a connection was established"), std::string::npos)
        << e.what();
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

// ---- methods, headers, bodies, statuses
// ----------------------------------------------------------

namespace {

// Echoes what arrived: {method, body, contentType, contentLength, custom} and mixed-case headers.
void add_echo_routes(LoopbackHttpServer& server) {
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    rr::Json seen = {{"method", req.method},
                     {"body", req.body},
                     {"contentType", req.get_header_value("Content-Type")},
                     {"hasContentLength", req.has_header("Content-Length")},
                     {"custom", req.get_header_value("X-Custom")},
                     {"userAgent", req.get_header_value("User-Agent")}};
    res.set_header("X-Mixed-Case-Name", "Value With Spaces");
    res.set_header("x-request-id", "req-42");
    res.set_content(seen.dump(), "application/json");
  };
  server.http().Get("/echo", echo);
  server.http().Post("/echo", echo);
  server.http().Put("/echo", echo);
  server.http().Patch("/echo", echo);
  server.http().Delete("/echo", echo);
}

rr::Json echoed(const rr::HttpResponse& response) {
  return rr::Json::parse(response.body);
}

}  // namespace

TEST(CurlTransport, EveryMethodRoundTripsWithAndWithoutABody) {
  LoopbackHttpServer server;
  add_echo_routes(server);
  server.start();
  rr::CurlTransport transport;
  const std::string url = server.base_url() + "/echo";

  for (auto method : {rr::HttpMethod::kPost, rr::HttpMethod::kPut, rr::HttpMethod::kPatch,
                      rr::HttpMethod::kDelete}) {
    auto request = request_to(url, method);
    request.headers.add("Content-Type", "application/json");
    request.body = R"({"objectKey":"customer","json":{"name":"Ünïcode & co"}})";
    const auto response = transport.send(request);
    ASSERT_EQ(response.status, 200);
    const auto seen = echoed(response);
    EXPECT_EQ(seen["method"], std::string(rr::to_string(method)));
    EXPECT_EQ(seen["body"], request.body);
    EXPECT_EQ(seen["contentType"], "application/json");
  }
  for (auto method : {rr::HttpMethod::kGet, rr::HttpMethod::kPut, rr::HttpMethod::kPatch,
                      rr::HttpMethod::kDelete}) {
    const auto seen = echoed(transport.send(request_to(url, method)));
    EXPECT_EQ(seen["method"], std::string(rr::to_string(method)));
    EXPECT_EQ(seen["body"], "");
    EXPECT_EQ(seen["contentType"], "") << "no form content type is invented";
  }
  EXPECT_EQ(server.connections(), 1u);
}

TEST(CurlTransport, AReusedHandleCarriesNothingOverFromThePreviousRequest) {
  LoopbackHttpServer server;
  add_echo_routes(server);
  server.start();
  rr::CurlTransportOptions options;
  options.max_idle_handles = 1;  // one handle, so the second request certainly reuses it
  rr::CurlTransport transport(options);
  const std::string url = server.base_url() + "/echo";

  auto post = request_to(url, rr::HttpMethod::kPost);
  post.headers.add("Content-Type", "application/json");
  post.headers.add("X-Custom", "first");
  post.body = R"({"a":1})";
  ASSERT_EQ(echoed(transport.send(post))["method"], "POST");

  const auto seen = echoed(transport.send(request_to(url)));
  EXPECT_EQ(seen["method"], "GET");
  EXPECT_EQ(seen["body"], "");
  EXPECT_EQ(seen["custom"], "");
  EXPECT_EQ(seen["contentType"], "");
  EXPECT_FALSE(seen["hasContentLength"].get<bool>());

  auto del = request_to(url, rr::HttpMethod::kDelete);
  EXPECT_EQ(echoed(transport.send(del))["method"], "DELETE");
  EXPECT_EQ(echoed(transport.send(request_to(url)))["method"], "GET") << "no method leaks over";
}

TEST(CurlTransport, ResponseHeadersArriveAllAndWithTheirCasePreserved) {
  LoopbackHttpServer server;
  server.http().Get("/headers", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Mixed-Case-Name", "Value With Spaces");
    res.headers.emplace("Set-Thing", "one");
    res.headers.emplace("Set-Thing", "two");
    res.set_content("{}", "application/json");
  });
  server.start();
  rr::CurlTransport transport;
  const auto response = transport.send(request_to(server.base_url() + "/headers"));
  EXPECT_EQ(response.status, 200);
  bool exact_case = false;
  int set_things = 0;
  for (const auto& [name, value] : response.headers) {
    if (name == "X-Mixed-Case-Name" && value == "Value With Spaces")
      exact_case = true;
    if (name == "Set-Thing")
      ++set_things;
  }
  EXPECT_TRUE(exact_case);
  EXPECT_EQ(set_things, 2);
  EXPECT_EQ(response.headers.get("content-type"), "application/json");
  EXPECT_EQ(response.body, "{}");
}

TEST(CurlTransport, StatusesAndBodiesOfNon2xxAnswersAreReturnedNotThrown) {
  LoopbackHttpServer server;
  server.http().Delete("/gone",
                       [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  server.http().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"statusCode":404,"message":"no object","error":"Not Found"})",
                    "application/json");
  });
  server.start();
  rr::CurlTransport transport;
  const auto gone =
      transport.send(request_to(server.base_url() + "/gone", rr::HttpMethod::kDelete));
  EXPECT_EQ(gone.status, 204);
  EXPECT_EQ(gone.body, "");
  const auto missing = transport.send(request_to(server.base_url() + "/missing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("no object"), std::string::npos);
}

TEST(CurlTransport, UserAgentComesFromTheRequestThenTheOptionsThenTheSdkDefault) {
  LoopbackHttpServer server;
  add_echo_routes(server);
  server.start();
  const std::string url = server.base_url() + "/echo";

  rr::CurlTransport plain;
  EXPECT_EQ(echoed(plain.send(request_to(url)))["userAgent"], rr::default_user_agent());

  rr::CurlTransportOptions options;
  options.user_agent = "erp-sync/1.0";
  rr::CurlTransport named(options);
  EXPECT_EQ(echoed(named.send(request_to(url)))["userAgent"], "erp-sync/1.0");

  auto request = request_to(url);
  request.headers.set("User-Agent", "per-request/2.0");
  EXPECT_EQ(echoed(named.send(request))["userAgent"], "per-request/2.0");
}

TEST(CurlTransport, HeaderWithALineBreakIsRefusedBeforeAnythingIsSent) {
  LoopbackHttpServer server;
  add_echo_routes(server);
  server.start();
  rr::CurlTransport transport;
  auto request = request_to(server.base_url() + "/echo");
  request.headers.add("X-Custom", "secret-value\r\nX-Injected: yes");
  try {
    transport.send(request);
    ADD_FAILURE() << "expected an InvalidArgumentError";
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_EQ(std::string(e.what()).find("secret-value"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("X-Custom"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.requests(), 0);
}

// ---- through Client: error mapping and malformed bodies
// --------------------------------------------

TEST(CurlTransport, NestJsErrorBodiesMapToTheMatchingErrorTypes) {
  LoopbackHttpServer server;
  server.http().Get(kObjectsRoute, [](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    res.set_header("x-request-id", "req-" + id);
    if (id == "missing") {
      res.status = 404;
      res.set_content(R"({"statusCode":404,"message":"Object not found","error":"Not Found"})",
                      "application/json");
    } else {
      res.status = 403;
      res.set_content(R"({"statusCode":403,"message":"Forbidden resource","error":"Forbidden"})",
                      "application/json");
    }
  });
  server.http().Put(kObjectsRoute, [](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content(
        R"({"statusCode":400,"message":["json.status must be one of active, inactive","json.name should not be empty"],"error":"Bad Request"})",
        "application/json");
  });
  server.start();
  rr::Client client(client_options(server.base_url()));
  auto objects = client.objects();

  try {
    objects.get("missing");
    ADD_FAILURE() << "expected NotFoundError";
  } catch (const rr::NotFoundError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.messages(), std::vector<std::string>{"Object not found"});
    EXPECT_EQ(e.request_id(), "req-missing");
  }
  EXPECT_THROW(objects.get("locked"), rr::ForbiddenError);
  try {
    objects.update("customer", "c1", {{"status", "bogus"}});
    ADD_FAILURE() << "expected BadRequestError";
  } catch (const rr::BadRequestError& e) {
    EXPECT_EQ(e.status(), 400);
    ASSERT_EQ(e.messages().size(), 2u);
    EXPECT_EQ(e.messages()[0], "json.status must be one of active, inactive");
    EXPECT_EQ(e.context().error_code, "Bad Request");
    EXPECT_EQ(std::string(e.what()).find(kToken), std::string::npos);
  }
}

TEST(CurlTransport, NonJsonOrTruncated200BodiesAreMalformedResponses) {
  LoopbackHttpServer server;
  server.http().Get(kObjectsRoute, [](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    if (id == "html") {
      res.set_content("<html><body>Bad gateway page</body></html>", "text/html");
    } else {
      res.set_content(R"({"id":"cut","objectKey":"custo)", "application/json");
    }
  });
  server.start();
  rr::Client client(client_options(server.base_url()));
  EXPECT_THROW(client.objects().get("html"), rr::MalformedResponseError);
  EXPECT_THROW(client.objects().get("cut"), rr::MalformedResponseError);
}

TEST(CurlTransport, PutPatchAndDeleteThroughObjectsApiReachTheServerWithTheirBodies) {
  LoopbackHttpServer server;
  std::mutex mutex;
  std::vector<std::string> seen;
  auto record = [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(req.method + " " + req.path + " " + req.body);
    }
    if (req.method == "DELETE") {
      res.status = 204;
      return;
    }
    res.status = req.method == "PATCH" ? 201 : 200;
    res.set_content(customer_json("c1"), "application/json");
  };
  server.http().Put(kObjectsRoute, record);
  server.http().Patch("/api/v2/platformModel/objects", record);
  server.http().Delete(kObjectsRoute, record);
  server.start();

  rr::Client client(client_options(server.base_url()));
  auto objects = client.objects();
  EXPECT_EQ(objects.update("customer", "c1", {{"name", "New"}})["id"], "c1");
  EXPECT_TRUE(objects.upsert_by_id("customer", "c1", {{"name", "New"}}).created);
  EXPECT_FALSE(objects.remove("c1").has_value());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(
      seen[0],
      R"(PUT /api/v2/platformModel/objects/c1 {"json":{"name":"New"},"objectKey":"customer"})");
  EXPECT_EQ(seen[1].rfind("PATCH /api/v2/platformModel/objects {", 0), 0u) << seen[1];
  EXPECT_EQ(seen[2], "DELETE /api/v2/platformModel/objects/c1 ");
}

// ---- proxy
// ---------------------------------------------------------------------------------------

TEST(CurlTransport, RequestsGoThroughTheConfiguredProxyWithItsCredentials) {
  // The raw server plays the proxy: a plain-HTTP proxy receives the absolute URL.
  RawSocketServer proxy([](const RawRequest&, int) {
    return RawReply{raw_json_response(200, R"({"via":"proxy"})", false), true};
  });
  rr::CurlTransportOptions options;
  options.proxy = proxy.base_url();
  options.proxy_credentials = "proxyuser:pr0xy-s3cret";
  rr::CurlTransport transport(options);
  const auto response = transport.send(request_to("http://127.0.0.1:9/api/v2/x"));
  EXPECT_EQ(response.body, R"({"via":"proxy"})");
  const auto requests = proxy.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "http://127.0.0.1:9/api/v2/x");
  // Basic base64("proxyuser:pr0xy-s3cret").
  EXPECT_NE(requests[0].head.find("Proxy-Authorization: Basic cHJveHl1c2VyOnByMHh5LXMzY3JldA=="),
            std::string::npos)
      << "proxy credentials were not sent";
}

TEST(CurlTransport, ProxyFailuresNeverShowTheProxyCredentials) {
  ClosedPort closed;
  rr::CurlTransportOptions options;
  options.proxy = "http://someone:url-s3cret@127.0.0.1:" + std::to_string(closed.port());
  options.proxy_credentials = "proxyuser:pr0xy-s3cret";
  rr::CurlTransport transport(options);
  const auto error =
      expect_transport_error([&] { transport.send(request_to("http://127.0.0.1:9/x")); });
  EXPECT_FALSE(error.request_may_have_been_sent());
  EXPECT_EQ(error.what.find("pr0xy-s3cret"), std::string::npos) << error.what;
  EXPECT_EQ(error.what.find("url-s3cret"), std::string::npos) << error.what;
}

TEST(CurlTransport, NoProxyHostsBypassTheProxy) {
  LoopbackHttpServer server;
  add_customer_route(server);
  server.start();
  ClosedPort closed;
  rr::CurlTransportOptions options;
  options.proxy = "http://127.0.0.1:" + std::to_string(closed.port());
  options.no_proxy = "localhost,127.0.0.1";
  rr::CurlTransport transport(options);
  EXPECT_EQ(
      transport.send(request_to(server.base_url() + "/api/v2/platformModel/objects/x")).status,
      200);
  EXPECT_EQ(server.requests(), 1);
}

TEST(CurlTransport, IdsWithReservedCharactersArriveAsOneEncodedPathSegment) {
  LoopbackHttpServer server;
  std::mutex mutex;
  std::vector<std::string> targets;
  server.http().Get(R"(/api/v2/platformModel/objects/(.+))",
                    [&](const httplib::Request& req, httplib::Response& res) {
                      {
                        std::lock_guard<std::mutex> lock(mutex);
                        targets.push_back(req.target);
                      }
                      res.set_content(customer_json("x"), "application/json");
                    });
  server.start();
  rr::Client client(client_options(server.base_url()));
  client.objects().get("e54225d7-3bc9-4803-992a-af107b0db8df");
  client.objects().get("a b/c?d#e%f~g");
  client.objects().get("/");
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0], "/api/v2/platformModel/objects/e54225d7-3bc9-4803-992a-af107b0db8df");
  EXPECT_EQ(targets[1], "/api/v2/platformModel/objects/a%20b%2Fc%3Fd%23e%25f~g");
  EXPECT_EQ(targets[2], "/api/v2/platformModel/objects/%2F");
}

// ---- TLS
// -----------------------------------------------------------------------------------------

namespace {

// A TLS loopback server with the self-signed test certificate, answering the customer route.
struct TlsFixture {
  rr::curl_test::TestTlsFiles files;
  LoopbackHttpServer server{files.cert_path().c_str(), files.key_path().c_str()};

  TlsFixture() {
    add_customer_route(server);
    server.start();
  }
  std::string url(const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(server.port()) +
           "/api/v2/platformModel/objects/tls";
  }
};

}  // namespace

TEST(CurlTransport, TlsServerWithAnUntrustedCertificateIsRefusedByDefault) {
  TlsFixture tls;
  rr::CurlTransport transport;
  const auto error = expect_transport_error([&] { transport.send(request_to(tls.url())); });
  EXPECT_FALSE(error.request_may_have_been_sent()) << error.what;
  EXPECT_EQ(tls.server.requests(), 0);
}

TEST(CurlTransport, TlsServerIsTrustedThroughCaFileAndConnectionsAreReused) {
  TlsFixture tls;
  rr::CurlTransportOptions options;
  options.ca_file = tls.files.cert_path();
  rr::CurlTransport transport(options);
  for (int i = 0; i < 20; ++i) {
    const auto response = transport.send(request_to(tls.url()));
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(rr::Json::parse(response.body)["id"], "tls");
  }
  EXPECT_EQ(tls.server.connections(), 1u);
}

TEST(CurlTransport, TlsHostNameMustMatchTheCertificateEvenWhenTheCaIsTrusted) {
  TlsFixture tls;
  rr::CurlTransportOptions options;
  options.ca_file = tls.files.cert_path();
  rr::CurlTransport transport(options);
  // The certificate names 127.0.0.1 only; "localhost" reaches the same server but must not match.
  const auto error =
      expect_transport_error([&] { transport.send(request_to(tls.url("localhost"))); });
  EXPECT_FALSE(error.request_may_have_been_sent()) << error.what;
  EXPECT_NE(error.what.find("localhost"), std::string::npos) << error.what;
  EXPECT_EQ(tls.server.requests(), 0);
}

TEST(CurlTransport, TlsVerificationCanBeTurnedOffForATestServer) {
  TlsFixture tls;
  rr::CurlTransportOptions options;
  options.verify_peer = false;
  rr::CurlTransport transport(options);
  EXPECT_EQ(transport.send(request_to(tls.url())).status, 200);
}

TEST(CurlTransport, ClientOverHttpsWithTheTestCaGetsRecords) {
  TlsFixture tls;
  auto options = client_options("https://127.0.0.1:" + std::to_string(tls.server.port()));
  options.transport_options.ca_file = tls.files.cert_path();
  rr::Client client(options);
  EXPECT_EQ(client.objects().get("r1")["id"], "r1");
}

TEST(CurlTransport, NonPositiveTimeoutsAreRefusedAtConstruction) {
  rr::CurlTransportOptions no_connect_limit;
  no_connect_limit.connect_timeout = std::chrono::milliseconds(0);
  EXPECT_THROW(rr::CurlTransport{no_connect_limit}, rr::InvalidArgumentError);
  rr::CurlTransportOptions negative_request_limit;
  negative_request_limit.request_timeout = std::chrono::milliseconds(-5);
  EXPECT_THROW(rr::CurlTransport{negative_request_limit}, rr::InvalidArgumentError);

  auto options = client_options("http://127.0.0.1:9");
  options.transport_options.connect_timeout = std::chrono::milliseconds(-1);
  EXPECT_THROW(rr::Client{options}, rr::InvalidArgumentError);
}
