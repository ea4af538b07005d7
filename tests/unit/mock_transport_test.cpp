// The mock transport users' own tests rely on: order, recording, errors, fallback, threads.

#include <thread>

#include "client_fixture.hpp"

using nlohmann::json;
using roserocket::HttpMethod;
using roserocket::HttpRequest;
using roserocket::HttpResponse;
using roserocket::mock::MockTransport;

TEST(MockTransport, AnswersInQueueOrderAndRecordsEveryRequest) {
  MockTransport mock;
  mock.enqueue_json(200, {{"n", 1}});
  mock.enqueue_empty(204);
  HttpRequest a{HttpMethod::kGet, "http://127.0.0.1/a", {}, "", {}, {}};
  HttpRequest b{HttpMethod::kDelete, "http://127.0.0.1/b", {{"X", "1"}}, "", {}, {}};
  const auto ra = mock.send(a);
  const auto rb = mock.send(b);
  EXPECT_EQ(ra.status, 200);
  EXPECT_EQ(json::parse(ra.body), (json{{"n", 1}}));
  EXPECT_EQ(ra.headers.get("content-type"), "application/json");
  EXPECT_EQ(rb.status, 204);
  ASSERT_EQ(mock.request_count(), 2u);
  EXPECT_EQ(mock.requests()[0].url, "http://127.0.0.1/a");
  EXPECT_EQ(mock.requests()[1].headers.get("x"), "1");
  EXPECT_EQ(mock.pending(), 0u);
}

TEST(MockTransport, EmptyQueueFailsLoudly) {
  MockTransport mock;
  EXPECT_THROW(mock.send(HttpRequest{}), roserocket::TransportError);
  EXPECT_EQ(mock.request_count(), 1u);
}

TEST(MockTransport, QueuedErrorIsThrown) {
  MockTransport mock;
  mock.enqueue_error(std::make_exception_ptr(roserocket::TimeoutError("slow", {}, true)));
  EXPECT_THROW(mock.send(HttpRequest{}), roserocket::TimeoutError);
}

TEST(MockTransport, HandlerSeesTheRequest) {
  MockTransport mock;
  mock.enqueue_handler([](const HttpRequest& r) { return HttpResponse{201, {}, r.body}; });
  HttpRequest r;
  r.body = "echo";
  EXPECT_EQ(mock.send(r).body, "echo");
}

TEST(MockTransport, FallbackAnswersOnceTheQueueIsEmpty) {
  MockTransport mock;
  mock.enqueue_empty(204);
  mock.set_fallback([](const HttpRequest&) { return HttpResponse{418, {}, ""}; });
  EXPECT_EQ(mock.send(HttpRequest{}).status, 204);
  EXPECT_EQ(mock.send(HttpRequest{}).status, 418);
  EXPECT_EQ(mock.send(HttpRequest{}).status, 418);
}

TEST(MockTransport, IsSafeUnderConcurrentSends) {
  auto mock = std::make_shared<MockTransport>();
  mock->set_fallback([](const HttpRequest&) { return HttpResponse{200, {}, "{}"}; });
  roserocket::ClientOptions o;
  o.transport = mock;
  o.token_provider = std::make_shared<roserocket::StaticTokenProvider>("t0ken");
  roserocket::Client client(o);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        client.objects().get("x");
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(mock->request_count(), 800u);
}
