// Per-call control (deadline, retry policy, cancellation), response metadata and telemetry,
// against the mock transport and a fake clock: behaviour and attempt counts, never wall time.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "client_fixture.hpp"

namespace rr = roserocket;
using nlohmann::json;
using rr_test::ClientTest;

namespace {

rr::RetryPolicy steady_backoff(std::chrono::milliseconds initial) {
  rr::RetryPolicy p;
  p.max_attempts = 10;
  p.initial_backoff = initial;
  p.jitter = 0;
  return p;
}

const json kRecord = {{"id", "c1"}, {"name", "XYZ Freight Corp"}};

}  // namespace

TEST_F(ClientTest, DeadlineCoversEveryAttemptAndBackoffAndSaysHowManyAttempts) {
  mock->set_fallback([](const rr::HttpRequest&) {
    rr::HttpResponse r;
    r.status = 503;
    return r;
  });
  rr::RequestOptions o;
  o.deadline = std::chrono::milliseconds(500);
  o.retry = steady_backoff(std::chrono::milliseconds(200));
  try {
    (void)objects().get("c1", o);
    FAIL() << "expected DeadlineExceededError";
  } catch (const rr::DeadlineExceededError& e) {
    // 0 ms: attempt 1; waits 200; 200 ms: attempt 2; a 400 ms wait would pass the deadline.
    EXPECT_EQ(e.attempts(), 2);
    EXPECT_NE(std::string(e.what()).find("deadline of 500 ms exceeded after 2 attempts"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(mock->request_count(), 2u);
  EXPECT_EQ(fake.sleeps, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(200)}));
}

TEST_F(ClientTest, DeadlineCutsEachAttemptsTimeoutToWhatIsLeft) {
  mock->enqueue_empty(503);
  mock->enqueue_json(200, kRecord);
  rr::RequestOptions o;
  o.deadline = std::chrono::milliseconds(1000);
  o.timeout = std::chrono::milliseconds(900);
  o.retry = steady_backoff(std::chrono::milliseconds(300));
  (void)objects().get("c1", o);
  const auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].timeout, std::chrono::milliseconds(900));
  EXPECT_EQ(requests[1].timeout, std::chrono::milliseconds(700));
}

