// Retry decisions: which answers are retried, how long the client waits, and that a create whose
// fate is unknown is never sent twice.

#include <atomic>
#include <ctime>
#include <utility>

#include "client_fixture.hpp"

using nlohmann::json;
using rr_test::ClientTest;
using std::chrono::milliseconds;

namespace {

roserocket::TransportError dropped() {
  return roserocket::TransportError("connection reset mid-response", {}, true);
}

roserocket::TransportError refused() {
  return roserocket::TransportError("connection refused", {}, false);
}

// A provider that hands out "token-1", "token-2", ... and refreshes when told its token failed.
class CountingProvider : public roserocket::TokenProvider {
 public:
  std::string access_token() override { return "token-" + std::to_string(generation_.load()); }
  bool invalidate(const std::string& rejected) override {
    ++invalidations_;
    if (rejected == access_token())
      ++generation_;
    return true;
  }
  int invalidations() const { return invalidations_; }

 private:
  std::atomic<int> generation_{1};
  std::atomic<int> invalidations_{0};
};

}  // namespace

using RetryPolicyTest = ClientTest;

TEST(RetryStatus, RetriesTransientStatusesForIdempotentRequests) {
  for (int s : {408, 429, 500, 502, 503, 504}) {
    EXPECT_TRUE(roserocket::is_retryable_status(s, roserocket::Idempotency::kIdempotent)) << s;
  }
  for (int s : {200, 400, 401, 403, 404, 409, 422, 501}) {
    EXPECT_FALSE(roserocket::is_retryable_status(s, roserocket::Idempotency::kIdempotent)) << s;
  }
}

TEST(RetryStatus, CreatesAreRetriedOnlyWhenTheServerRefusedBeforeActing) {
  const auto non = roserocket::Idempotency::kNonIdempotent;
  EXPECT_TRUE(roserocket::is_retryable_status(408, non));
  EXPECT_TRUE(roserocket::is_retryable_status(429, non));
  EXPECT_TRUE(roserocket::is_retryable_status(503, non));
  EXPECT_FALSE(roserocket::is_retryable_status(500, non));
  EXPECT_FALSE(roserocket::is_retryable_status(502, non));
  EXPECT_FALSE(roserocket::is_retryable_status(504, non));
}

TEST(RetryAfter, ParsesDeltaSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(roserocket::parse_retry_after("7", now), milliseconds(7000));
  EXPECT_EQ(roserocket::parse_retry_after(" 0 ", now), milliseconds(0));
}

TEST(RetryAfter, ParsesHttpDateRelativeToNow) {
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37
  EXPECT_EQ(roserocket::parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            milliseconds(10000));
  EXPECT_EQ(roserocket::parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), milliseconds(0));
}

TEST(RetryAfter, ReadsHttpDatesAsUtcAcrossLeapDaysAndCenturies) {
  // 2000 is a leap year (divisible by 400), 2100 is not (by 100 only); seconds since the epoch.
  const std::pair<const char*, std::time_t> dates[] = {
      {"Wed, 01 Mar 2000 00:00:00 GMT", 951868800},
      {"Thu, 29 Feb 2024 12:00:01 GMT", 1709208001},
      {"Mon, 01 Mar 2100 00:00:00 GMT", 4107542400}};
  for (const auto& [date, seconds] : dates) {
    const auto now = std::chrono::system_clock::from_time_t(seconds - 5);
    EXPECT_EQ(roserocket::parse_retry_after(date, now), milliseconds(5000)) << date;
  }
}

TEST(RetryAfter, RejectsGarbage) {
  const auto now = std::chrono::system_clock::now();
  for (const char* v : {"", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:37",
                        "Sun, 32 Foo 1994 "
                        "08:49:37 GMT"}) {
    EXPECT_FALSE(roserocket::parse_retry_after(v, now).has_value()) << v;
  }
}

TEST(Backoff, GrowsExponentiallyUpToTheCap) {
  roserocket::RetryPolicy p;
  p.initial_backoff = milliseconds(100);
  p.max_backoff = milliseconds(1000);
  p.jitter = 0;
  EXPECT_EQ(roserocket::backoff_delay(p, 1, 0.5), milliseconds(100));
  EXPECT_EQ(roserocket::backoff_delay(p, 2, 0.5), milliseconds(200));
  EXPECT_EQ(roserocket::backoff_delay(p, 3, 0.5), milliseconds(400));
  EXPECT_EQ(roserocket::backoff_delay(p, 5, 0.5), milliseconds(1000));
}

