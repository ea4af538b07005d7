// BulkEngine through the real Client and CurlTransport (the libcurl multi loop) against an
// in-process emulator over loopback, with faults under load: dropped connections mid-body,
// bursts of 5xx, the token expiring mid-batch, cancellation halfway and the rate limit.
// Afterwards every record is looked up: present exactly once, as the results say.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "rr_emulator/pacing.hpp"
#include "sdk_against_emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;

const std::string kUpsertPrefix = "/api/v2/platformModel/objects/customer/";

class BulkEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override {}

  void start(rr_emulator::Options emulator_options = {}, int latency_ms = 0,
             double rate_limit = 0) {
    emulator_ = std::make_unique<rr_emulator::Emulator>(std::move(emulator_options));
    emulator_->start();
    if (latency_ms > 0 || rate_limit > 0)
      rr_emulator::set_pacing(*emulator_, latency_ms, rate_limit);
    provider_ = std::make_shared<rr::ClientCredentialsTokenProvider>(
        roserocket_test::frozen_demo_oauth(*emulator_));
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = provider_;
    options.retry.initial_backoff = std::chrono::milliseconds(10);
    options.retry.max_backoff = std::chrono::milliseconds(50);
    options.retry.max_attempts = 6;
    client_ = std::make_unique<rr::Client>(options);
  }

  void TearDown() override {
    client_.reset();
    provider_.reset();
    if (emulator_)
      emulator_->stop();
  }

  static std::vector<Json> customers(const std::string& prefix, int n) {
    std::vector<Json> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(Json{{"externalId", prefix + std::to_string(i)},
                         {"name", "Bulk customer " + prefix + std::to_string(i)}});
    }
    return out;
  }

  // How many customer records carry each external id (a search over the whole board).
  std::map<std::string, int> count_by_external_id() {
    const auto board = rr::Boards(*client_).first_for("customer");
    EXPECT_TRUE(board.has_value());
    rr::SearchRequest search;
    search.board_id = board ? board->id : std::string();
    std::map<std::string, int> counts;
    for (const Json& record : client_->objects().search_all(search)) {
      const auto it = record.find("externalId");
      if (it != record.end() && it->is_string())
        ++counts[it->get<std::string>()];
    }
    return counts;
  }

  // Every item succeeded, and each external id is on exactly one record.
  void expect_each_once(const std::vector<rr::ItemResult<rr::UpsertResult>>& results,
                        const std::vector<Json>& records) {
    ASSERT_EQ(results.size(), records.size());
    const auto counts = count_by_external_id();
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::string ext = records[i]["externalId"];
      EXPECT_TRUE(results[i].ok()) << ext << ": " << results[i].error_message;
      if (results[i].ok()) {
        EXPECT_EQ(results[i].value->record.value("externalId", ""), ext);
      }
      const auto it = counts.find(ext);
      EXPECT_EQ(it == counts.end() ? 0 : it->second, 1) << ext;
    }
  }

  std::uint64_t token_requests() const {
    const auto stats = emulator_->stats();
    const auto it = stats.token_requests.find("client_credentials");
    return it == stats.token_requests.end() ? 0 : it->second;
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::shared_ptr<rr::ClientCredentialsTokenProvider> provider_;
  std::unique_ptr<rr::Client> client_;
};

rr::BulkOptions in_flight(int n) {
  rr::BulkOptions o;
  o.max_in_flight = n;
  return o;
}

TEST_F(BulkEmulatorTest, UpsertsSurviveDroppedConnectionsAndA5xxBurst) {
  start({}, /*latency_ms=*/2);
  rr_emulator::Fault drop;
  drop.method = "PATCH";
  drop.path_prefix = kUpsertPrefix;
  drop.kind = rr_emulator::FaultKind::kDrop;
  drop.count = 8;
  emulator_->add_fault(drop);
  rr_emulator::Fault burst;
  burst.method = "PATCH";
  burst.path_prefix = kUpsertPrefix;
  burst.kind = rr_emulator::FaultKind::kStatus;
  burst.status = 502;
  burst.count = 12;
  emulator_->add_fault(burst);

  const auto records = customers("DROP-", 200);
  rr::BulkEngine engine(*client_, in_flight(16));
  const auto results = engine.upsert_many("customer", records);
  expect_each_once(results, records);
  EXPECT_EQ(emulator_->stats().faults_served, 20u);
  EXPECT_GE(engine.stats().requests, 220u);  // every fault cost one more request
  // Over plain HTTP/1.1: at most one connection per slot, plus those the faults broke.
  EXPECT_LE(engine.stats().connections, 16u + 8u + 12u);
}

TEST_F(BulkEmulatorTest, TokenExpiringMidBatchCostsExactlyOneTokenRequest) {
  rr_emulator::Options options;
  options.token_ttl = std::chrono::seconds(2);
  start(options, /*latency_ms=*/2);
  const auto records = customers("TOK-", 240);
  std::atomic<bool> paused{false};
  rr::BatchOptions batch;
  // A third of the way in, one answer asks for a 3 s pause: the token (2 s) expires meanwhile.
  batch.progress = [&](const rr::BulkProgress& p) {
    if (p.done >= 80 && !paused.exchange(true)) {
      rr_emulator::Fault slow_down;
      slow_down.path_prefix = kUpsertPrefix;
      slow_down.status = 503;
      slow_down.retry_after = "3";
      emulator_->add_fault(slow_down);
    }
  };
  rr::BulkEngine engine(*client_, in_flight(16));
  const auto results = engine.upsert_many("customer", records, batch);
  EXPECT_TRUE(paused.load());
  EXPECT_EQ(engine.stats().pauses, 1u);
  EXPECT_EQ(token_requests(), 2u);  // the first token and one refresh, for all 16 in flight
  expect_each_once(results, records);
}

