// The SDK's raw ObjectsApi, through the real Client and CurlTransport, against an in-process
// emulator on a free loopback port: every operation round-trips, the emulator's validation
// reaches the caller as typed errors, and the retry policy meets the emulator's injected faults.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "sdk_against_emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;

const std::string kObjects = "/api/v2/platformModel/objects";

class SdkEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override { start({}); }

  void start(rr_emulator::Options emulator_options) {
    emulator_ = std::make_unique<rr_emulator::Emulator>(std::move(emulator_options));
    emulator_->start();
    provider_ = std::make_shared<rr::ClientCredentialsTokenProvider>(
        roserocket_test::frozen_demo_oauth(*emulator_));
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = provider_;
    // Backoff is recorded, not slept: the tests check what the client waited for, in no time.
    options.clock.sleep = [this](std::chrono::milliseconds d) {
      std::lock_guard<std::mutex> lock(mutex_);
      sleeps_.push_back(d);
    };
    client_ = std::make_unique<rr::Client>(options);
  }

  // Client and provider go first: their pooled keep-alive connections would hold the server's
  // stop.
  void TearDown() override {
    client_.reset();
    provider_.reset();
    emulator_->stop();
  }

  rr::ObjectsApi objects() { return client_->objects(); }

  std::uint64_t served(const std::string& method_and_path) const {
    const auto stats = emulator_->stats();
    const auto it = stats.api_requests.find(method_and_path);
    return it == stats.api_requests.end() ? 0 : it->second;
  }

  std::uint64_t token_requests() const {
    const auto stats = emulator_->stats();
    const auto it = stats.token_requests.find("client_credentials");
    return it == stats.token_requests.end() ? 0 : it->second;
  }

  std::vector<std::chrono::milliseconds> sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

  std::string board_of(const std::string& object_key) {
    const auto board = rr::Boards(*client_).first_for(object_key);
    EXPECT_TRUE(board.has_value()) << object_key;
    return board ? board->id : std::string();
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::shared_ptr<rr::ClientCredentialsTokenProvider> provider_;
  std::unique_ptr<rr::Client> client_;
  std::mutex mutex_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

TEST_F(SdkEmulatorTest, CreateGetUpdateRemoveRoundTrip) {
  auto api = objects();
  const Json created = api.create("customer", {{"name", "XYZ Freight Corp"}, {"postal", "10001"}});
  const std::string id = created.at("id");
  EXPECT_EQ(created["objectKey"], "customer");
  EXPECT_EQ(created["version"], 1);
  EXPECT_EQ(created["fullId"], "CUST-1");

  EXPECT_EQ(api.get(id)["name"], "XYZ Freight Corp");
  const Json updated = api.update("customer", id, {{"city", "New York"}});
  EXPECT_EQ(updated["version"], 2);
  EXPECT_EQ(updated["city"], "New York");
  EXPECT_EQ(api.get(id)["postal"], "10001");  // untouched fields stay

  const auto removed = api.remove(id);
  if (removed) {
    EXPECT_EQ((*removed)["id"], id);
  }
  EXPECT_THROW(api.get(id), rr::NotFoundError);
}

TEST_F(SdkEmulatorTest, GetWithPathsAndDotPaths) {
  auto api = objects();
  const Json customer = api.create("customer", {{"name", "XYZ"}});
  const Json order = api.create(
      "order", {{"customer", {{"id", customer["id"]}}},
                {"tasks",
                 {{{"objectKey", "task"},
                   {"taskType", "pickup"},
                   {"commodities", {{{"objectKey", "commodity"}, {"commodityType", "skid"}}}}}}}});
  const std::string id = order.at("id");

  const Json bare = api.get(id);
  EXPECT_FALSE(bare.contains("tasks") && bare["tasks"].is_array() && !bare["tasks"].empty() &&
               bare["tasks"][0].is_object());
  rr::RequestOptions options;
  options.paths = {"customer", "tasks", "tasks.commodities"};
  const Json full = api.get(id, options);
  EXPECT_EQ(full["customer"]["name"], "XYZ");
  ASSERT_EQ(full["tasks"].size(), 1u);
  EXPECT_EQ(full["tasks"][0]["taskType"], "pickup");
  ASSERT_EQ(full["tasks"][0]["commodities"].size(), 1u);
  EXPECT_EQ(full["tasks"][0]["commodities"][0]["commodityType"], "skid");
  // The SDK sent the paths as one comma-separated parameter to the one path.
  EXPECT_EQ(served("GET " + kObjects + "/" + id), 2u);
}

TEST_F(SdkEmulatorTest, UpsertByExternalIdInBodyAndById) {
  auto api = objects();
  const auto first = api.upsert("customer", {{"externalId", "ERP-1"}, {"name", "One"}});
  EXPECT_TRUE(first.created);
  const auto second = api.upsert("customer", {{"externalId", "ERP-1"}, {"city", "Chicago"}});
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.record["id"], first.record["id"]);
  EXPECT_EQ(second.record["name"], "One");
  EXPECT_EQ(second.record["city"], "Chicago");

  const std::string id = first.record["id"];
  const auto by_id = api.upsert_by_id("customer", id, {{"name", "Renamed"}});
  EXPECT_FALSE(by_id.created);
  EXPECT_EQ(api.get(id)["name"], "Renamed");
  EXPECT_EQ(api.get(id)["version"], 3);
}

