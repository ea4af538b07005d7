// Every typed facade against the mock transport: exact method, URL and JSON body of each
// operation, and typed records back. One test per facade, generated from the catalog.

#include <gtest/gtest.h>

#include "model_test_support.hpp"
#include "support/required_fields.hpp"
#include "support/sample_orders.hpp"

namespace rr = roserocket;
using rr::HttpMethod;
using rr::model::Json;
using rr_test::kBase;
using rr_test::MockClient;

namespace {

template <class T>
Json server_record(const std::string& id, Json extra = Json::object()) {
  Json r = {{"id", id},
            {"objectKey", T::kObjectKey},
            {"orgId", "org-1"},
            {"fullId", "X-1"},
            {"version", 1},
            {"createdAt", "2024-04-02T14:52:26.409Z"},
            {"externalId", nullptr}};
  r.update(extra);
  return r;
}

// Runs every operation of the facade @p facade_of(client) returns and checks each request.
template <class T, class FacadeOf>
void check_every_operation(FacadeOf facade_of) {
  MockClient m;
  auto facade = facade_of(m.client);
  const std::string key(T::kObjectKey);
  static_assert(std::is_same_v<decltype(facade), rr::Resource<T>>);
  EXPECT_EQ(facade.object_key(), T::kObjectKey);

  // create: only what was set, custom fields included (plus what the object requires).
  T fresh;
  fresh.set("note__c", "fragile");
  Json sent = rr_test::required_fields_sample(key);
  for (const auto& [name, value] : sent.items())
    fresh.set(name, value);
  sent["note__c"] = "fragile";
  m.mock->enqueue_json(200, server_record<T>("r1", {{"note__c", "fragile"}}));
  T created = facade.create(fresh);
  EXPECT_EQ(m.method(0), HttpMethod::kPost);
  EXPECT_EQ(m.url(0), kBase + "/objects");
  EXPECT_EQ(m.body(0), (Json{{"objectKey", key}, {"json", sent}}));
  EXPECT_EQ(created.id(), "r1");
  EXPECT_TRUE(created.changed_fields().empty());

  // get, with paths.
  m.mock->enqueue_json(200, server_record<T>("r1"));
  T got = facade.get("r1", rr::with_paths({"tags", "documents.file"}));
  EXPECT_EQ(m.method(1), HttpMethod::kGet);
  EXPECT_EQ(m.url(1), kBase + "/objects/r1?paths=tags%2Cdocuments.file");
  EXPECT_TRUE(m.mock->requests().at(1).body.empty());
  EXPECT_EQ(got.full_id(), "X-1");

  // update: only the changed field.
  got.set("note__c", "handle with care");
  m.mock->enqueue_json(200,
                       server_record<T>("r1", {{"note__c", "handle with care"}, {"version", 2}}));
  T updated = facade.update(got);
  EXPECT_EQ(m.method(2), HttpMethod::kPut);
  EXPECT_EQ(m.url(2), kBase + "/objects/r1");
  EXPECT_EQ(m.body(2), (Json{{"objectKey", key}, {"json", {{"note__c", "handle with care"}}}}));
  EXPECT_EQ(updated.version(), 2);

  // upsert by the external id inside json; 201 means created.
  T keyed;
  keyed.set_external_id("ERP-7").set("note__c", "x");
  m.mock->enqueue_json(201, server_record<T>("r2", {{"externalId", "ERP-7"}}));
  auto upserted = facade.upsert(keyed);
  EXPECT_EQ(m.method(3), HttpMethod::kPatch);
  EXPECT_EQ(m.url(3), kBase + "/objects");
  EXPECT_EQ(m.body(3),
            (Json{{"objectKey", key}, {"json", {{"externalId", "ERP-7"}, {"note__c", "x"}}}}));
  EXPECT_TRUE(upserted.created);
  EXPECT_EQ(upserted.record.external_id(), "ERP-7");

  // upsert by id (the seeds' form).
  T patch;
  patch.set("note__c", "y");
  m.mock->enqueue_json(200, server_record<T>("r1"));
  auto by_id = facade.upsert_by_id("r1", patch);
  EXPECT_EQ(m.method(4), HttpMethod::kPatch);
  EXPECT_EQ(m.body(4), (Json{{"id", "r1"}, {"objectKey", key}, {"json", {{"note__c", "y"}}}}));
  EXPECT_FALSE(by_id.created);

  // remove: 200 with the record, then 204 without.
  m.mock->enqueue_json(200, server_record<T>("r1"));
  auto removed = facade.remove("r1");
  EXPECT_EQ(m.method(5), HttpMethod::kDelete);
  EXPECT_EQ(m.url(5), kBase + "/objects/r1");
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->id(), "r1");
  m.mock->enqueue_empty(204);
  EXPECT_FALSE(facade.remove("r1").has_value());