TEST_F(BulkEmulatorTest, CancelledHalfwayTheResultsSayWhichRecordsExist) {
  start({}, /*latency_ms=*/5);
  const auto records = customers("CAN-", 300);
  rr::CancellationSource source;
  rr::BatchOptions batch;
  batch.cancellation = source.token();
  batch.progress = [&source](const rr::BulkProgress& p) {
    if (p.done >= 150)
      source.cancel();
  };
  rr::BulkEngine engine(*client_, in_flight(8));
  const auto results = engine.upsert_many("customer", records, batch);
  ASSERT_EQ(results.size(), records.size());
  const auto counts = count_by_external_id();
  std::size_t succeeded = 0;
  std::size_t not_started = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string ext = records[i]["externalId"];
    const auto it = counts.find(ext);
    const int present = it == counts.end() ? 0 : it->second;
    switch (results[i].status) {
      case rr::ItemStatus::kSucceeded:
        ++succeeded;
        EXPECT_EQ(present, 1) << ext;
        break;
      case rr::ItemStatus::kNotStarted:
        ++not_started;
        EXPECT_EQ(present, 0) << ext;
        EXPECT_EQ(results[i].attempts, 0);
        break;
      case rr::ItemStatus::kFailed:
        // Aborted in flight: it may or may not have arrived, but never twice.
        EXPECT_LE(present, 1) << ext;
        EXPECT_THROW(std::rethrow_exception(results[i].error), rr::CancelledError);
        break;
    }
  }
  EXPECT_GE(succeeded, 150u);
  EXPECT_GT(not_started, 0u);
  EXPECT_LT(succeeded, records.size());
}

TEST_F(BulkEmulatorTest, RateLimitedRunPausesAndCreatesEveryRecordOnce) {
  start({}, 0, /*rate_limit=*/100);
  const auto records = customers("RATE-", 250);
  rr::BulkEngine engine(*client_, in_flight(32));
  const auto results = engine.upsert_many("customer", records);
  EXPECT_GE(engine.stats().pauses, 1u);
  EXPECT_LT(engine.stats().concurrency, 32);  // AIMD came down on the 429s
  expect_each_once(results, records);
}

TEST_F(BulkEmulatorTest, CreateManyAndGetManyRoundTrip) {
  start();
  std::vector<Json> fields;
  for (int i = 0; i < 40; ++i)
    fields.push_back(Json{{"name", "Created " + std::to_string(i)}});
  rr::BulkEngine engine(*client_, in_flight(8));
  const auto created = engine.create_many("customer", fields);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < created.size(); ++i) {
    ASSERT_TRUE(created[i].ok()) << created[i].error_message;
    ids.push_back((*created[i].value)["id"]);
  }
  ids.push_back("00000000-0000-4000-8000-000000000000");  // unknown: fails alone
  const auto got = engine.get_many(ids);
  ASSERT_EQ(got.size(), ids.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    ASSERT_TRUE(got[i].ok()) << got[i].error_message;
    EXPECT_EQ((*got[i].value)["name"], fields[i]["name"]);
  }
  EXPECT_EQ(got.back().status, rr::ItemStatus::kFailed);
  EXPECT_THROW(std::rethrow_exception(got.back().error), rr::NotFoundError);

  const auto removed = engine.remove_many(std::vector<std::string>(ids.begin(), ids.begin() + 5));
  for (const auto& r : removed)
    EXPECT_TRUE(r.ok()) << r.error_message;
  const auto gone = engine.get_many(std::vector<std::string>(ids.begin(), ids.begin() + 5));
  for (const auto& r : gone)
    EXPECT_EQ(r.status, rr::ItemStatus::kFailed);
}

TEST_F(BulkEmulatorTest, PacingIsSettableThroughTheAdminRoute) {
  start();
  rr_emulator::set_pacing(*emulator_, 0, 0);
  rr::HttpRequest put;
  put.method = rr::HttpMethod::kPut;
  put.url = emulator_->base_url() + "/__emulator/pacing";
  put.headers.set("Content-Type", "application/json");
  put.body = Json{{"latencyMs", 1}, {"rateLimitPerSecond", 2}}.dump();
  rr::CurlTransport transport;
  const auto answer = transport.send(put);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(Json::parse(answer.body), (Json{{"latencyMs", 1}, {"rateLimitPerSecond", 2.0}}));
  // Two requests a second: a burst of four sees 429 with Retry-After.
  int throttled = 0;
  std::string retry_after;
  for (int i = 0; i < 4; ++i) {
    rr::HttpRequest get;
    get.url = emulator_->api_base_url() + "/boards/nav";
    const auto r = transport.send(get);
    if (r.status == 429) {
      ++throttled;
      retry_after = r.headers.get("Retry-After").value_or("");
    }
  }
  EXPECT_EQ(throttled, 2);
  EXPECT_EQ(retry_after, "1");
  put.body = Json{{"latencyMs", -1}}.dump();
  EXPECT_EQ(transport.send(put).status, 400);
}

}  // namespace
