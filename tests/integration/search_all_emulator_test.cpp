// search_all against the emulator over loopback HTTP: 2,500 customers, 300 of them sharing one
// createdAt (and one name), walked in both directions, with filters, and while records are
// inserted; the emulator answers the live servers' 500 combinations, so a walk that sent one
// would fail. Also: request ids on success and on errors, deadlines and cancellation against
// the emulator's delay faults.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;

const std::string kTie = "2026-06-01T12:00:00.000Z";
const std::string kTieName = "Same Name Freight";

// "2026-01-01T00:00:00.000Z" plus @p seconds (within a few days).
std::string at_second(int seconds) {
  char out[32];
  std::snprintf(out, sizeof out, "2026-01-%02dT%02d:%02d:%02d.000Z", 1 + seconds / 86400,
                (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60);
  return out;
}

class SearchAllTest : public ::testing::Test {
 public:
  static constexpr int kRecords = 2500;
  static constexpr int kTies = 300;

  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>();
    emulator_->start();
    rr::OAuthOptions oauth;
    oauth.token_url = emulator_->token_url();
    oauth.client_id = rr_emulator::kDemoClientId;
    oauth.client_secret = rr_emulator::kDemoClientSecret;
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = std::make_shared<rr::ClientCredentialsTokenProvider>(oauth);
    client_ = std::make_unique<rr::Client>(options);
  }

  void TearDown() override {
    client_.reset();
    emulator_->stop();
  }

  // Seeds kRecords customers in a shuffled order (creation order is not createdAt order): every
  // 8th has the tie createdAt and name (300 in all), the rest distinct ones; cities and
  // statuses alternate so that filters select a known subset.
  void seed() {
    std::vector<Json> records;
    int ties = 0;
    for (int i = 0; i < kRecords; ++i) {
      const int n = (i * 7919) % kRecords;  // 7919 is prime: a permutation of 0..2499
      const bool tie = n % 8 == 0 && ties < kTies;
      ties += tie ? 1 : 0;
      Json r = {{"name", tie ? kTieName : "Customer " + std::to_string(100000 + n)},
                {"city", n % 2 == 0 ? "Boston" : "Toronto"},
                {"status", n % 3 == 0 ? "inactive" : "active"},
                {"createdAt", tie ? kTie : at_second(n * 60)}};
      records.push_back(r);
      expected_.push_back(r);
    }
    ASSERT_EQ(ties, kTies);
    const auto ids = emulator_->seed_records("customer", records);
    ASSERT_EQ(ids.size(), records.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      expected_[i]["id"] = ids[i];
    board_ = client_->boards().first_for("customer").value().id;
  }

  rr::SearchRequest request(const std::string& order, rr::SortDirection direction) const {
    rr::SearchRequest r;
    r.board_id = board_;
    r.order_by_path = order;
    r.order_by_direction = direction;
    return r;
  }

  std::uint64_t served(const std::string& method_and_path) const {
    const auto stats = emulator_->stats();
    const auto it = stats.api_requests.find(method_and_path);
    return it == stats.api_requests.end() ? 0 : it->second;
  }

  // Every id once, and the order field never going backwards in the walk's direction.
  static void expect_ordered_once(const std::vector<Json>& walked, const std::string& field,
                                  bool descending) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < walked.size(); ++i) {
      EXPECT_TRUE(ids.insert(walked[i]["id"].get<std::string>()).second)
          << "repeated " << walked[i]["id"];
      if (i > 0) {
        const Json& a = walked[i - 1][field];
        const Json& b = walked[i][field];
        EXPECT_TRUE(descending ? !(a < b) : !(b < a)) << a << " then " << b;
      }
    }
  }

  std::set<std::string> expected_ids(bool (*keep)(const Json&)) const {
    std::set<std::string> out;
    for (const auto& r : expected_) {
      if (keep(r))
        out.insert(r["id"].get<std::string>());
    }
    return out;
  }

  static std::set<std::string> ids_of(const std::vector<Json>& records) {
    std::set<std::string> out;
    for (const auto& r : records)
      out.insert(r["id"].get<std::string>());
    return out;
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::unique_ptr<rr::Client> client_;
  std::vector<Json> expected_;
  std::string board_;
};

bool any(const Json&) {
  return true;
}

TEST_F(SearchAllTest, AscendingByCreatedAtYieldsEveryRecordOnceAcross300Ties) {
  seed();
  const auto walked =
      client_->objects().search_all(request("", rr::SortDirection::kAsc)).to_vector();
  ASSERT_EQ(walked.size(), static_cast<std::size_t>(kRecords));
  expect_ordered_once(walked, "createdAt", false);
  EXPECT_EQ(ids_of(walked), expected_ids(any));
  // One page of 100 at a time: 25 full pages and the short (empty) one that ends the walk.
  EXPECT_EQ(served("POST /api/v2/platformModel/objects/search"), 26u);
}