TEST_F(SdkEmulatorTest, ExternalIdForms) {
  auto api = objects();
  // An external id with characters that must be percent-encoded into the path, '/' included
  // (ERP ids such as "INV/2024/001" are common).
  const std::string ext = "INV/2024/001 ?#&x=1";
  // This form answers 200 whether it created or updated (the vendor's table): versions tell.
  const auto created = api.upsert_by_external_id("customer", ext, {{"name", "Ext"}});
  EXPECT_EQ(created.record["version"], 1);
  const auto again = api.upsert_by_external_id("customer", ext, {{"city", "Boston"}});
  EXPECT_EQ(again.record["id"], created.record["id"]);
  EXPECT_EQ(again.record["version"], 2);
  const Json got = api.get_by_external_id("customer", ext);
  EXPECT_EQ(got["externalId"], ext);
  EXPECT_EQ(got["name"], "Ext");
  EXPECT_EQ(got["city"], "Boston");
  api.remove_by_external_id("customer", ext);
  EXPECT_THROW(api.get_by_external_id("customer", ext), rr::NotFoundError);
}

TEST_F(SdkEmulatorTest, BulkRemoveDeletesOnlyTheNamedRecords) {
  auto api = objects();
  const std::string a = api.create("customer", {{"name", "A"}})["id"];
  const std::string b = api.create("customer", {{"name", "B"}})["id"];
  const std::string c = api.create("customer", {{"name", "C"}})["id"];
  rr::RequestOptions options;
  options.board_id = board_of("customer");
  api.bulk_remove("customer", {a, b}, options);
  EXPECT_THROW(api.get(a), rr::NotFoundError);
  EXPECT_THROW(api.get(b), rr::NotFoundError);
  EXPECT_EQ(api.get(c)["name"], "C");
}

TEST_F(SdkEmulatorTest, SearchAndAutocomplete) {
  auto api = objects();
  api.create("customer", {{"name", "XYZ Freight Corp"}});
  api.create("customer", {{"name", "Acme Logistics"}});
  api.create("customer", {{"name", "XYZ Haulage"}});

  rr::SearchRequest search;
  search.board_id = board_of("customer");
  search.filters.push_back({"name", rr::SearchOperator::kStartsWith, "XYZ", "", "string"});
  search.order_by_path = "name";
  search.order_by_direction = rr::SortDirection::kAsc;
  const auto found = api.search(search);
  ASSERT_EQ(found.results.size(), 2u);
  EXPECT_EQ(found.results[0]["name"], "XYZ Freight Corp");
  EXPECT_EQ(found.results[1]["name"], "XYZ Haulage");
  EXPECT_GE(found.total, 2);

  rr::AutocompleteRequest complete;
  complete.object_key = "customer";
  complete.search_term = "acme";
  const Json answer = api.autocomplete(complete);
  ASSERT_TRUE(answer.is_array()) << answer.dump();
  ASSERT_EQ(answer.size(), 1u) << answer.dump();
  EXPECT_EQ(answer[0]["name"], "Acme Logistics");
}

TEST_F(SdkEmulatorTest, ReadOnlyFieldWrittenThroughRawApiIsABadRequestNamingIt) {
  auto api = objects();
  try {
    api.create("customer", {{"name", "X"}, {"fullId", "CUST-999"}});
    FAIL() << "the emulator accepted a write to fullId";
  } catch (const rr::BadRequestError& e) {
    EXPECT_EQ(e.status(), 400);
    bool named = false;
    for (const auto& m : e.messages())
      named = named || m.find("fullId") != std::string::npos;
    EXPECT_TRUE(named) << e.what();
  }
  EXPECT_EQ(served("POST " + kObjects), 1u);  // a 400 is final: not retried
}