TEST(Backoff, JitterDrawsWithinTheJitteredFraction) {
  roserocket::RetryPolicy p;
  p.initial_backoff = milliseconds(1000);
  p.jitter = 0.5;
  EXPECT_EQ(roserocket::backoff_delay(p, 1, 0.0), milliseconds(500));
  EXPECT_EQ(roserocket::backoff_delay(p, 1, 0.999), milliseconds(999));
}

TEST_F(RetryPolicyTest, RetriesServiceUnavailableThenSucceeds) {
  mock->enqueue_json(503, json::object());
  mock->enqueue_json(502, json::object());
  mock->enqueue_json(200, {{"id", "x"}});
  EXPECT_EQ(objects().get("x")["id"], "x");
  EXPECT_EQ(mock->request_count(), 3u);
  ASSERT_EQ(fake.sleeps.size(), 2u);
  EXPECT_LE(fake.sleeps[0], fake.sleeps[1] * 2);  // backoff, jittered
}

TEST_F(RetryPolicyTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 10; ++i)
    mock->enqueue_json(500, json::object());
  EXPECT_THROW(objects().get("x"), roserocket::ServerError);
  EXPECT_EQ(mock->request_count(), 4u);  // the default policy's max_attempts
}

TEST_F(RetryPolicyTest, HonoursRetryAfterSeconds) {
  mock->enqueue_json(429, json::object(), {{"Retry-After", "7"}});
  mock->enqueue_json(200, json::object());
  objects().get("x");
  ASSERT_EQ(fake.sleeps.size(), 1u);
  EXPECT_EQ(fake.sleeps[0], milliseconds(7000));
}

TEST_F(RetryPolicyTest, HonoursRetryAfterHttpDate) {
  // The fake system clock stands at 2023-11-14T22:13:20Z.
  mock->enqueue_json(503, json::object(), {{"Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT"}});
  mock->enqueue_json(200, json::object());
  objects().get("x");
  ASSERT_EQ(fake.sleeps.size(), 1u);
  EXPECT_EQ(fake.sleeps[0], milliseconds(3000));
}

TEST_F(RetryPolicyTest, RetryAfterLongerThanTheCapEndsRetriesWithRateLimited) {
  mock->enqueue_json(429, {{"statusCode", 429}, {"message", "slow down"}},
                     {{"Retry-After", "3600"}});
  try {
    objects().get("x");
    FAIL();
  } catch (const roserocket::RateLimitedError& e) {
    EXPECT_EQ(e.retry_after(), milliseconds(3600 * 1000));
  }
  EXPECT_EQ(mock->request_count(), 1u);
  EXPECT_TRUE(fake.sleeps.empty());
}

TEST_F(RetryPolicyTest, TotalTimeBudgetStopsRetries) {
  auto o = options();
  o.retry.max_attempts = 100;
  o.retry.max_total = milliseconds(1000);
  o.retry.initial_backoff = milliseconds(400);
  o.retry.jitter = 0;
  for (int i = 0; i < 100; ++i)
    mock->enqueue_json(503, json::object());
  EXPECT_THROW(roserocket::Client(o).objects().get("x"), roserocket::ServerError);
  // 400 ms, then 800 ms would pass the 1 s budget.
  EXPECT_EQ(fake.sleeps, std::vector<milliseconds>{milliseconds(400)});
  EXPECT_EQ(mock->request_count(), 2u);
}