TEST_F(SearchAllTest, DescendingByCreatedAtTypedThroughTheFacade) {
  seed();
  std::vector<Json> walked;
  rr::SearchRequest r = request("createdAt", rr::SortDirection::kDesc);
  rr::SearchAllOptions all;
  all.page_size = 70;  // pages end inside the tie group
  for (const rr::model::Customer& c : client_->customers().search_all(r, {}, all))
    walked.push_back(c.json());
  ASSERT_EQ(walked.size(), static_cast<std::size_t>(kRecords));
  expect_ordered_once(walked, "createdAt", true);
  EXPECT_EQ(ids_of(walked), expected_ids(any));
}

TEST_F(SearchAllTest, FiltersCombinedWithARangeOrderOverTiedNamesBothWays) {
  seed();
  for (const bool descending : {false, true}) {
    const rr::SortDirection direction =
        descending ? rr::SortDirection::kDesc : rr::SortDirection::kAsc;
    rr::SearchRequest r = request("name", direction);
    r.filters.push_back({"city", rr::SearchOperator::kEquals, "Boston", "", ""});
    // A select field takes `in`; `equals` on it answers 500, like live servers.
    r.filters.push_back({"status", rr::SearchOperator::kIn, Json::array({"active"}), "", ""});
    rr::SearchAllOptions all;
    all.page_size = 50;
    const auto walked = client_->objects().search_all(r, {}, all).to_vector();
    expect_ordered_once(walked, "name", descending);
    EXPECT_EQ(ids_of(walked), expected_ids([](const Json& c) {
                return c["city"] == "Boston" && c["status"] == "active";
              }));
    EXPECT_GT(walked.size(), 500u);
  }
}

TEST_F(SearchAllTest, RecordsInsertedDuringTheWalkNeverMakeOneSkipOrRepeat) {
  seed();
  for (const bool descending : {false, true}) {
    const rr::SortDirection direction =
        descending ? rr::SortDirection::kDesc : rr::SortDirection::kAsc;
    const std::set<std::string> before = ids_of([&] {
      std::vector<Json> all;
      for (const auto& r : client_->objects().search_all(request("", direction)))
        all.push_back(r);
      return all;
    }());
    std::vector<Json> walked;
    int inserted = 0;
    for (const auto& r : client_->objects().search_all(request("", direction))) {
      walked.push_back(r);
      if (walked.size() % 150 == 0 && inserted < 10) {
        // Before the cursor, at the tie, and after it: wherever a new record lands.
        std::vector<Json> extra = {
            {{"name", "Early " + std::to_string(inserted)}, {"createdAt", at_second(1)}},
            {{"name", "Tied " + std::to_string(inserted)}, {"createdAt", kTie}},
            {{"name", "Late " + std::to_string(inserted)}, {"createdAt", "2027-01-01T00:00:00Z"}}};
        emulator_->seed_records("customer", extra);
        ++inserted;
      }
    }
    ASSERT_EQ(inserted, 10);
    expect_ordered_once(walked, "createdAt", descending);
    const std::set<std::string> got = ids_of(walked);
    for (const auto& id : before)
      EXPECT_EQ(got.count(id), 1u) << "skipped " << id;
  }
}

TEST_F(SearchAllTest, TheEmulatorAnswersTheLiveServersFailingCombinationsWith500) {
  seed();
  auto one = [this](const std::string& path, rr::SearchOperator op, Json value) {
    rr::SearchRequest r = request("", {});
    r.filters.push_back({path, std::move(op), std::move(value), "", ""});
    r.limit = 1;
    rr::RequestOptions o;
    o.retry = rr::RetryPolicy::none();
    return client_->objects().search(r, o);
  };
  EXPECT_THROW(one("createdAt", rr::SearchOperator::kBetween, Json::array({kTie, nullptr})),
               rr::ServerError);
  EXPECT_THROW(one("status", rr::SearchOperator::kEquals, "active"), rr::ServerError);
  EXPECT_THROW(one("formattedBusinessHours", rr::SearchOperator::kIn, Json::array({"x"})),
               rr::ServerError);
  // The forms that work: `in` on a select field, `between` on a plain field.
  EXPECT_TRUE(one("status", rr::SearchOperator::kIn, Json::array({"active"})).has_more);
  EXPECT_TRUE(one("name", rr::SearchOperator::kBetween, Json::array({"A", nullptr})).has_more);
}

