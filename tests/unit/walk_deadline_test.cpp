// Deadlines for whole walks (issue 23, item 4): CancellationSource::cancel_after, a call that
// turns the token's deadline into DeadlineExceededError, and PagedRange saying how far the walk
// got. Mock transport and a test clock: nothing waits for real.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "model_test_support.hpp"

namespace rr = roserocket;
using rr::model::Json;
using std::chrono::milliseconds;

namespace {

// Test time: starts at an arbitrary point and moves only when told (or when the client sleeps).
struct WalkTestClock {
  std::shared_ptr<std::atomic<long long>> ms = std::make_shared<std::atomic<long long>>(1000000);

  std::function<std::chrono::steady_clock::time_point()> now() const {
    auto t = ms;
    return [t] { return std::chrono::steady_clock::time_point(milliseconds(t->load())); };
  }
  void advance(milliseconds d) const { ms->fetch_add(d.count()); }

  rr::Clock client_clock() const {
    rr::Clock c = rr::Clock::real();
    c.steady_now = now();
    auto t = ms;
    c.sleep = [t](milliseconds d) { t->fetch_add(d.count()); };
    c.interruptible_sleep = nullptr;  // sleep, then look at the token
    return c;
  }
};

struct WalkRig {
  WalkTestClock time;
  std::shared_ptr<rr::mock::MockTransport> mock = std::make_shared<rr::mock::MockTransport>();
  rr::Client client;

  explicit WalkRig(rr::RetryPolicy retry = rr::RetryPolicy::none())
      : client(options(mock, time, retry)) {}

  static rr::ClientOptions options(const std::shared_ptr<rr::mock::MockTransport>& mock,
                                   const WalkTestClock& time, rr::RetryPolicy retry) {
    rr::ClientOptions o;
    o.transport = mock;
    o.token_provider = std::make_shared<rr::StaticTokenProvider>("test-token");
    o.retry = retry;
    o.clock = time.client_clock();
    return o;
  }

  // A page of two customers (ids "a".."i", created on consecutive days in that order) that
  // takes @p took of test time to arrive.
  void page_taking(milliseconds took, const std::string& a, const std::string& b) {
    const WalkTestClock t = time;
    mock->enqueue_handler([t, took, a, b](const rr::HttpRequest&) {
      t.advance(took);
      auto day = [](const std::string& id) {
        return "2026-01-0" + std::to_string(id[0] - 'a' + 1) + "T00:00:00Z";
      };
      const Json body = {
          {"results", {{{"id", a}, {"createdAt", day(a)}}, {{"id", b}, {"createdAt", day(b)}}}}};
      return rr::HttpResponse{200, {}, body.dump()};
    });
  }
};

rr::SearchRequest customers_request() {
  rr::SearchRequest r;
  r.board_id = "3f6c5e0a-8a0e-4c55-9d63-1d2f1b0a7c11";
  r.object_key = "customer";
  return r;
}

rr::SearchAllOptions two_per_page() {
  rr::SearchAllOptions all;
  all.page_size = 2;
  return all;
}

}  // namespace

TEST(CancelAfter, TheTokenIsCancelledOnceTheDeadlinePasses) {
  WalkTestClock time;
  rr::CancellationSource source;
  const rr::CancellationToken token = source.token();
  EXPECT_FALSE(token.time_left());
  source.cancel_after(milliseconds(5000), time.now());
  EXPECT_FALSE(token.is_cancelled());
  EXPECT_EQ(token.time_left(), milliseconds(5000));
  time.advance(milliseconds(4999));
  EXPECT_FALSE(token.is_cancelled());
  EXPECT_EQ(token.time_left(), milliseconds(1));
  time.advance(milliseconds(1));
  EXPECT_TRUE(token.is_cancelled());
  EXPECT_TRUE(token.deadline_exceeded());
  EXPECT_TRUE(source.is_cancelled());
  EXPECT_EQ(token.time_left(), milliseconds(0));
  // Final: a later cancel_after does not revive it.
  source.cancel_after(milliseconds(60000), time.now());
  EXPECT_TRUE(token.is_cancelled());
  EXPECT_TRUE(token.wait_for(milliseconds(10)));
}

TEST(CancelAfter, CancelBeforeTheDeadlineIsAPlainCancellation) {
  WalkTestClock time;
  rr::CancellationSource source;
  source.cancel_after(milliseconds(5000), time.now());
  source.cancel();
  time.advance(milliseconds(6000));
  EXPECT_TRUE(source.token().is_cancelled());
  EXPECT_FALSE(source.token().deadline_exceeded());
}