  // The external-id forms, the id percent-encoded into the path.
  const std::string ext_path = kBase + "/objects/" + key + "/ERP%207/external";
  m.mock->enqueue_json(200, server_record<T>("r2", {{"externalId", "ERP 7"}}));
  EXPECT_EQ(facade.get_by_external_id("ERP 7").id(), "r2");
  EXPECT_EQ(m.method(7), HttpMethod::kGet);
  EXPECT_EQ(m.url(7), ext_path);

  T ext_change;
  ext_change.set("note__c", "z");
  m.mock->enqueue_json(200, server_record<T>("r2"));
  EXPECT_FALSE(facade.upsert_by_external_id("ERP 7", ext_change).created);
  EXPECT_EQ(m.method(8), HttpMethod::kPatch);
  EXPECT_EQ(m.url(8), ext_path);
  EXPECT_EQ(m.body(8), (Json{{"objectKey", key}, {"json", {{"note__c", "z"}}}}));

  m.mock->enqueue_json(200, server_record<T>("r2"));
  EXPECT_TRUE(facade.remove_by_external_id("ERP 7").has_value());
  EXPECT_EQ(m.method(9), HttpMethod::kDelete);
  EXPECT_EQ(m.url(9), ext_path);

  // bulk remove.
  m.mock->enqueue_empty(204);
  facade.bulk_remove({"r1", "r2"});
  EXPECT_EQ(m.method(10), HttpMethod::kPost);
  EXPECT_EQ(m.url(10), kBase + "/objects/bulk_delete");
  EXPECT_EQ(m.body(10), (Json{{"objectKey", key}, {"ids", {"r1", "r2"}}}));

  // search: the object key filled in, typed results.
  rr::SearchRequest search;
  search.board_id = "board-1";
  search.filters.push_back(rr::SearchFilter{"note__c", rr::SearchOperator::kEquals, "x", "", ""});
  search.limit = 10;
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {server_record<T>("r1")}}});
  auto page = facade.search(search);
  EXPECT_EQ(m.method(11), HttpMethod::kPost);
  EXPECT_EQ(m.url(11), kBase + "/objects/search");
  EXPECT_EQ(m.body(11), (Json{{"objectKey", key},
                              {"boardId", "board-1"},
                              {"filters",
                               {{{"filterKey", "note__c"},
                                 {"path", "note__c"},
                                 {"operator", "equals"},
                                 {"value", "x"}}}},
                              {"filtersOperator", "and"},
                              {"limit", 10}}));
  ASSERT_EQ(page.results.size(), 1u);
  EXPECT_EQ(page.results[0].id(), "r1");
  EXPECT_EQ(page.total, 1);
  EXPECT_EQ(m.mock->request_count(), 12u);
}

}  // namespace

#define RR_FACADE(Type, Facade, method)                                                     \
  TEST(Facades, Type##SendsExactRequestsForEveryOperation) {                                \
    check_every_operation<rr::model::Type>([](const rr::Client& c) { return c.method(); }); \
  }
#include "roserocket/model/catalog.def"