TEST_F(SearchAllTest, RequestIdsOnSuccessAndOnErrors) {
  seed();
  rr::ResponseMetadata meta;
  rr::RequestOptions o;
  o.metadata = &meta;
  (void)client_->customers().get(expected_.front()["id"].get<std::string>(), o);
  EXPECT_EQ(meta.status, 200);
  EXPECT_EQ(meta.attempts, 1);
  EXPECT_FALSE(meta.request_id.empty());
  EXPECT_EQ(meta.headers.get("x-request-id").value_or(""), meta.request_id);
  try {
    (void)client_->objects().get("00000000-0000-4000-8000-000000000000");
    FAIL() << "expected NotFoundError";
  } catch (const rr::NotFoundError& e) {
    EXPECT_FALSE(e.request_id().empty());
    EXPECT_NE(e.request_id(), meta.request_id);
  }
}

class CallControlTest : public SearchAllTest {};

TEST_F(CallControlTest, CancelAbortsAnAttemptInFlightAndNoOtherStarts) {
  seed();
  const std::string id = expected_.front()["id"].get<std::string>();
  rr_emulator::Fault slow;
  slow.method = "GET";
  slow.path_prefix = "/api/v2/platformModel/objects";
  slow.kind = rr_emulator::FaultKind::kDelay;
  slow.delay_ms = 1500;
  slow.count = 5;
  emulator_->add_fault(slow);
  rr::CancellationSource source;
  rr::RequestOptions o;
  o.cancellation = source.token();
  auto call =
      std::async(std::launch::async, [this, id, o] { return client_->objects().get(id, o); });
  // Cancel once the server holds the request.
  while (served("GET /api/v2/platformModel/objects/" + id) == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  source.cancel();
  try {
    (void)call.get();
    FAIL() << "expected CancelledError";
  } catch (const rr::CancelledError& e) {
    EXPECT_EQ(e.attempts(), 1);
    EXPECT_TRUE(e.request_may_have_been_sent());
  }
  EXPECT_EQ(served("GET /api/v2/platformModel/objects/" + id), 1u);
  emulator_->clear_faults();
}

TEST_F(CallControlTest, DeadlineEndsRetriesOfSlowAttemptsAndCountsThem) {
  seed();
  const std::string id = expected_.front()["id"].get<std::string>();
  rr_emulator::Fault slow;
  slow.method = "GET";
  slow.path_prefix = "/api/v2/platformModel/objects";
  slow.kind = rr_emulator::FaultKind::kDelay;
  slow.delay_ms = 600;
  slow.count = 20;
  emulator_->add_fault(slow);
  rr::RequestOptions o;
  o.timeout = std::chrono::milliseconds(200);
  o.deadline = std::chrono::milliseconds(700);
  rr::RetryPolicy retry;
  retry.max_attempts = 20;
  retry.initial_backoff = std::chrono::milliseconds(50);
  retry.jitter = 0;
  o.retry = retry;
  try {
    (void)client_->objects().get(id, o);
    FAIL() << "expected DeadlineExceededError";
  } catch (const rr::DeadlineExceededError& e) {
    // Every attempt the server saw was counted; the last one may end before it arrives.
    const auto seen = served("GET /api/v2/platformModel/objects/" + id);
    EXPECT_GE(seen, 2u);
    EXPECT_GE(static_cast<std::uint64_t>(e.attempts()), seen);
  }
  emulator_->clear_faults();
}

// Issue 23: one cancel_after deadline bounds a whole walk. The second page never answers in
// time; the walk stops with DeadlineExceededError saying how far it got, and the first page's
// records stay with the caller.
TEST_F(CallControlTest, CancelAfterBoundsAWholeWalkAndKeepsWhatItHandedOver) {
  seed();
  rr::CancellationSource walk;
  rr::RequestOptions o;
  o.cancellation = walk.token();
  rr::SearchAllOptions all;
  all.page_size = 100;
  auto range = client_->objects().search_all(request("createdAt", rr::SortDirection::kAsc), o, all);
  std::vector<std::string> seen;
  auto it = range.begin();  // the first page, answered at once
  rr_emulator::Fault slow;
  slow.method = "POST";
  slow.path_prefix = "/api/v2/platformModel/objects/search";
  slow.kind = rr_emulator::FaultKind::kDelay;
  slow.delay_ms = 3000;
  slow.count = 5;
  emulator_->add_fault(slow);
  walk.cancel_after(std::chrono::milliseconds(300));
  try {
    for (; it != range.end(); ++it)
      seen.push_back((*it)["id"].get<std::string>());
    FAIL() << "expected DeadlineExceededError";
  } catch (const rr::DeadlineExceededError& e) {
    EXPECT_NE(std::string(e.what()).find("walk stopped after 1 page (100 items handed over)"),
              std::string::npos)
        << e.what();
    EXPECT_TRUE(walk.token().deadline_exceeded());
  }
  EXPECT_EQ(seen.size(), 100u);
  emulator_->clear_faults();
}

}  // namespace
