// Issue 22: what each upsert path reports against the emulator, which answers like the platform
// (201/200 on the keyed PATCH /objects, 200 either way on the external-id and by-id routes).
// Never "created" for a record that existed; "created or unchanged" where version 1 cannot tell.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/resources/resource.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "sdk_against_emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;
using rr::UpsertOutcome;

class UpsertOutcomeEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>(rr_emulator::Options{});
    emulator_->start();
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = std::make_shared<rr::ClientCredentialsTokenProvider>(
        roserocket_test::frozen_demo_oauth(*emulator_));
    client_ = std::make_unique<rr::Client>(options);
  }
  // The client first: its pooled keep-alive connections would hold the server's stop.
  void TearDown() override {
    client_.reset();
    emulator_->stop();
  }

 protected:
  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::unique_ptr<rr::Client> client_;
};

TEST_F(UpsertOutcomeEmulatorTest, ExternalIdRouteNeverSaysCreatedForAnExistingRecord) {
  auto api = client_->objects();
  const auto made = api.upsert_by_external_id("customer", "X-1", {{"name", "One"}});
  EXPECT_EQ(made.outcome, UpsertOutcome::kCreatedOrUnchanged);
  EXPECT_FALSE(made.created);
  EXPECT_EQ(made.record["version"], 1);

  // The same values again: nothing changes, version 1 stays, and the SDK does not say created.
  const auto same = api.upsert_by_external_id("customer", "X-1", {{"name", "One"}});
  EXPECT_EQ(same.record["id"], made.record["id"]);
  EXPECT_EQ(same.outcome, UpsertOutcome::kCreatedOrUnchanged);
  EXPECT_FALSE(same.created);

  const auto changed = api.upsert_by_external_id("customer", "X-1", {{"name", "Two"}});
  EXPECT_EQ(changed.outcome, UpsertOutcome::kUpdated);
  EXPECT_FALSE(changed.created);
  EXPECT_EQ(changed.record["version"], 2);

  // Once written, even an unchanged upsert is known to be of an existing record.
  const auto unchanged = api.upsert_by_external_id("customer", "X-1", {{"name", "Two"}});
  EXPECT_EQ(unchanged.outcome, UpsertOutcome::kUpdated);
}

TEST_F(UpsertOutcomeEmulatorTest, KeyedUpsertTellsByStatusAndUnkeyedCreates) {
  auto api = client_->objects();
  const auto created = api.upsert("customer", {{"externalId", "K-1"}, {"name", "One"}});
  EXPECT_EQ(created.outcome, UpsertOutcome::kCreated);
  EXPECT_TRUE(created.created);
  const auto same = api.upsert("customer", {{"externalId", "K-1"}, {"name", "One"}});
  EXPECT_EQ(same.outcome, UpsertOutcome::kUpdated);
  EXPECT_FALSE(same.created);
  EXPECT_EQ(same.record["version"], 1);  // matched and left as it was: not created

  const auto unkeyed = api.upsert("customer", {{"name", "No key"}});
  EXPECT_EQ(unkeyed.outcome, UpsertOutcome::kCreated);
  EXPECT_NE(unkeyed.record["id"], created.record["id"]);
}

TEST_F(UpsertOutcomeEmulatorTest, UpsertByIdReadsTheRecord) {
  auto api = client_->objects();
  const std::string id = "0b7d3c6e-0000-4000-8000-000000000001";
  const auto made = api.upsert_by_id("customer", id, {{"name", "One"}});
  EXPECT_EQ(made.outcome, UpsertOutcome::kCreatedOrUnchanged);
  EXPECT_EQ(made.record["id"], id);
  const auto changed = api.upsert_by_id("customer", id, {{"name", "Two"}});
  EXPECT_EQ(changed.outcome, UpsertOutcome::kUpdated);

  auto customers = client_->customers();
  rr::model::Customer change;
  change.set_name("Three");
  const auto typed = customers.upsert_by_id(id, change);
  EXPECT_EQ(typed.outcome, UpsertOutcome::kUpdated);
  EXPECT_FALSE(typed.created);
}

TEST_F(UpsertOutcomeEmulatorTest, BulkUpsertCountsHonestly) {
  std::vector<Json> rows;
  for (int i = 0; i < 20; ++i)
    rows.push_back(Json{{"externalId", "B-" + std::to_string(i)}, {"name", "N"}});
  rr::BulkEngine engine(*client_);
  const auto first = engine.upsert_many("customer", rows);
  for (const auto& r : first) {
    ASSERT_TRUE(r.ok()) << r.error_message;
    EXPECT_EQ(r.value->outcome, UpsertOutcome::kCreatedOrUnchanged);
    EXPECT_FALSE(r.value->created);
  }
  // Half of them changed: those are updated, the rest unchanged (still version 1).
  for (int i = 0; i < 20; i += 2)
    rows[i]["name"] = "Changed";
  const auto second = engine.upsert_many("customer", rows);
  for (std::size_t i = 0; i < second.size(); ++i) {
    ASSERT_TRUE(second[i].ok()) << second[i].error_message;
    EXPECT_EQ(second[i].value->outcome,
              i % 2 == 0 ? UpsertOutcome::kUpdated : UpsertOutcome::kCreatedOrUnchanged)
        << i;
  }

  std::vector<rr::model::Customer> typed(4);
  for (int i = 0; i < 4; ++i)
    typed[i].set_external_id("B-" + std::to_string(i)).set_name("Typed " + std::to_string(i));
  typed.push_back(rr::model::Customer{});
  typed.back().set_external_id("T-new").set_name("New");
  const auto results = engine.upsert_many(typed);
  ASSERT_EQ(results.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error_message;
    EXPECT_EQ(results[i].outcome, UpsertOutcome::kUpdated) << i;
  }
  ASSERT_TRUE(results[4].ok());
  EXPECT_EQ(results[4].outcome, UpsertOutcome::kCreatedOrUnchanged);
  EXPECT_FALSE(results[4].created);
  EXPECT_EQ(results[4].value->external_id(), "T-new");
}

}  // namespace