TEST_F(SdkEmulatorTest, ServiceUnavailableWithRetryAfterIsRetriedAfterThatDelay) {
  auto api = objects();
  const std::string id = api.create("customer", {{"name", "X"}})["id"];
  rr_emulator::Fault fault;
  fault.method = "GET";
  fault.path_prefix = kObjects;
  fault.status = 503;
  fault.retry_after = "2";
  emulator_->add_fault(fault);

  EXPECT_EQ(api.get(id)["name"], "X");
  EXPECT_EQ(emulator_->stats().faults_served, 1u);
  EXPECT_EQ(served("GET " + kObjects + "/" + id), 2u);
  ASSERT_EQ(sleeps().size(), 1u);
  EXPECT_EQ(sleeps()[0], std::chrono::seconds(2));
}

TEST_F(SdkEmulatorTest, DroppedConnectionOnGetIsRetried) {
  auto api = objects();
  const std::string id = api.create("customer", {{"name", "X"}})["id"];
  rr_emulator::Fault fault;
  fault.method = "GET";
  fault.path_prefix = kObjects;
  fault.kind = rr_emulator::FaultKind::kDrop;
  emulator_->add_fault(fault);

  EXPECT_EQ(api.get(id)["name"], "X");
  EXPECT_EQ(emulator_->stats().faults_served, 1u);
  EXPECT_EQ(served("GET " + kObjects + "/" + id), 2u);
}

TEST_F(SdkEmulatorTest, DroppedConnectionOnCreateIsNotResent) {
  auto api = objects();
  rr_emulator::Fault fault;
  fault.method = "POST";
  fault.path_prefix = kObjects;
  fault.kind = rr_emulator::FaultKind::kDrop;
  emulator_->add_fault(fault);

  EXPECT_THROW(api.create("customer", {{"name", "Maybe"}}), rr::TransportError);
  EXPECT_EQ(served("POST " + kObjects), 1u) << "the create was sent again";
  EXPECT_EQ(emulator_->stats().faults_served, 1u);
}

TEST_F(SdkEmulatorTest, TruncatedBodyIsAMalformedResponse) {
  auto api = objects();
  const std::string id = api.create("customer", {{"name", "X"}})["id"];
  rr_emulator::Fault fault;
  fault.method = "GET";
  fault.path_prefix = kObjects;
  fault.kind = rr_emulator::FaultKind::kTruncatedBody;
  fault.count = 10;
  emulator_->add_fault(fault);
  EXPECT_THROW(api.get(id), rr::MalformedResponseError);
  emulator_->clear_faults();
  EXPECT_EQ(api.get(id)["name"], "X");
}

class SdkEmulatorExpiryTest : public SdkEmulatorTest {
 public:
  void SetUp() override {
    rr_emulator::Options options;
    options.token_ttl = std::chrono::seconds(1);
    start(options);
  }
};

TEST_F(SdkEmulatorExpiryTest, ExpiredTokenGets401ThenOneRefreshThenSuccess) {
  auto api = objects();
  const std::string id = api.create("customer", {{"name", "X"}})["id"];
  const std::string old_token = provider_->access_token();
  EXPECT_EQ(token_requests(), 1u);

  // Wait for the condition itself: the emulator refusing the token (1 s TTL), checked directly.
  httplib::Client raw("127.0.0.1", emulator_->port());
  const httplib::Headers auth = {{"Authorization", "Bearer " + old_token}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 200;
  while (status != 401 && std::chrono::steady_clock::now() < deadline) {
    auto r = raw.Get((kObjects + "/" + id).c_str(), auth);
    status = r ? r->status : 0;
    if (status != 401)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status, 401) << "the 1 s token never expired";
  const auto gets_before = served("GET " + kObjects + "/" + id);

  // The provider still believes in its token (frozen clock): the API's 401 makes it refresh once.
  EXPECT_EQ(api.get(id)["name"], "X");
  EXPECT_EQ(token_requests(), 2u);
  EXPECT_EQ(served("GET " + kObjects + "/" + id), gets_before + 2);  // 401, then 200
  EXPECT_NE(provider_->access_token(), old_token);
}

}  // namespace
