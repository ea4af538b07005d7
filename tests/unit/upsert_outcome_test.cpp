// What each upsert path reports it did (issue 22): the status where the route tells 201 from
// 200, else the record's version/createdAt/updatedAt; never "created" without evidence.

#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/resources/resource.hpp"

namespace rr_test {
namespace {

using roserocket::BulkEngine;
using roserocket::HttpRequest;
using roserocket::HttpResponse;
using roserocket::Json;
using roserocket::UpsertOutcome;

constexpr const char* kT0 = "2026-01-05T10:00:00.000Z";
constexpr const char* kT1 = "2026-01-06T11:30:00.000Z";

Json record(Json version, Json created_at, Json updated_at) {
  Json r = {{"id", "c-1"}, {"objectKey", "customer"}, {"externalId", "E-1"}};
  if (!version.is_null())
    r["version"] = std::move(version);
  if (!created_at.is_null())
    r["createdAt"] = std::move(created_at);
  if (!updated_at.is_null())
    r["updatedAt"] = std::move(updated_at);
  return r;
}

// One answer of a route that says 200 whatever it did, and what must be read from it.
struct Case {
  const char* name;
  int status;
  Json body;
  UpsertOutcome expected;
};

std::vector<Case> silent_route_cases() {
  return {
      {"201 says created", 201, record(1, kT0, kT0), UpsertOutcome::kCreated},
      {"v1, createdAt == updatedAt", 200, record(1, kT0, kT0), UpsertOutcome::kCreatedOrUnchanged},
      {"v2", 200, record(2, kT0, kT1), UpsertOutcome::kUpdated},
      {"v7", 200, record(7, kT0, kT1), UpsertOutcome::kUpdated},
      {"v1, updatedAt later", 200, record(1, kT0, kT1), UpsertOutcome::kUnknown},
      {"no version", 200, record(nullptr, kT0, kT0), UpsertOutcome::kUnknown},
      {"version as a string", 200, record("1", kT0, kT0), UpsertOutcome::kUnknown},
      {"version 0", 200, record(0, kT0, kT0), UpsertOutcome::kUnknown},
      {"no createdAt", 200, record(1, nullptr, kT0), UpsertOutcome::kUnknown},
      {"no timestamps", 200, record(1, nullptr, nullptr), UpsertOutcome::kUnknown},
      {"empty timestamps", 200, record(1, "", ""), UpsertOutcome::kUnknown},
      {"numeric timestamps", 200, record(1, 5, 5), UpsertOutcome::kUnknown},
  };
}

void expect_outcome(const roserocket::UpsertResult& result, const Case& c) {
  EXPECT_EQ(result.outcome, c.expected) << c.name << ": " << to_string(result.outcome);
  EXPECT_EQ(result.created, c.expected == UpsertOutcome::kCreated) << c.name;
  EXPECT_EQ(result.record, c.body) << c.name;
}

HttpResponse json_response(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

using UpsertOutcomeTest = ClientTest;

TEST_F(UpsertOutcomeTest, UpsertByExternalIdReadsTheRecordSince200SaysNothing) {
  for (const Case& c : silent_route_cases()) {
    mock->enqueue_json(c.status, c.body);
    expect_outcome(objects().upsert_by_external_id("customer", "E-1", {{"name", "n"}}), c);
  }
}

TEST_F(UpsertOutcomeTest, UpsertByIdReadsTheRecordSince200SaysNothing) {
  for (const Case& c : silent_route_cases()) {
    mock->enqueue_json(c.status, c.body);
    expect_outcome(objects().upsert_by_id("customer", "c-1", {{"name", "n"}}), c);
  }
}

TEST_F(UpsertOutcomeTest, KeyedUpsertTrustsItsStatusWhateverTheRecordSays) {
  // The route documents 201 created / 200 updated: a v1 record answered 200 was matched.
  mock->enqueue_json(200, record(1, kT0, kT0));
  auto updated = objects().upsert("customer", {{"externalId", "E-1"}});
  EXPECT_EQ(updated.outcome, UpsertOutcome::kUpdated);
  EXPECT_FALSE(updated.created);
  mock->enqueue_json(201, record(1, kT0, kT0));
  auto created = objects().upsert("customer", {{"externalId", "E-1"}});
  EXPECT_EQ(created.outcome, UpsertOutcome::kCreated);
  EXPECT_TRUE(created.created);
  mock->enqueue_json(200, record(nullptr, nullptr, nullptr));
  EXPECT_EQ(objects().upsert("customer", {{"externalId", "E-1"}}).outcome, UpsertOutcome::kUpdated);
}

TEST_F(UpsertOutcomeTest, UnkeyedUpsertAlwaysCreates) {
  mock->enqueue_json(200, record(1, kT0, kT0));
  auto result = objects().upsert("customer", {{"name", "n"}});
  EXPECT_EQ(result.outcome, UpsertOutcome::kCreated);
  EXPECT_TRUE(result.created);
  mock->enqueue_json(200, record(1, kT0, kT0));
  EXPECT_EQ(objects().upsert("customer", {{"name", "n"}, {"externalId", nullptr}}).outcome,
            UpsertOutcome::kCreated);
}

TEST_F(UpsertOutcomeTest, AnUnusableExternalIdMayStillMatchSoTheRecordDecides) {
  // Not a key the SDK retries by, yet a server may match on it: not "always creates".
  for (const Case& c : silent_route_cases()) {
    mock->enqueue_json(c.status, c.body);
    expect_outcome(objects().upsert("customer", {{"externalId", ""}, {"name", "n"}}), c);
  }
}

TEST_F(UpsertOutcomeTest, TypedFacadeCarriesTheOutcome) {
  auto customers = client().customers();
  roserocket::model::Customer change;
  change.set_name("n");
  for (const Case& c : silent_route_cases()) {
    mock->enqueue_json(c.status, c.body);
    const auto by_ext = customers.upsert_by_external_id("E-1", change);
    EXPECT_EQ(by_ext.outcome, c.expected) << c.name;
    EXPECT_EQ(by_ext.created, c.expected == UpsertOutcome::kCreated) << c.name;
    mock->enqueue_json(c.status, c.body);
    EXPECT_EQ(customers.upsert_by_id("c-1", change).outcome, c.expected) << c.name;
  }
}

// The bulk engine answers each item by its external id: item i gets case i's answer.
class BulkUpsertOutcomeTest : public ClientTest {
 protected:
  void SetUp() override {
    mock->set_fallback([this](const HttpRequest& request) {
      const std::string marker = "/objects/customer/E-";
      const auto at = request.url.find(marker) + marker.size();
      const std::size_t i = std::stoul(request.url.substr(at));
      return json_response(cases[i].status, cases[i].body);
    });
  }
  std::vector<Case> cases = silent_route_cases();
};

TEST_F(BulkUpsertOutcomeTest, UpsertManyReadsEachItemsRecord) {
  std::vector<Json> records;
  for (std::size_t i = 0; i < cases.size(); ++i)
    records.push_back(Json{{"externalId", "E-" + std::to_string(i)}, {"name", "n"}});
  BulkEngine engine(client());
  const auto results = engine.upsert_many("customer", records);
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << cases[i].name << ": " << results[i].error_message;
    expect_outcome(*results[i].value, cases[i]);
  }
}

TEST_F(BulkUpsertOutcomeTest, TypedUpsertManyKeepsTheOutcome) {
  std::vector<roserocket::model::Customer> customers(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i)
    customers[i].set_external_id("E-" + std::to_string(i)).set_name("n");
  BulkEngine engine(client());
  const auto results = engine.upsert_many(customers);
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << cases[i].name << ": " << results[i].error_message;
    EXPECT_EQ(results[i].outcome, cases[i].expected) << cases[i].name;
    EXPECT_EQ(results[i].created, cases[i].expected == UpsertOutcome::kCreated) << cases[i].name;
    EXPECT_EQ(results[i].value->id(), "c-1");
  }
}

TEST_F(BulkUpsertOutcomeTest, AFailedItemTellsNothing) {
  std::vector<roserocket::model::Customer> customers(1);  // no external id: fails alone
  BulkEngine engine(client());
  const auto results = engine.upsert_many(customers);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].outcome, UpsertOutcome::kUnknown);
  EXPECT_FALSE(results[0].created);
}

TEST(UpsertOutcomeNames, EachOutcomeHasItsName) {
  EXPECT_STREQ(to_string(UpsertOutcome::kCreated), "created");
  EXPECT_STREQ(to_string(UpsertOutcome::kUpdated), "updated");
  EXPECT_STREQ(to_string(UpsertOutcome::kCreatedOrUnchanged), "createdOrUnchanged");
  EXPECT_STREQ(to_string(UpsertOutcome::kUnknown), "unknown");
}

}  // namespace
}  // namespace rr_test