TEST(WalkDeadline, SearchAllStopsNamingTheWalkAndKeepsWhatItHandedOver) {
  WalkRig rig;
  rig.page_taking(milliseconds(2000), "a", "b");
  rig.page_taking(milliseconds(2000), "c", "d");
  // The third page's request is still in flight when the walk's 5 s run out: the transport's
  // attempt timeout (cut to the 1 s left) fires.
  std::atomic<long long> third_timeout{-1};
  const WalkTestClock t = rig.time;
  rig.mock->enqueue_handler(
      [t, &third_timeout](const rr::HttpRequest& request) -> rr::HttpResponse {
        third_timeout = request.timeout.count();
        t.advance(milliseconds(1000));
        throw rr::TimeoutError("the attempt timed out", {}, true);
      });
  rr::CancellationSource walk;
  walk.cancel_after(milliseconds(5000), rig.time.now());
  rr::RequestOptions options;
  options.cancellation = walk.token();

  std::vector<std::string> seen;
  std::string message;
  int attempts = -1;
  try {
    for (const Json& record :
         rig.client.objects().search_all(customers_request(), options, two_per_page()))
      seen.push_back(record["id"].get<std::string>());
  } catch (const rr::DeadlineExceededError& e) {
    message = e.what();
    attempts = e.attempts();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(third_timeout.load(), 1000);
  EXPECT_NE(message.find("walk stopped after 2 pages (4 items handed over)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("cancel_after"), std::string::npos) << message;
  EXPECT_NE(message.find("objects.search"), std::string::npos) << message;
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(rig.mock->request_count(), 3u);
}

TEST(WalkDeadline, NoPageStartsOnceTheDeadlineHasPassed) {
  WalkRig rig;
  rig.page_taking(milliseconds(3000), "a", "b");
  rig.page_taking(milliseconds(3000), "c", "d");
  rr::CancellationSource walk;
  walk.cancel_after(milliseconds(5000), rig.time.now());
  rr::RequestOptions options;
  options.cancellation = walk.token();
  auto range = rig.client.objects().search_all(customers_request(), options, two_per_page());
  auto it = range.begin();
  std::vector<std::string> seen;
  try {
    for (; it != range.end(); ++it)
      seen.push_back((*it)["id"].get<std::string>());
    FAIL() << "the walk did not stop";
  } catch (const rr::DeadlineExceededError& e) {
    EXPECT_NE(std::string(e.what()).find("walk stopped after 2 pages (4 items handed over)"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.attempts(), 0);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ((*it)["id"], "d");  // the iterator still stands on the last item handed over
  EXPECT_EQ(rig.mock->request_count(), 2u);
}

TEST(WalkDeadline, NoBackoffOutlastsTheTokensDeadline) {
  WalkRig rig(rr::RetryPolicy{});
  rig.mock->enqueue_json(503, {{"message", "busy"}});
  rr::CancellationSource job;
  job.cancel_after(milliseconds(100), rig.time.now());
  rr::RequestOptions options;
  options.cancellation = job.token();
  try {
    (void)rig.client.objects().get("cust-1", options);
    FAIL() << "no error";
  } catch (const rr::DeadlineExceededError& e) {
    EXPECT_NE(std::string(e.what()).find("no time left to wait"), std::string::npos) << e.what();
    EXPECT_EQ(e.attempts(), 1);
  }
  EXPECT_EQ(rig.mock->request_count(), 1u);
}

TEST(WalkDeadline, APlainCancelIsStillACancelledError) {
  WalkRig rig;
  rr::CancellationSource source;
  source.cancel_after(milliseconds(5000), rig.time.now());
  source.cancel();
  rr::RequestOptions options;
  options.cancellation = source.token();
  EXPECT_THROW((void)rig.client.objects().get("cust-1", options), rr::CancelledError);
  EXPECT_EQ(rig.mock->request_count(), 0u);
}

TEST(WalkDeadline, AMappedRangeCountsItsPagesOnce) {
  int calls = 0;
  rr::PagedRange<int> range([&calls](std::vector<int>& page) -> bool {
    if (++calls == 3)
      throw rr::DeadlineExceededError("deadline of 10 ms exceeded", {}, false, 1);
    page = {calls};
    return true;
  });
  auto doubled = std::move(range).map([](int v) { return v * 2; });
  std::vector<int> seen;
  try {
    for (int v : doubled)
      seen.push_back(v);
  } catch (const rr::DeadlineExceededError& e) {
    EXPECT_EQ(e.summary(),
              "walk stopped after 2 pages (2 items handed over): deadline of 10 ms exceeded");
  }
  EXPECT_EQ(seen, (std::vector<int>{2, 4}));
}