TEST(Facades, CreateRefusesARecordWithAnIdAndSendsNothing) {
  MockClient m;
  auto existing = rr::model::Customer::from_json({{"id", "c1"}, {"objectKey", "customer"}});
  existing.set_name("Again");
  EXPECT_THROW(m.client.customers().create(existing), rr::InvalidArgumentError);
  EXPECT_THROW(m.client.customers().create(rr::model::Customer{}), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(Facades, UpdateRefusesARecordWithoutIdOrChanges) {
  MockClient m;
  rr::model::Customer fresh;
  fresh.set_name("No id");
  EXPECT_THROW(m.client.customers().update(fresh), rr::InvalidArgumentError);
  auto unchanged = rr::model::Customer::from_json({{"id", "c1"}});
  EXPECT_THROW(m.client.customers().update(unchanged), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(Facades, UpsertNeedsAnExternalId) {
  MockClient m;
  rr::model::Order order;
  order.set_status(rr::model::OrderStatus::kNew);
  EXPECT_THROW(m.client.orders().upsert(order), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(Facades, SearchRefusesAnotherObjectsKey) {
  MockClient m;
  rr::SearchRequest search;
  search.object_key = "order";
  search.board_id = "b";
  EXPECT_THROW(m.client.customers().search(search), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(Facades, ARecordOfAnotherObjectIsNotReadAsThisOne) {
  MockClient m;
  m.mock->enqueue_json(200, {{"id", "o1"}, {"objectKey", "order"}});
  EXPECT_THROW(m.client.customers().get("o1"), rr::InvalidArgumentError);
}

TEST(Facades, TypedCustomerCreateSendsTheDocumentedShape) {
  MockClient m;
  rr::model::Customer customer;
  customer.set_name("ABC Produce Co")
      .set_company_email("ops@abc.example")
      .set_customer_type(rr::model::CustomerType::kBroker)
      .set_bus_hours_mon_start_at(rr::model::TimeOfDay::of(9, 0))
      .set_bus_hours_mon_end_at(rr::model::TimeOfDay::parse("17:30"))
      .set_default_currency("USD");
  m.mock->enqueue_json(200, {{"id", "c1"},
                             {"objectKey", "customer"},
                             {"fullId", "CUST-18"},
                             {"name", "ABC Produce Co"},
                             {"customerType", "broker"},
                             {"busHoursMonStartAt", 32400},
                             {"busHoursMonEndAt", 63000},
                             {"formattedBusinessHours", "Monday - 09:00-17:30"}});
  auto created = m.client.customers().create(customer);
  EXPECT_EQ(m.body(0), (Json{{"objectKey", "customer"},
                             {"json",
                              {{"name", "ABC Produce Co"},
                               {"companyEmail", "ops@abc.example"},
                               {"customerType", "broker"},
                               {"busHoursMonStartAt", 32400},
                               {"busHoursMonEndAt", 63000},
                               {"defaultCurrency", "USD"}}}}));
  EXPECT_EQ(created.full_id(), "CUST-18");
  EXPECT_EQ(created.customer_type(), rr::model::CustomerType::kBroker);
  EXPECT_EQ(created.bus_hours_mon_end_at()->to_string(), "17:30");
  EXPECT_EQ(created.formatted_business_hours(), "Monday - 09:00-17:30");
}

TEST(Facades, TypedPathsBecomeTheCommaSeparatedQuery) {
  MockClient m;
  using rr::model::Order;
  using rr::model::Task;
  m.mock->enqueue_json(200, {{"id", "o1"}, {"objectKey", "order"}});
  m.client.orders().get("o1", {Order::tasks_path, Order::tasks_path / Task::commodities_path,
                               Order::customer_path, rr::model::PathOf<Order>::custom("load__c")});
  EXPECT_EQ(m.url(0), kBase + "/objects/o1?paths=tasks%2Ctasks.commodities%2Ccustomer%2Cload__c");
}

TEST(Facades, NestedOrderIsCreatedInOneRequestAndReadBackTyped) {
  MockClient m;
  using namespace rr::model;
  const Order order = rr_test::nested_order(Ref{"cust-1"});

  const Json created = {
      {"id", "o1"},
      {"objectKey", "order"},
      {"fullId", "O-19"},
      {"status", "new"},
      {"customer", {{"id", "cust-1"}, {"objectKey", "customer"}, {"name", "ABC"}}},
      {"tasks",
       {{{"id", "t1"},
         {"objectKey", "task"},
         {"taskType", "pickup"},
         {"ordinal", 1},
         {"commodities",
          {{{"id", "k1"},
            {"objectKey", "commodity"},
            {"commodityType", "pallet"},
            {"freightClass", "77.5"}}}}},
        {{"id", "t2"}, {"objectKey", "task"}, {"taskType", "delivery"}, {"ordinal", 2}}}}};
  m.mock->enqueue_json(200, created);
  Order saved =
      m.client.orders().create(order, rr::with_paths({"customer", "tasks", "tasks.commodities"}));

  EXPECT_EQ(m.mock->request_count(), 1u);
  EXPECT_EQ(m.body(0),
            (Json{{"objectKey", "order"},
                  {"json",
                   {{"customer", {{"id", "cust-1"}}},
                    {"tasks",
                     {{{"objectKey", "task"},
                       {"taskType", "pickup"},
                       {"ordinal", 1},
                       {"appointmentTime", {{"dateTimeInLocation", "2024-05-01T09:00:00"}}},
                       {"commodities",
                        {{{"objectKey", "commodity"},
                          {"commodityType", "pallet"},
                          {"freightClass", "77.5"},
                          {"weightUnit", "lbs"}}}}},
                      {{"objectKey", "task"},
                       {"taskType", "delivery"},
                       {"ordinal", 2},
                       {"requestedCompletionWindow",
                        {{"dateTimeInLocation", "2024-05-02T08:00:00"},
                         {"dateTimeInLocationEnd", "2024-05-02T12:00:00"}}}}}}}},
                  {"paths", {"customer", "tasks", "tasks.commodities"}}}));

  EXPECT_EQ(saved.status(), OrderStatus::kNew);
  ASSERT_TRUE(saved.customer().has_value());
  EXPECT_EQ(saved.customer()->name(), "ABC");
  const std::vector<Task> tasks = saved.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].task_type(), TaskType::kPickup);
  const std::vector<Commodity> goods = tasks[0].commodities();
  ASSERT_EQ(goods.size(), 1u);
  EXPECT_EQ(goods[0].freight_class(), FreightClass::kClass77_5);
  EXPECT_EQ(tasks[1].id(), "t2");
}

TEST(Facades, ConnectingExistingRecordsSendsReferencesOnly) {
  MockClient m;
  using namespace rr::model;
  auto existing_task = Task::from_json({{"id", "t9"}, {"objectKey", "task"}, {"ordinal", 3}});
  auto order = Order::from_json({{"id", "o1"}, {"objectKey", "order"}});
  order.set_tasks({existing_task}).set_tags(std::vector<Ref>{Ref{"tag-1"}});
  m.mock->enqueue_json(200, {{"id", "o1"}, {"objectKey", "order"}});
  m.client.orders().update(order);
  EXPECT_EQ(m.body(0),
            (Json{{"objectKey", "order"},
                  {"json", {{"tasks", {{{"id", "t9"}}}}, {"tags", {{{"id", "tag-1"}}}}}}}));
}

TEST(Facades, CreateIsNotRetriedAfterAServerErrorButGetIs) {
  MockClient m(rr::RetryPolicy{});
  m.mock->enqueue_json(500, {{"statusCode", 500}, {"message", "boom"}});
  rr::model::Tag tag;
  tag.set("name", "fragile");
  EXPECT_THROW(m.client.tags().create(tag), rr::ServerError);
  EXPECT_EQ(m.mock->request_count(), 1u);
  m.mock->enqueue_json(500, {{"statusCode", 500}, {"message", "boom"}});
  m.mock->enqueue_json(200, {{"id", "g1"}, {"objectKey", "tag"}});
  EXPECT_EQ(m.client.tags().get("g1").id(), "g1");
  EXPECT_EQ(m.mock->request_count(), 3u);
}