TEST_F(ClientTest, ATimeoutThatEndsTheDeadlineIsDeadlineExceeded) {
  mock->enqueue_handler([this](const rr::HttpRequest& r) -> rr::HttpResponse {
    fake.steady += r.timeout;  // the attempt used all the time it had
    throw rr::TimeoutError("timed out", {}, true);
  });
  rr::RequestOptions o;
  o.deadline = std::chrono::milliseconds(400);
  EXPECT_THROW((void)objects().get("c1", o), rr::DeadlineExceededError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(ClientTest, PerCallRetryPolicyReplacesTheClients) {
  mock->enqueue_empty(503);
  mock->enqueue_json(200, kRecord);
  rr::RequestOptions o;
  o.retry = rr::RetryPolicy::none();
  EXPECT_THROW((void)objects().get("c1", o), rr::ServerError);
  EXPECT_EQ(mock->request_count(), 1u);
  (void)objects().get("c1");  // the client's own policy is unchanged
  EXPECT_EQ(mock->request_count(), 2u);
}

TEST_F(ClientTest, CancelledBeforeTheCallSendsNothing) {
  rr::CancellationSource source;
  source.cancel();
  rr::RequestOptions o;
  o.cancellation = source.token();
  try {
    (void)objects().get("c1", o);
    FAIL() << "expected CancelledError";
  } catch (const rr::CancelledError& e) {
    EXPECT_EQ(e.attempts(), 0);
  }
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(ClientTest, CancellingDuringTheBackoffEndsTheCallWithoutAnotherAttempt) {
  rr::CancellationSource source;
  auto o = options();
  // The wait is where another thread's cancel() lands; this clock cancels while it "sleeps".
  o.clock.sleep = [&source](std::chrono::milliseconds) { source.cancel(); };
  rr::Client c(o);
  mock->enqueue_empty(503);
  mock->enqueue_json(200, kRecord);
  rr::RequestOptions ro;
  ro.cancellation = source.token();
  try {
    (void)c.objects().get("c1", ro);
    FAIL() << "expected CancelledError";
  } catch (const rr::CancelledError& e) {
    EXPECT_EQ(e.attempts(), 1);
    EXPECT_TRUE(e.request_may_have_been_sent());
  }
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(ClientTest, AnInterruptibleSleepIsUsedWhenTheCallCanBeCancelled) {
  rr::CancellationSource source;
  auto o = options();
  int interruptible = 0;
  o.clock.interruptible_sleep = [&](std::chrono::milliseconds, const rr::CancellationToken& t) {
    ++interruptible;
    source.cancel();
    return t.is_cancelled();
  };
  rr::Client c(o);
  mock->enqueue_empty(429);
  rr::RequestOptions ro;
  ro.cancellation = source.token();
  EXPECT_THROW((void)c.objects().get("c1", ro), rr::CancelledError);
  EXPECT_EQ(interruptible, 1);
  EXPECT_TRUE(fake.sleeps.empty());
}

TEST_F(ClientTest, ATransportCancellationBecomesTheCallsCancelledError) {
  rr::CancellationSource source;
  mock->enqueue_handler([](const rr::HttpRequest& r) -> rr::HttpResponse {
    EXPECT_TRUE(r.cancellation.can_be_cancelled());  // the token reaches the transport
    throw rr::CancelledError("cancelled during the transfer", {}, 1, true);
  });
  rr::RequestOptions o;
  o.cancellation = source.token();
  try {
    (void)objects().get("c1", o);
    FAIL() << "expected CancelledError";
  } catch (const rr::CancelledError& e) {
    EXPECT_EQ(e.attempts(), 1);
    EXPECT_EQ(e.operation(), "objects.get");
  }
}

TEST(Cancellation, WaitForReturnsAtOnceWhenCancelledFromAnotherThread) {
  rr::CancellationSource source;
  const rr::CancellationToken token = source.token();
  EXPECT_FALSE(token.wait_for(std::chrono::milliseconds(1)));
  std::thread canceller([&source] { source.cancel(); });
  // A wait of an hour ends only because cancel() wakes it.
  EXPECT_TRUE(token.wait_for(std::chrono::hours(1)));
  canceller.join();
  EXPECT_TRUE(source.is_cancelled());
  EXPECT_FALSE(rr::CancellationToken().is_cancelled());
  EXPECT_FALSE(rr::CancellationToken().can_be_cancelled());
}

TEST_F(ClientTest, MetadataTellsStatusHeadersRequestIdAttemptsAndElapsed) {
  mock->enqueue_empty(503);
  mock->enqueue_json(201, kRecord, {{"x-request-id", "req-77"}, {"x-extra", "1"}});
  rr::ResponseMetadata meta;
  rr::RequestOptions o;
  o.metadata = &meta;
  o.retry = steady_backoff(std::chrono::milliseconds(250));
  (void)objects().create("customer", {{"name", "XYZ"}}, o);
  EXPECT_EQ(meta.status, 201);
  EXPECT_EQ(meta.request_id, "req-77");
  EXPECT_EQ(meta.headers.get("x-extra").value_or(""), "1");
  EXPECT_EQ(meta.attempts, 2);
  EXPECT_EQ(meta.elapsed, std::chrono::milliseconds(250));
}

TEST_F(ClientTest, MetadataReachesTypedAndListingOperationsToo) {
  mock->enqueue_json(200, kRecord, {{"x-request-id", "req-typed"}});
  rr::ResponseMetadata meta;
  rr::RequestOptions o;
  o.metadata = &meta;
  (void)client().customers().get("c1", o);
  EXPECT_EQ(meta.request_id, "req-typed");
  mock->enqueue_json(200, json::array(), {{"x-request-id", "req-boards"}});
  (void)client().boards().list({}, o);
  EXPECT_EQ(meta.request_id, "req-boards");
  EXPECT_EQ(meta.attempts, 1);
}

TEST_F(ClientTest, ObserverSeesTheStartAndEndOfEveryAttemptWithItsFields) {
  std::vector<rr::AttemptEvent> events;
  std::vector<rr::LogRecord> logs;
  auto o = options();
  o.observer = [&events](const rr::AttemptEvent& e) { events.push_back(e); };
  o.logger = [&logs](const rr::LogRecord& r) { logs.push_back(r); };
  o.retry = steady_backoff(std::chrono::milliseconds(100));
  rr::Client c(o);
  mock->enqueue_empty(503, {{"x-request-id", "r1"}});
  mock->enqueue_json(200, kRecord, {{"x-request-id", "r2"}});
  rr::AutocompleteRequest ac;
  ac.object_key = "customer";
  ac.search_term = "secret-looking-term";
  (void)c.objects().autocomplete(ac);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].phase, rr::AttemptPhase::kStart);
  EXPECT_EQ(events[0].request.attempt, 1);
  EXPECT_EQ(events[0].request.status, 0);
  EXPECT_EQ(events[1].phase, rr::AttemptPhase::kEnd);
  EXPECT_EQ(events[1].request.status, 503);
  EXPECT_EQ(events[1].request.error_kind, "server_error");
  EXPECT_EQ(events[1].request.request_id, "r1");
  EXPECT_EQ(events[2].request.attempt, 2);
  EXPECT_EQ(events[2].request.elapsed, std::chrono::milliseconds(100));
  EXPECT_EQ(events[3].request.status, 200);
  EXPECT_EQ(events[3].request.error_kind, "");
  for (const auto& e : events) {
    EXPECT_EQ(e.request.operation, "objects.autocomplete");
    EXPECT_EQ(e.request.method, "GET");
    // The path has no query: no query value reaches telemetry.
    EXPECT_EQ(e.request.path, "/api/v2/platformModel/objects/autocomplete");
  }
  ASSERT_FALSE(logs.empty());
  bool saw_retry = false;
  for (const auto& r : logs) {
    EXPECT_EQ(r.request.operation, "objects.autocomplete");
    EXPECT_EQ(r.message.find("secret-looking-term"), std::string::npos) << r.message;
    saw_retry = saw_retry || (r.level == rr::LogLevel::kInfo && r.request.status == 503);
  }
  EXPECT_TRUE(saw_retry);
}
