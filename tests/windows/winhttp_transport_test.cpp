// WinHttpTransport against a loopback HTTP server on the Linux side (tests/windows/
// winhttp_server.py), run under Wine by tests/windows/winhttp_transport.sh. The server's base
// URL comes in RR_WINHTTP_TEST_URL; RR_WINHTTP_CLOSED_URL names a port nothing listens on.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "roserocket/cancellation.hpp"
#include "roserocket/errors.hpp"
#include "roserocket/http/winhttp_transport.hpp"

namespace {

namespace rr = roserocket;

std::string winhttp_test_url(const char* path) {
  const char* base = std::getenv("RR_WINHTTP_TEST_URL");
  return std::string(base != nullptr ? base : "http://127.0.0.1:1") + path;
}

rr::HttpRequest winhttp_get(const char* path) {
  rr::HttpRequest request;
  request.url = winhttp_test_url(path);
  return request;
}

TEST(WinHttpTransport, GetSendsHeadersAndReturnsStatusHeadersBody) {
  rr::WinHttpTransport transport;
  auto request = winhttp_get("/echo");
  request.headers.set("X-Custom", "value-1");
  request.headers.set("Authorization", "Bearer t");
  const auto response = transport.send(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("X-Reply"), "yes");
  EXPECT_EQ(response.headers.get("content-type"), "text/plain");
  EXPECT_NE(response.body.find("x-custom=value-1"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("user-agent=roserocket-cpp"), std::string::npos) << response.body;
  // A second call on the same transport works too (the session's connection is reused).
  EXPECT_EQ(transport.send(request).status, 200);
}

TEST(WinHttpTransport, PostPutPatchSendTheBody) {
  rr::WinHttpTransport transport;
  for (const auto method : {rr::HttpMethod::kPost, rr::HttpMethod::kPut, rr::HttpMethod::kPatch}) {
    rr::HttpRequest request;
    request.method = method;
    request.url = winhttp_test_url("/items");
    request.headers.set("Content-Type", "application/json");
    request.body = R"({"a":1})";
    const auto response = transport.send(request);
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.body, R"(got:{"a":1})");
  }
}

TEST(WinHttpTransport, ErrorStatusesAndRedirectsAreReturnedAsTheyAre) {
  rr::WinHttpTransport transport;
  const auto missing = transport.send(winhttp_get("/missing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"error":"not here"})");
  const auto redirect = transport.send(winhttp_get("/redirect"));
  EXPECT_EQ(redirect.status, 302) << "redirects are never followed";
  EXPECT_EQ(redirect.headers.get("Location"), "/echo");
}

TEST(WinHttpTransport, GzipBodiesArriveDecoded) {
  rr::WinHttpTransport transport;
  const auto response = transport.send(winhttp_get("/gzip"));
  EXPECT_EQ(response.status, 200);
  std::string expected;
  for (int i = 0; i < 2000; ++i)
    expected += "hello ";
  EXPECT_EQ(response.body, expected);
}

TEST(WinHttpTransport, ResponsesOverTheLimitFail) {
  rr::WinHttpTransportOptions options;
  options.max_response_bytes = 50000;
  rr::WinHttpTransport transport(options);
  EXPECT_THROW((void)transport.send(winhttp_get("/big")), rr::MalformedResponseError);
  options.max_response_bytes = 100000;
  rr::WinHttpTransport roomy(options);
  EXPECT_EQ(roomy.send(winhttp_get("/big")).body.size(), 100000u);
  options.max_response_bytes = 0;
  EXPECT_THROW(rr::WinHttpTransport{options}, rr::InvalidArgumentError);
}

TEST(WinHttpTransport, SlowAnswersTimeOut) {
  rr::WinHttpTransport transport;
  auto request = winhttp_get("/slow");
  request.timeout = std::chrono::milliseconds(500);
  try {
    (void)transport.send(request);
    FAIL() << "no timeout";
  } catch (const rr::TimeoutError& e) {
    EXPECT_TRUE(e.request_may_have_been_sent());
  }
}

TEST(WinHttpTransport, CancellationAbortsTheTransfer) {
  rr::WinHttpTransport transport;
  rr::CancellationSource source;
  auto request = winhttp_get("/slow");
  request.cancellation = source.token();
  std::thread canceller([&source] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    source.cancel();
  });
  EXPECT_THROW((void)transport.send(request), rr::CancelledError);
  canceller.join();
}

TEST(WinHttpTransport, RefusedConnectionsSayNothingWasSent) {
  rr::WinHttpTransport transport;
  rr::HttpRequest request;
  const char* closed = std::getenv("RR_WINHTTP_CLOSED_URL");
  request.url = std::string(closed != nullptr ? closed : "http://127.0.0.1:9") + "/x";
  request.method = rr::HttpMethod::kPost;
  request.body = "{}";
  try {
    (void)transport.send(request);
    FAIL() << "a refused connection succeeded";
  } catch (const rr::TransportError& e) {
    EXPECT_FALSE(e.request_may_have_been_sent()) << e.what();
  }
}

TEST(WinHttpTransport, BadHeadersAreRefusedBeforeSending) {
  rr::WinHttpTransport transport;
  auto request = winhttp_get("/echo");
  request.headers.set("X-Bad", "a\r\nInjected: yes");
  EXPECT_THROW((void)transport.send(request), rr::InvalidArgumentError);
}

}  // namespace
