// Writes whose body creates nested records (an order's id-less tasks, a task's id-less
// commodities) are never sent twice once they may have reached the server, whatever the
// operation; and the idempotent nested upsert (upsert_nested), untyped, typed and in bulk,
// looks each nested external id up and writes its id, so that repeating it updates.

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "client_fixture.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/resources/resource.hpp"

namespace rr_test {
namespace {

using nlohmann::json;
using roserocket::HttpRequest;
using roserocket::HttpResponse;

roserocket::TransportError dropped() {
  return roserocket::TransportError("connection reset mid-response", {}, true);
}

roserocket::TransportError refused() {
  return roserocket::TransportError("connection refused", {}, false);
}

HttpResponse nested_json_response(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

// An order with two id-less tasks: the held-out body of issue 22.
json order_with_new_tasks() {
  return {{"poNum", "PO-1"},
          {"tasks", json::array({{{"objectKey", "task"}, {"taskType", "pickup"}},
                                 {{"objectKey", "task"}, {"taskType", "delivery"}}})}};
}

const json kOrder = {{"id", "o-1"}, {"objectKey", "order"}, {"externalId", "ORD-1"}};

class NestedWritesTest : public ClientTest {};

TEST_F(NestedWritesTest, KeyedUpsertCreatingTasksIsNotResentAfterADroppedAnswer) {
  mock->enqueue_error(std::make_exception_ptr(dropped()));
  mock->enqueue_json(200, kOrder);
  try {
    objects().upsert_by_external_id("order", "ORD-1", order_with_new_tasks());
    FAIL() << "the write was resent";
  } catch (const roserocket::TransportError& e) {
    EXPECT_TRUE(e.request_may_have_been_sent());
    const std::string what = e.what();
    EXPECT_NE(what.find("not sent again"), std::string::npos) << what;
    EXPECT_NE(what.find("json.tasks[0] has no id"), std::string::npos) << what;
  }
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(NestedWritesTest, KeyedUpsertCreatingTasksIsRetriedWhenItNeverLeft) {
  mock->enqueue_error(std::make_exception_ptr(refused()));
  mock->enqueue_json(200, kOrder);
  objects().upsert_by_external_id("order", "ORD-1", order_with_new_tasks());
  EXPECT_EQ(mock->request_count(), 2u);
}

TEST_F(NestedWritesTest, KeyedUpsertCreatingTasksIsRetriedOnlyOnNotProcessedStatuses) {
  // 503 means "not processed": sent again. 500, 502, 504 may follow a commit: not.
  mock->enqueue_json(503, json::object());
  mock->enqueue_json(200, kOrder);
  objects().upsert_by_external_id("order", "ORD-1", order_with_new_tasks());
  EXPECT_EQ(mock->request_count(), 2u);
  for (int status : {500, 502, 504}) {
    mock = std::make_shared<roserocket::mock::MockTransport>();
    mock->enqueue_json(status, json::object());
    mock->enqueue_json(200, kOrder);
    try {
      objects().upsert_by_external_id("order", "ORD-1", order_with_new_tasks());
      FAIL() << status;
    } catch (const roserocket::ServerError& e) {
      EXPECT_NE(std::string(e.what()).find("not sent again"), std::string::npos) << e.what();
    }
    EXPECT_EQ(mock->request_count(), 1u) << status;
  }
}

TEST_F(NestedWritesTest, EveryWriteFormWithANestedCreateIsSentOnce) {
  const json deep = {
      {"tasks", json::array({{{"id", "t-1"}, {"commodities", json::array({{{"quantity", 2}}})}}})}};
  struct Form {
    const char* name;
    std::function<void()> call;
  };
  const std::vector<Form> forms = {
      {"update", [&] { objects().update("order", "o-1", order_with_new_tasks()); }},
      {"upsert_by_id", [&] { objects().upsert_by_id("order", "o-1", order_with_new_tasks()); }},
      {"upsert (externalId in body)",
       [&] {
         json fields = order_with_new_tasks();
         fields["externalId"] = "ORD-1";
         objects().upsert("order", fields);
       }},
      {"commodity under an existing task", [&] { objects().update("order", "o-1", deep); }},
      {"Client::call declared idempotent",
       [&] {
         roserocket::ApiRequest r;
         r.operation = "custom.write";
         r.method = roserocket::HttpMethod::kPatch;
         r.path = "/objects";
         r.body = json{{"objectKey", "order"}, {"json", order_with_new_tasks()}};
         client().call(r);
       }},
  };
  for (const auto& form : forms) {
    mock = std::make_shared<roserocket::mock::MockTransport>();
    mock->enqueue_error(std::make_exception_ptr(dropped()));
    mock->enqueue_json(200, kOrder);
    EXPECT_THROW(form.call(), roserocket::TransportError) << form.name;
    EXPECT_EQ(mock->request_count(), 1u) << form.name;
  }
}

TEST_F(NestedWritesTest, NestedRecordsWithIdsAndValueObjectsKeepTheWriteRetried) {
  // Every nested record links by id; the date time is a value, not a record.
  const json fields = {
      {"tasks", json::array({{{"id", "t-1"},
                              {"appointmentTime", {{"dateTimeInLocation", "2024-05-01T09:00:00"}}},
                              {"commodities", json::array({{{"id", "c-1"}, {"quantity", 3}}})}},
                             {{"id", "t-2"}}})},
      {"customer", {{"id", "cust-1"}}}};
  mock->enqueue_error(std::make_exception_ptr(dropped()));
  mock->enqueue_json(500, json::object());
  mock->enqueue_json(200, kOrder);
  objects().upsert_by_external_id("order", "ORD-1", fields);
  EXPECT_EQ(mock->request_count(), 3u);
}

TEST_F(NestedWritesTest, AnObjectInAFieldTheCatalogDoesNotKnowCountsAsANestedRecord) {
  // A custom field may be a custom connection: assumed to create, so never resent.
  mock->enqueue_error(std::make_exception_ptr(dropped()));
  mock->enqueue_json(200, kOrder);
  EXPECT_THROW(objects().update("order", "o-1", {{"carrierInfo__c", {{"name", "X"}}}}),
               roserocket::TransportError);
  EXPECT_EQ(mock->request_count(), 1u);
}

// --- upsert_nested ---

TEST_F(NestedWritesTest, UpsertNestedLooksUpNestedExternalIdsAndWritesTheirIds) {
  mock->enqueue_json(200, {{"id", "t-1"}, {"objectKey", "task"}, {"externalId", "T-1"}});
  mock->enqueue_json(404, {{"statusCode", 404}, {"message", "Not Found"}});
  mock->enqueue_json(201, kOrder);
  const json fields = {{"tasks", json::array({{{"externalId", "T-1"}, {"taskType", "pickup"}},
                                              {{"objectKey", "task"}, {"externalId", "T-2"}},
                                              {{"objectKey", "task"}, {"taskType", "delivery"}}})}};
  const auto result = objects().upsert_nested("order", "ORD-1", fields);

  const auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, roserocket::HttpMethod::kGet);
  EXPECT_EQ(requests[0].url, std::string(kBase) + "/objects/task/T-1/external");
  EXPECT_EQ(requests[1].url, std::string(kBase) + "/objects/task/T-2/external");
  EXPECT_EQ(requests[2].method, roserocket::HttpMethod::kPatch);
  EXPECT_EQ(requests[2].url, std::string(kBase) + "/objects/order/ORD-1/external");
  const json written = json::parse(requests[2].body)["json"]["tasks"];
  EXPECT_EQ(written[0].value("id", ""), "t-1");
  EXPECT_EQ(written[0].value("externalId", ""), "T-1");
  EXPECT_FALSE(written[1].contains("id"));
  EXPECT_FALSE(written[2].contains("id"));

  EXPECT_TRUE(result.created);
  EXPECT_EQ(result.record["id"], "o-1");
  EXPECT_EQ(result.linked, std::vector<std::string>{"json.tasks[0]"});
  EXPECT_EQ(result.created_by_external_id, std::vector<std::string>{"json.tasks[1]"});
  EXPECT_EQ(result.unkeyed, std::vector<std::string>{"json.tasks[2]"});
  EXPECT_FALSE(result.repeatable());
}

TEST_F(NestedWritesTest, UpsertNestedWithEveryTaskFoundIsRetriedLikeAnyKeyedUpsert) {
  mock->enqueue_json(200, {{"id", "t-1"}});
  mock->enqueue_json(200, {{"id", "t-2"}});
  mock->enqueue_error(std::make_exception_ptr(dropped()));
  mock->enqueue_json(200, kOrder);
  const json fields = {{"tasks", json::array({{{"externalId", "T-1"}}, {{"externalId", "T-2"}}})}};
  const auto result = objects().upsert_nested("order", "ORD-1", fields);
  EXPECT_EQ(mock->request_count(), 4u) << "the write, creating nothing, is safe to resend";
  EXPECT_TRUE(result.repeatable());
  EXPECT_EQ(result.linked.size(), 2u);
}

TEST_F(NestedWritesTest, UpsertNestedLooksUpCommoditiesUnderTasks) {
  mock->enqueue_json(404, json::object());   // task T-1: new
  mock->enqueue_json(200, {{"id", "c-9"}});  // commodity C-9: exists
  mock->enqueue_json(200, kOrder);
  const json fields = {
      {"tasks", json::array({{{"externalId", "T-1"},
                              {"commodities", json::array({{{"externalId", "C-9"}}})}}})}};
  const auto result = objects().upsert_nested("order", "ORD-1", fields);
  const auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].url, std::string(kBase) + "/objects/commodity/C-9/external");
  const json written = json::parse(requests[2].body)["json"];
  EXPECT_EQ(written["tasks"][0]["commodities"][0].value("id", ""), "c-9");
  EXPECT_EQ(result.linked, std::vector<std::string>{"json.tasks[0].commodities[0]"});
  EXPECT_EQ(result.created_by_external_id, std::vector<std::string>{"json.tasks[0]"});
}

TEST_F(NestedWritesTest, UpsertNestedRefusesBadNestedKeysBeforeAnyRequest) {
  auto api = objects();
  const std::vector<std::pair<const char*, json>> bad = {
      {"appears twice",
       {{"tasks", json::array({{{"externalId", "T-1"}}, {{"externalId", "T-1"}}})}}},
      {"must be a non-empty string", {{"tasks", json::array({{{"externalId", 7}}})}}},
      {"must be a non-empty string", {{"tasks", json::array({{{"externalId", ""}}})}}},
      {"its object is unknown", {{"carrier__c", {{"externalId", "X-1"}}}}},
  };
  for (const auto& [why, fields] : bad) {
    try {
      api.upsert_nested("order", "ORD-1", fields);
      ADD_FAILURE() << why;
    } catch (const roserocket::InvalidArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
      EXPECT_EQ(e.operation(), "objects.upsert_nested");
    }
  }
  EXPECT_THROW(api.upsert_nested("order", "", json::object()), roserocket::InvalidArgumentError);
  EXPECT_THROW(api.upsert_nested("order", "ORD-1", json::array()),
               roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(NestedWritesTest, UpsertNestedStopsWhenALookupFails) {
  mock->enqueue_json(403, {{"statusCode", 403}, {"message", "Forbidden"}});
  EXPECT_THROW(objects().upsert_nested("order", "ORD-1",
                                       {{"tasks", json::array({{{"externalId", "T-1"}}})}}),
               roserocket::ForbiddenError);
  EXPECT_EQ(mock->request_count(), 1u) << "no write after a failed lookup";
}

TEST_F(NestedWritesTest, TypedUpsertNestedSendsTheFoundIds) {
  using namespace roserocket::model;
  mock->enqueue_json(200, {{"id", "t-1"}});
  mock->enqueue_json(404, json::object());
  mock->enqueue_json(200, kOrder);
  Task pickup;
  pickup.set_external_id("T-1").set_task_type(TaskType::kPickup);
  Task delivery;
  delivery.set_external_id("T-2").set_task_type(TaskType::kDelivery);
  Order order;
  order.set_external_id("ORD-1").set_tasks({pickup, delivery});
  const auto result = client().orders().upsert_nested(order);
  EXPECT_FALSE(result.created);
  EXPECT_EQ(result.record.id().value_or(""), "o-1");
  EXPECT_TRUE(result.repeatable());
  EXPECT_EQ(result.linked, std::vector<std::string>{"json.tasks[0]"});
  const json written = last_body()["json"]["tasks"];
  EXPECT_EQ(written[0].value("id", ""), "t-1");
  EXPECT_FALSE(written[1].contains("id"));

  Order no_key;
  no_key.set_tasks({pickup});
  EXPECT_THROW(client().orders().upsert_nested(no_key), roserocket::InvalidArgumentError);
}

// --- the bulk engine ---

TEST_F(NestedWritesTest, BulkUpsertManyWithNewTasksIsNotResentAfterADroppedAnswer) {
  std::atomic<int> patches{0};
  mock->set_fallback([&patches](const HttpRequest& request) -> HttpResponse {
    if (request.method == roserocket::HttpMethod::kPatch && patches++ == 0)
      throw dropped();
    return nested_json_response(200, kOrder);
  });
  json record = order_with_new_tasks();
  record["externalId"] = "ORD-1";
  roserocket::BulkEngine engine(client());
  const auto results = engine.upsert_many("order", {record});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_NE(results[0].error_message.find("not sent again"), std::string::npos)
      << results[0].error_message;
  EXPECT_EQ(patches.load(), 1);
}

TEST_F(NestedWritesTest, BulkUpsertNestedManyLooksUpEachExternalIdOnceThenWrites) {
  std::mutex mutex;
  std::map<std::string, int> gets;
  std::vector<json> writes;
  mock->set_fallback([&](const HttpRequest& request) -> HttpResponse {
    std::lock_guard<std::mutex> lock(mutex);
    if (request.method == roserocket::HttpMethod::kGet) {
      ++gets[request.url];
      if (request.url.find("/objects/task/T-SHARED/external") != std::string::npos)
        return nested_json_response(200, {{"id", "t-shared"}});
      if (request.url.find("/objects/task/T-BROKEN/external") != std::string::npos)
        return nested_json_response(403, {{"statusCode", 403}, {"message", "Forbidden"}});
      return nested_json_response(404, {{"statusCode", 404}});
    }
    writes.push_back(json::parse(request.body));
    return nested_json_response(201,
                                {{"id", "o"}, {"externalId", writes.back()["json"]["externalId"]}});
  });
  const std::vector<json> records = {
      {{"externalId", "ORD-1"},
       {"tasks", json::array({{{"externalId", "T-SHARED"}}, {{"externalId", "T-1"}}})}},
      {{"externalId", "ORD-2"},
       {"tasks", json::array({{{"externalId", "T-SHARED"}}, {{"taskType", "pickup"}}})}},
      {{"externalId", "ORD-3"}, {"tasks", json::array({{{"externalId", "T-BROKEN"}}})}},
      {{"name", "no external id"}},
  };
  roserocket::BulkEngine engine(client());
  const auto results = engine.upsert_nested_many("order", records);
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_message;
  EXPECT_EQ(results[0].value->linked, std::vector<std::string>{"json.tasks[0]"});
  EXPECT_EQ(results[0].value->created_by_external_id, std::vector<std::string>{"json.tasks[1]"});
  EXPECT_TRUE(results[0].value->repeatable());
  EXPECT_TRUE(results[0].value->created);
  ASSERT_TRUE(results[1].ok()) << results[1].error_message;
  EXPECT_EQ(results[1].value->unkeyed, std::vector<std::string>{"json.tasks[1]"});
  EXPECT_FALSE(results[1].value->repeatable());
  EXPECT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].attempts, 0);
  EXPECT_NE(results[2].error_message.find("Forbidden"), std::string::npos);
  EXPECT_FALSE(results[3].ok());
  EXPECT_EQ(results[3].attempts, 0);

  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(gets.size(), 3u);  // T-SHARED, T-1, T-BROKEN
  for (const auto& [url, n] : gets)
    EXPECT_EQ(n, 1) << url;
  ASSERT_EQ(writes.size(), 2u);
  for (const auto& w : writes)
    EXPECT_EQ(w["json"]["tasks"][0].value("id", ""), "t-shared");
}

}  // namespace
}  // namespace rr_test