TEST_F(RetryPolicyTest, NonePolicySendsOnce) {
  auto o = options();
  o.retry = roserocket::RetryPolicy::none();
  mock->enqueue_json(503, json::object());
  EXPECT_THROW(roserocket::Client(o).objects().get("x"), roserocket::ServerError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryPolicyTest, IdempotentRequestIsRetriedAfterDroppedConnection) {
  mock->enqueue_error(std::make_exception_ptr(dropped()));
  mock->enqueue_json(200, json::object());
  objects().get("x");
  EXPECT_EQ(mock->request_count(), 2u);
}

TEST_F(RetryPolicyTest, CreateIsNeverResentAfterDroppedConnection) {
  mock->enqueue_error(std::make_exception_ptr(dropped()));
  mock->enqueue_json(200, json::object());
  try {
    objects().create("customer", {{"name", "n"}});
    FAIL();
  } catch (const roserocket::TransportError& e) {
    EXPECT_TRUE(e.request_may_have_been_sent());
    EXPECT_EQ(e.operation(), "objects.create");
    EXPECT_EQ(e.context().path, "/api/v2/platformModel/objects");
  }
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryPolicyTest, CreateIsNeverResentAfterTimeoutOnceSent) {
  mock->enqueue_error(
      std::make_exception_ptr(roserocket::TimeoutError("timed out", {}, /*sent=*/true)));
  EXPECT_THROW(objects().create("customer", {{"name", "n"}}), roserocket::TimeoutError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryPolicyTest, CreateIsNeverResentAfterInternalServerError) {
  mock->enqueue_json(500, json::object());
  mock->enqueue_json(200, json::object());
  EXPECT_THROW(objects().create("customer", {{"name", "n"}}), roserocket::ServerError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryPolicyTest, SeedsPatchCreateWithoutKeyIsNotResentEither) {
  mock->enqueue_json(502, json::object());
  EXPECT_THROW(objects().upsert("customer", {{"name", "n"}}), roserocket::ServerError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryPolicyTest, UpsertByExternalIdIsRetried) {
  mock->enqueue_json(502, json::object());
  mock->enqueue_json(200, json::object());
  objects().upsert("customer", {{"externalId", "e-1"}});
  EXPECT_EQ(mock->request_count(), 2u);
}

TEST_F(RetryPolicyTest, CreateIsResentWhenItNeverLeft) {
  mock->enqueue_error(std::make_exception_ptr(refused()));
  mock->enqueue_json(200, {{"id", "x"}});
  EXPECT_EQ(objects().create("customer", {{"name", "n"}})["id"], "x");
  EXPECT_EQ(mock->request_count(), 2u);
}

TEST_F(RetryPolicyTest, CreateIsResentWhenTheServerRefusedBeforeActing) {
  mock->enqueue_json(429, json::object(), {{"Retry-After", "1"}});
  mock->enqueue_json(503, json::object());
  mock->enqueue_json(200, {{"id", "x"}});
  objects().create("customer", {{"name", "n"}});
  EXPECT_EQ(mock->request_count(), 3u);
}

TEST_F(RetryPolicyTest, TransportErrorAfterRetriesCarriesContext) {
  for (int i = 0; i < 4; ++i)
    mock->enqueue_error(std::make_exception_ptr(refused()));
  try {
    objects().get("abc");
    FAIL();
  } catch (const roserocket::TransportError& e) {
    EXPECT_FALSE(e.request_may_have_been_sent());
    EXPECT_EQ(e.context().method, "GET");
    EXPECT_THAT(e.what(), ::testing::HasSubstr("connection refused"));
  }
  EXPECT_EQ(mock->request_count(), 4u);
}

TEST_F(RetryPolicyTest, UnauthorizedWithStaticTokenIsFinal) {
  mock->enqueue_json(401, {{"statusCode", 401}, {"message", "Unauthorized"}});
  EXPECT_THROW(objects().get("x"), roserocket::UnauthorizedError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryPolicyTest, UnauthorizedRefreshesOnceAndResends) {
  auto provider = std::make_shared<CountingProvider>();
  auto o = options();
  o.token_provider = provider;
  mock->enqueue_json(401, json::object());
  mock->enqueue_json(200, {{"id", "x"}});
  roserocket::Client(o).objects().get("x");
  const auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.get("Authorization"), "Bearer token-1");
  EXPECT_EQ(requests[1].headers.get("Authorization"), "Bearer token-2");
  EXPECT_TRUE(fake.sleeps.empty());
}

TEST_F(RetryPolicyTest, SecondUnauthorizedSurfaces) {
  auto provider = std::make_shared<CountingProvider>();
  auto o = options();
  o.token_provider = provider;
  mock->enqueue_json(401, json::object());
  mock->enqueue_json(401, json::object());
  mock->enqueue_json(200, json::object());
  EXPECT_THROW(roserocket::Client(o).objects().get("x"), roserocket::UnauthorizedError);
  EXPECT_EQ(mock->request_count(), 2u);
  EXPECT_EQ(provider->invalidations(), 1);
}

TEST_F(RetryPolicyTest, UnauthorizedCreateIsResentAfterRefresh) {
  // A 401 means the server refused before acting, so even a create may be sent again.
  auto o = options();
  o.token_provider = std::make_shared<CountingProvider>();
  mock->enqueue_json(401, json::object());
  mock->enqueue_json(200, {{"id", "x"}});
  roserocket::Client(o).objects().create("customer", {{"name", "n"}});
  EXPECT_EQ(mock->request_count(), 2u);
}
