// The code of every guide in docs/ lives here, so the build compiles it and the tests run it
// against the mock transport. DocsSnippets.EveryGuideSnippetIsHere checks that each ```cpp block
// of the guides appears below verbatim (whitespace aside).

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "model_test_support.hpp"
#include "roserocket/bulk.hpp"
#include "support/build_paths.hpp"
#include "support/text_files.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr_test::MockClient;

namespace {

Json record(const std::string& key, const std::string& id, Json extra = Json::object()) {
  Json r = {{"id", id}, {"objectKey", key}, {"fullId", "X-1"}, {"version", 1}};
  r.update(extra);
  return r;
}

// A folder of the test's own, removed when the guard goes: declared before the objects that
// hold files in it, so that they are gone (their files closed) first. Windows refuses to remove
// a file that is still open.
class DocsScratchFolder {
 public:
  explicit DocsScratchFolder(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    // Empty at the start: a process id can come again (under Wine it always does), and a run
    // killed half-way leaves its folder behind.
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~DocsScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  DocsScratchFolder(const DocsScratchFolder&) = delete;
  DocsScratchFolder& operator=(const DocsScratchFolder&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

// A custom object typed by the user (docs/object-model.md), at namespace scope as users write it.
class Load : public roserocket::model::TypedRecord<Load> {
 public:
  static constexpr std::string_view kObjectKey = "load__c";
  static constexpr roserocket::model::CustomField<std::string> kReference{"reference__c"};
  static constexpr roserocket::model::CustomField<double> kWeightKg{"weightKg__c"};

  [[nodiscard]] std::optional<std::string> reference() const { return get(kReference); }
  Load& set_reference(std::string value) { return set(kReference, std::move(value)); }
  [[nodiscard]] std::optional<double> weight_kg() const { return get(kWeightKg); }
  Load& set_weight_kg(double value) { return set(kWeightKg, value); }
};

// ---- docs/object-model.md

TEST(DocsSnippets, ObjectModelCreateTyped) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(
      200, record("customer", "c1", {{"fullId", "CUST-9"}, {"name", "XYZ Freight Corp"}}));

  using namespace roserocket::model;
  Customer customer;
  customer.set_name("XYZ Freight Corp")
      .set_customer_type(CustomerType::kShipper)
      .set_city("New York")
      .set_bus_hours_mon_start_at(TimeOfDay::parse("08:00"))
      .set_bus_hours_mon_end_at(TimeOfDay::of(17, 0));
  Customer saved = client.customers().create(customer);
  std::cout << *saved.full_id() << "\n";  // CUST-9

  EXPECT_EQ(saved.full_id(), "CUST-9");
  EXPECT_EQ(m.body(0)["json"]["busHoursMonEndAt"], 61200);
}

TEST(DocsSnippets, ObjectModelCustomFieldsAndUnknownValues) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string order_id = "o1";
  m.mock->enqueue_json(200, record("order", "o1", {{"status", "quoted"}, {"load__c", "LD-1"}}));
  m.mock->enqueue_json(200, record("order", "o1"));

  using namespace roserocket::model;
  Order order = client.orders().get(order_id);
  if (order.status() && !order.status()->is_known()) {
    std::cout << "a status this SDK does not know yet: " << order.status()->value() << "\n";
  }
  std::string load = order.get("load__c").get<std::string>();  // a custom field
  order.set("load__c", load + "-B").set_status(OrderStatus::kBooked);
  client.orders().update(order);  // sends {"load__c": ..., "status": "booked"} and nothing else

  EXPECT_EQ(m.body(1)["json"], (Json{{"load__c", "LD-1-B"}, {"status", "booked"}}));
}

TEST(DocsSnippets, ObjectModelValues) {
  using namespace roserocket::model;
  Money fee{12550, "USD"};  // 125.50 USD, in cents
  Json wire = fee;          // {"amount":12550,"currencyCode":"USD"}
  auto window = DateTimeValue::between("2024-05-02T08:00:00", "2024-05-02T12:00:00");
  TimeOfDay opens = TimeOfDay::parse("09:00");  // 32400 on the wire
  std::cout << wire.dump() << " " << Json(window).dump() << " " << opens.to_string() << "\n";

  EXPECT_EQ(wire["amount"], 12550);
  EXPECT_EQ(opens.seconds(), 32400);
}

TEST(DocsSnippets, ObjectModelConnectedWithoutCopies) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string order_id = "o1";
  Json commodities = Json::array();
  for (int i = 0; i < 3; ++i)
    commodities.push_back(record("commodity", "c" + std::to_string(i), {{"weight", 100 + i}}));
  m.mock->enqueue_json(
      200,
      record("order", "o1", {{"tasks", {record("task", "t1", {{"commodities", commodities}})}}}));
  m.mock->enqueue_json(200, record("commodity", "c0", {{"quantity", 4}}));

  using namespace roserocket::model;
  Order order = client.orders().get(order_id, roserocket::with_paths({"tasks.commodities"}));
  double total_weight = 0;
  for (TaskView task : order.tasks()) {
    for (CommodityView commodity : task.commodities())
      total_weight += commodity.weight().value_or(0);
  }
  Commodity first = order.tasks().at(0).commodities().at(0);  // a writable copy (to_record())
  first.set_quantity(4);
  client.commodities().update(first);  // sends {"quantity": 4}

  EXPECT_EQ(total_weight, 303);
  EXPECT_EQ(m.url(0), rr_test::kBase + "/objects/o1?paths=tasks.commodities");
  EXPECT_EQ(m.body(1), (Json{{"objectKey", "commodity"}, {"json", {{"quantity", 4}}}}));
}

TEST(DocsSnippets, ConnectedObjectsDispatch) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string manifest_id = "m1";
  m.mock->enqueue_json(
      200, record("manifest", "m1",
                  {{"tasks", {record("task", "t1", {{"fullId", "T-1"}, {"taskType", "Pickup"}})}},
                   {"bill", record("bill", "b1", {{"billTotal", 120.5}})},
                   {"partner", record("partner", "p1", {{"contacts", Json::array()}})}}));
  testing::internal::CaptureStdout();

  using namespace roserocket::model;
  const Manifest manifest = client.manifests().get(
      manifest_id,
      {Manifest::tasks_path, Manifest::bill_path, Manifest::partner_path / Partner::contacts_path});
  for (TaskView task : manifest.view().tasks())
    std::cout << task.full_id().value_or("?") << " " << task.task_type()->value() << "\n";
  if (const auto bill = manifest.view().bill())
    std::cout << "billed " << bill->bill_total().value_or(0) << "\n";

  EXPECT_EQ(testing::internal::GetCapturedStdout(), "T-1 pickup\nbilled 120.5\n");
  EXPECT_EQ(m.url(0), rr_test::kBase + "/objects/m1?paths=tasks%2Cbill%2Cpartner.contacts");
}

TEST(DocsSnippets, ObjectModelRequiredOnCreate) {
  MockClient m;
  rr::Client& client = m.client;
  testing::internal::CaptureStderr();

  using namespace roserocket::model;
  Order order;
  order.set_po_num("PO-1");
  try {
    client.orders().create(order);  // nothing is sent
  } catch (const roserocket::InvalidArgumentError& e) {
    std::cerr << e.what() << "\n";  // customer is required to create a new order (...)
  }

  EXPECT_NE(
      testing::internal::GetCapturedStderr().find("customer is required to create a new order"),
      std::string::npos);
  EXPECT_TRUE(m.mock->requests().empty());
}

TEST(DocsSnippets, ObjectModelPartErrors) {
  MockClient m;
  rr::Client& client = m.client;
  rr::model::Order order;
  order.set_status(rr::model::OrderStatus::kNew).set_customer(rr::model::Ref{"c1"});
  m.mock->enqueue_json(
      200, record("order", "o1",
                  {{"errors", {{{"path", "json.tasks[1]"}, {"message", "bad taskType"}}}}}));
  testing::internal::CaptureStderr();

  using namespace roserocket::model;
  Order saved = client.orders().create(order);
  for (const PartError& e : saved.part_errors())
    std::cerr << "not saved: " << e.path << ": " << e.message << "\n";

  EXPECT_EQ(testing::internal::GetCapturedStderr(), "not saved: json.tasks[1]: bad taskType\n");
}

TEST(DocsSnippets, ObjectModelCustomFields) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string order_id = "o1";
  m.mock->enqueue_json(200, record("order", "o1", {{"trailerNumber__c", "TR-1"}}));
  m.mock->enqueue_json(200, record("order", "o1"));

  using namespace roserocket::model;
  constexpr CustomField<std::string> kTrailerNumber{"trailerNumber__c"};
  constexpr CustomField<std::int64_t> kSealCount{"sealCount__c"};
  Order order = client.orders().get(order_id);
  std::optional<std::string> trailer = order.get(kTrailerNumber);
  order.set(kTrailerNumber, "TR-2207").set(kSealCount, 2);
  client.orders().update(order);  // sends {"trailerNumber__c": "TR-2207", "sealCount__c": 2}

  EXPECT_EQ(trailer, "TR-1");
  EXPECT_EQ(m.body(1)["json"], (Json{{"trailerNumber__c", "TR-2207"}, {"sealCount__c", 2}}));
}

TEST(DocsSnippets, ObjectModelCustomObject) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(
      200, record("load__c", "l1",
                  {{"fullId", "LOAD-1"}, {"reference__c", "LD-881"}, {"weightKg__c", 12400.5}}));
  m.mock->enqueue_json(200, record("load__c", "l1", {{"reference__c", "LD-881"}}));

  roserocket::Resource<Load> loads(client);
  Load load;
  load.set_reference("LD-881").set_weight_kg(12400.5);
  Load saved = loads.create(load);  // POST /objects {"objectKey": "load__c", "json": {...}}
  std::cout << *saved.full_id() << " " << *loads.get(*saved.id()).reference() << "\n";

  EXPECT_EQ(m.body(0), (Json{{"objectKey", "load__c"},
                             {"json", {{"reference__c", "LD-881"}, {"weightKg__c", 12400.5}}}}));
  EXPECT_EQ(saved.weight_kg(), 12400.5);
  EXPECT_EQ(m.url(1), rr_test::kBase + "/objects/l1");
}

// ---- docs/read-only-fields.md

TEST(DocsSnippets, ReadOnlyRefusal) {
  MockClient m;
  auto invoice = rr::model::Invoice::from_json({{"id", "i1"}, {"objectKey", "invoice"}});

  try {
    invoice.set("subTotal", Json{{"amount", 100}, {"currencyCode", "USD"}});
  } catch (const roserocket::ReadOnlyFieldError& e) {
    std::cerr << e.what() << "\n";
    // field 'subTotal' of invoice is read-only: derived from lineItems (...)
  }

  EXPECT_EQ(m.mock->request_count(), 0u);
  EXPECT_FALSE(invoice.has("subTotal"));
}

TEST(DocsSnippets, ObjectModelTimestamps) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string customer_id = "c1";
  m.mock->enqueue_json(200, record("customer", "c1",
                                   {{"createdAt", "2024-04-02T14:52:26.409Z"},
                                    {"shippedAt__c", "2024-04-03T08:00:00+02:00"}}));

  using roserocket::model::Customer;
  const Customer customer = client.customers().get(customer_id);
  std::optional<std::string> text = customer.created_at();  // "2024-04-02T14:52:26.409Z"
  std::optional<roserocket::model::Timestamp> when = customer.created_at_time();  // the instant
  if (when && *when > std::chrono::system_clock::now() - std::chrono::hours(24))
    std::cout << "created today: " << roserocket::model::format_timestamp(*when) << "\n";
  auto any = customer.get_time("shippedAt__c");  // any RFC 3339 field, custom ones included

  EXPECT_EQ(text, "2024-04-02T14:52:26.409Z");
  ASSERT_TRUE(when);
  EXPECT_EQ(roserocket::model::format_timestamp(*when), "2024-04-02T14:52:26.409Z");
  ASSERT_TRUE(any);
  EXPECT_EQ(roserocket::model::format_timestamp(*any), "2024-04-03T06:00:00.000Z");
}

// ---- docs/connected-objects.md

TEST(DocsSnippets, ConnectedPaths) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string order_id = "o1";
  m.mock->enqueue_json(
      200, record("order", "o1",
                  {{"customer", nullptr},
                   {"tasks", {record("task", "t1", {{"commodities", Json::array()}})}}}));
  m.mock->enqueue_json(200, record("order", "o1"));

  using roserocket::model::Order;
  using roserocket::model::Task;
  Order order = client.orders().get(order_id, {Order::customer_path, Order::tasks_path,
                                               Order::tasks_path / Task::commodities_path});
  for (const auto& task : order.tasks()) {  // views into the order: nothing is copied
    for (const auto& commodity : task.commodities()) {
      std::cout << task.id().value_or("") << ": " << commodity.commodity_type()->value() << "\n";
    }
  }
  // The same with strings, for paths the SDK does not know (custom connections):
  client.orders().get(order_id, roserocket::with_paths({"tasks", "documents.file", "load__c"}));

  EXPECT_EQ(m.url(0), rr_test::kBase + "/objects/o1?paths=customer%2Ctasks%2Ctasks.commodities");
  EXPECT_EQ(m.url(1), rr_test::kBase + "/objects/o1?paths=tasks%2Cdocuments.file%2Cload__c");
}

TEST(DocsSnippets, ConnectedNotLoadedIsNotEmpty) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string order_id = "o1";
  m.mock->enqueue_json(200, record("order", "o1"));
  m.mock->enqueue_json(200,
                       record("order", "o1", {{"tasks", Json::array()}, {"customer", nullptr}}));

  using roserocket::model::Order;
  const Order bare = client.orders().get(order_id);  // no paths: no tasks, no customer
  if (!bare.loaded(Order::tasks_path))
    std::cout << "tasks not loaded\n";  // bare.tasks() would throw NotLoadedError
  try {
    (void)bare.customer();
  } catch (const roserocket::NotLoadedError& e) {
    std::cout << e.connection() << ": " << e.what() << "\n";  // "'customer' of order ... Add..."
  }
  const Order full = client.orders().get(order_id, {Order::tasks_path, Order::customer_path});
  std::cout << full.tasks().size() << " tasks\n";  // 0 when the order has none

  EXPECT_THROW((void)bare.tasks(), roserocket::NotLoadedError);
  EXPECT_TRUE(full.tasks().empty());
  EXPECT_EQ(m.url(1), rr_test::kBase + "/objects/o1?paths=tasks%2Ccustomer");
}

TEST(DocsSnippets, ConnectedNestedCreation) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string customer_id = "c1";
  m.mock->enqueue_json(
      200, record("order", "o1", {{"tasks", {record("task", "t1"), record("task", "t2")}}}));

  using namespace roserocket::model;
  Commodity skids;
  skids.set_commodity_type(CommodityType::kSkid).set_weight_unit(WeightUnit::kLbs);
  Task pickup;
  pickup.set_task_type(TaskType::kPickup)
      .set_appointment_time(DateTimeValue::at("2024-05-01T09:00:00"))
      .set_commodities({skids});
  Task delivery;
  delivery.set_task_type(TaskType::kDelivery);
  Order order;
  order
      .set_customer(Ref{customer_id})  // an existing record: {"id": ...}
      .set_tasks({pickup, delivery});  // new records: created with the order
  Order saved =
      client.orders().create(order, roserocket::with_paths({"tasks", "tasks.commodities"}));
  std::vector<Task> tasks = saved.tasks();  // typed, with the ids the server gave them

  EXPECT_EQ(tasks.size(), 2u);
  EXPECT_EQ(m.body(0)["json"]["customer"], (Json{{"id", "c1"}}));
  EXPECT_EQ(m.body(0)["json"]["tasks"][0]["commodities"][0]["commodityType"], "skid");
}

TEST(DocsSnippets, ConnectedWebhook) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(200, record("webhookDestination", "w1"));

  using namespace roserocket::model;
  WebhookSubscription status_changes;
  status_changes.set_event_name("Order Status Changed");
  WebhookDestination destination;
  destination.set_name("ERP")
      .set_url("https://erp.example.com/rr-hook")
      .set_subscriptions({status_changes});
  client.webhook_destinations().create(destination);

  EXPECT_EQ(m.body(0)["json"]["subscriptions"],
            (Json::array(
                {{{"objectKey", "webhookSubscription"}, {"eventName", "Order Status Changed"}}})));
}

// ---- docs/search.md

TEST(DocsSnippets, SearchOrders) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(
      200, Json::array({{{"id", "b-orders"}, {"name", "Orders"}, {"objectKey", "order"}}}));
  m.mock->enqueue_json(
      200, {{"total", 1}, {"results", {record("order", "o1", {{"status", "booked"}})}}});

  using roserocket::SearchFilter;
  using roserocket::model::Order;
  roserocket::SearchRequest search;  // no board_id: the facade finds the order board
  search.filters.push_back(SearchFilter::in("status", {"booked", "in transit"}));
  search.filters.push_back(SearchFilter::starts_with("customer.name", "XYZ"));
  search.order_by_path = "createdAt";
  search.order_by_direction = roserocket::SortDirection::kDesc;
  search.limit = 50;
  roserocket::SearchPage<Order> page = client.orders().search(search);
  for (const Order& order : page.results)
    std::cout << order.full_id().value_or("?") << "\n";
  if (page.has_more)
    std::cout << "and more: " << page.total << " match in all\n";

  EXPECT_EQ(page.results.size(), 1u);
  EXPECT_FALSE(page.has_more);
  EXPECT_EQ(m.body(1)["boardId"], "b-orders");
  EXPECT_EQ(m.body(1)["objectKey"], "order");
  EXPECT_EQ(m.body(1)["filters"][0]["operator"], "in");
  EXPECT_EQ(m.body(1)["orderByDirection"], "desc");
  EXPECT_EQ(m.url(0), rr_test::kBase + "/boards/nav?objectKey=order");
}

TEST(DocsSnippets, SearchRefusesWhatLiveServersFailOn) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(
      200, Json::array({{{"id", "b-orders"}, {"name", "Orders"}, {"objectKey", "order"}}}));
  m.mock->enqueue_json(200, {{"total", 0}, {"results", Json::array()}});

  roserocket::SearchRequest booked;
  booked.filters.push_back(roserocket::SearchFilter::equals("status", "booked"));
  try {
    client.orders().search(booked);  // refused here, nothing is sent
  } catch (const roserocket::InvalidArgumentError& e) {
    // "... 'status' of order is a select field ...; use 'in' with a list
    // (SearchFilter::in("status", {"booked"})) (or pass FilterCheck::kSendAnyway ...)"
    std::cout << e.what() << "\n";
  }
  // For a server known to answer it, opt out: the filter is sent as it is.
  client.orders().search(booked, {}, roserocket::FilterCheck::kSendAnyway);

  ASSERT_EQ(m.mock->request_count(), 2u);  // the board lookup, then the search sent as it is
  EXPECT_EQ(m.url(0), rr_test::kBase + "/boards/nav?objectKey=order");
  EXPECT_EQ(m.body(1)["filters"][0]["operator"], "equals");
}

TEST(DocsSnippets, SearchAllOrdersPageByPage) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string board_id = "3f6c5e0a-8a0e-4c55-9d63-1d2f1b0a7c11";
  m.mock->enqueue_json(200, {{"total", 3},
                             {"results",
                              {record("order", "o1", {{"createdAt", "2026-01-01T00:00:00Z"}}),
                               record("order", "o2", {{"createdAt", "2026-01-01T00:00:00Z"}})}}});
  m.mock->enqueue_json(
      200, {{"total", 1},
            {"results", {record("order", "o3", {{"createdAt", "2026-01-02T00:00:00Z"}})}}});

  using roserocket::model::Order;
  roserocket::SearchRequest request;
  request.board_id = board_id;
  request.filters.push_back(roserocket::SearchFilter::in("status", {"booked"}));
  request.order_by_path = "createdAt";  // the default; a date field pages by exclusion
  request.order_by_direction = roserocket::SortDirection::kAsc;

  roserocket::SearchAllOptions all;
  all.page_size = 2;  // at most the server's page (100 by default)
  roserocket::RequestOptions each_page;
  each_page.deadline = std::chrono::seconds(30);  // per page, retries included

  std::size_t n = 0;
  for (const Order& order : client.orders().search_all(request, each_page, all)) {
    std::cout << order.full_id().value_or("?") << "\n";  // fetched 2 at a time, as you go
    ++n;
  }

  EXPECT_EQ(n, 3u);
  ASSERT_EQ(m.mock->request_count(), 2u);
  EXPECT_EQ(m.body(1)["filters"][1]["operator"], "notIn");
  EXPECT_EQ(m.body(1)["filters"][1]["value"], Json::array({"o1", "o2"}));
}

// ---- docs/external-ids.md

TEST(DocsSnippets, ExternalIds) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(201, record("customer", "c1", {{"externalId", "ERP-1001"}}));
  m.mock->enqueue_json(200, record("customer", "c1", {{"externalId", "ERP-1001"}}));
  m.mock->enqueue_json(200, record("customer", "c1", {{"externalId", "ERP-1001"}}));
  m.mock->enqueue_json(200, record("customer", "c1", {{"externalId", "ERP-1001"}}));

  using roserocket::model::Customer;
  Customer customer;
  customer.set_external_id("ERP-1001").set_name("XYZ Freight Corp");
  auto result = client.customers().upsert(customer);  // PATCH /objects, keyed by externalId
  std::cout << (result.created ? "created " : "updated ") << *result.record.id() << "\n";

  Customer same = client.customers().get_by_external_id("ERP-1001");
  Customer phone;
  phone.set_company_phone("555-555-5555");
  client.customers().upsert_by_external_id("ERP-1001", phone);
  client.customers().remove_by_external_id("ERP-1001");

  EXPECT_TRUE(result.created);
  EXPECT_EQ(same.id(), "c1");
  EXPECT_EQ(m.url(2), rr_test::kBase + "/objects/customer/ERP-1001/external");
}

TEST(DocsSnippets, ExternalIdsUpsertNested) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->enqueue_json(200, record("task", "t1", {{"externalId", "ERP-7-PU"}}));
  m.mock->enqueue_json(404, {{"statusCode", 404}, {"message", "Not Found"}});
  m.mock->enqueue_json(200, record("order", "o1", {{"externalId", "ERP-7"}}));

  using namespace roserocket::model;
  Task pickup;
  pickup.set_external_id("ERP-7-PU").set_task_type(TaskType::kPickup);
  Task delivery;
  delivery.set_external_id("ERP-7-DL").set_task_type(TaskType::kDelivery);
  Order order;
  order.set_external_id("ERP-7").set_tasks({pickup, delivery});
  auto result = client.orders().upsert_nested(order);  // repeat on TransportError: safe
  // result.linked: tasks found and updated; result.created_by_external_id: tasks created now;
  // result.unkeyed: tasks with neither id nor external id (then result.repeatable() is false).

  EXPECT_EQ(result.linked, std::vector<std::string>{"json.tasks[0]"});
  EXPECT_EQ(result.created_by_external_id, std::vector<std::string>{"json.tasks[1]"});
  EXPECT_TRUE(result.repeatable());
  EXPECT_EQ(m.body(2)["json"]["tasks"][0]["id"], "t1");
}

TEST(DocsSnippets, ExternalIdsUpsertOutcome) {
  MockClient m;
  rr::Client& client = m.client;
  using roserocket::model::Customer;
  m.mock->enqueue_json(200, record("customer", "c2",
                                   {{"externalId", "ERP-1002"},
                                    {"version", 1},
                                    {"createdAt", "2026-01-05T10:00:00.000Z"},
                                    {"updatedAt", "2026-01-05T10:00:00.000Z"}}));
  testing::internal::CaptureStdout();

  Customer change;
  change.set_name("ABC Logistics");
  auto upserted = client.customers().upsert_by_external_id("ERP-1002", change);
  if (upserted.outcome == roserocket::UpsertOutcome::kUpdated)
    std::cout << "ERP-1002 was there already\n";
  std::cout << roserocket::to_string(upserted.outcome) << "\n";  // "createdOrUnchanged"

  EXPECT_EQ(testing::internal::GetCapturedStdout(), "createdOrUnchanged\n");
  EXPECT_FALSE(upserted.created);
}

// ---- docs/boards-events-user-groups.md

TEST(DocsSnippets, BoardsEventsUserGroups) {
  MockClient m;
  rr::Client& client = m.client;
  const std::string order_id = "o1";
  m.mock->enqueue_json(200,
                       Json::array({{{"id", "b1"}, {"name", "Orders"}, {"objectKey", "order"}}}));
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {{{"id", "e1"}, {"type", "mutate"}}}}});
  m.mock->enqueue_json(200, {{"id", "e2"}, {"type", "internal"}});
  m.mock->enqueue_json(200, {{"id", "g1"}, {"name", "Night dispatch"}, {"type", "local"}});
  m.mock->enqueue_json(200, {{"added", 2}, {"removed", 0}});
  m.mock->enqueue_json(200,
                       {{"total", 1}, {"results", {{{"id", "g1"}, {"name", "Night dispatch"}}}}});

  using roserocket::model::EventType;
  for (const roserocket::Board& board : client.boards().list_all()) {
    std::cout << board.name << " shows " << board.object_key << " (" << board.id << ")\n";
  }

  auto query = roserocket::EventQuery::for_record(order_id, "order");
  query.in_types = {EventType::kCreate, EventType::kMutate};
  for (const roserocket::Event& event : client.events().list_all(query)) {
    std::cout << event.created_at << " " << event.type.value() << "\n";
  }
  client.events().create({order_id, "b1", EventType::kInternal, {{"note", "synced to ERP"}}});

  auto group = client.user_groups().create("Night dispatch", std::string("22:00 to 06:00"));
  client.user_groups().add_members(group.id, {"user-1", "user-2"});
  roserocket::UserGroupSearch by_name;
  by_name.name = "Night dispatch";
  std::vector<roserocket::UserGroup> groups = client.user_groups().search_all(by_name);

  EXPECT_EQ(groups.size(), 1u);
  EXPECT_EQ(m.mock->request_count(), 6u);
}

// ---- docs/webhooks.md

TEST(DocsSnippets, Webhooks) {
  const DocsScratchFolder dir("rr-docs-webhooks");
  MockClient m;
  rr::Client& client = m.client;
  const std::string secret = "docs-secret-0123456789";
  const std::string order_id = "o1";
  const std::string seen_log_path = dir.file("seen.log");
  const std::string checkpoint_path = dir.file("feeds.json");
  const Json stored = {{"id", "whd-1"},
                       {"objectKey", "webhookDestination"},
                       {"name", "erp sync"},
                       {"subscriptions",
                        {{{"id", "whs-1"},
                          {"objectKey", "webhookSubscription"},
                          {"eventName", "Order Status Changed"}}}}};
  m.mock->enqueue_json(200, stored);  // subscribe
  m.mock->enqueue_json(200, Json::array({{{"id", "b9"}, {"objectKey", "webhookDestination"}}}));
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {stored}}});          // list
  m.mock->enqueue_json(200, stored);                                         // remove: get
  m.mock->enqueue_json(200, stored);                                         // delete
  m.mock->enqueue_empty(204);                                                // bulk delete
  m.mock->enqueue_json(200, record("order", "o1", {{"status", "booked"}}));  // re-read
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {{{"id", "e1"}, {"type", "mutate"}}}}});

  auto hooks = client.webhooks();
  auto destination = hooks.subscribe(
      "erp sync", "https://erp.example.com/hooks/rose-rocket/" + secret, {"Order Status Changed"});
  for (const auto& d : hooks.list()) {  // a search on the destinations' board
    std::cout << d.name().value_or("") << ": " << d.subscriptions().size() << " event(s)\n";
  }
  hooks.remove(*destination.id());  // the destination, then its subscriptions

  const std::string method = "POST";
  const std::string target = "/hooks/rose-rocket/" + secret;
  const rr::Headers headers{{"Content-Type", "application/json"}};
  const std::string body = Json{
      {"id", "evt-1"},
      {"type", "Order Status Changed"},
      {"refId", "o1"},
      {"objectKey", "order"},
      {"json",
       {{"status", "new"}}}}.dump();

  roserocket::WebhookReceiverOptions options;
  options.secret = secret;  // from your configuration, not your code
  options.path = "/hooks/rose-rocket";
  options.reread_client = client;  // re-read the record before the handler runs
  options.seen_store = std::make_shared<roserocket::FileSeenEventStore>(seen_log_path);
  roserocket::WebhookReceiver receiver(options);

  receiver.on("Order Status Changed", "order", [](const roserocket::WebhookEvent& e) {
    auto order = e.record<roserocket::model::Order>();  // as it is now; e.json is as delivered
    std::cout << order.full_id().value_or("?") << " is "
              << (order.status() ? order.status()->value() : "?")
              << "\n";  // throw to be redelivered
  });

  // In your server's request handler: the method, the target as received ("/path?query"), the
  // headers and the body. Answer with answer.status, answer.body and answer.content_type.
  roserocket::WebhookResponse answer = receiver.handle(method, target, headers, body);

  auto checkpoints = std::make_shared<roserocket::FileCheckpointStore>(checkpoint_path);
  roserocket::ChangesFeedOptions feed_options;
  feed_options.name = "order-" + order_id;  // the checkpoint's key
  feed_options.poll_interval = std::chrono::seconds(5);
  roserocket::ChangesFeed feed(client, roserocket::EventQuery::for_record(order_id, "order"),
                               checkpoints, feed_options);
  std::size_t handled = feed.run_once([](const roserocket::Event& e) {
    std::cout << e.id << " " << e.type.value() << "\n";  // throw to stop before this event
  });

  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(handled, 1u);
  EXPECT_EQ(feed.checkpoint(), "e1");
  EXPECT_EQ(m.mock->request_count(), 8u);
}

// ---- docs/sync.md

TEST(DocsSnippets, Sync) {
  const DocsScratchFolder dir("rr-docs-sync");
  MockClient m;
  rr::Client& client = m.client;
  const std::string checkpoint_path = dir.file("sync.json");
  m.mock->set_fallback([](const rr::HttpRequest& r) {
    rr::HttpResponse response;
    response.status = 200;
    response.headers.set("Content-Type", "application/json");
    if (r.url.find("/boards") != std::string::npos)
      response.body = Json::array({{{"id", "b1"}, {"objectKey", "order"}}}).dump();
    else if (r.url.find("/objects/search") != std::string::npos)
      response.body =
          Json{{"total", 1},
               {"results", {record("order", "o1", {{"updatedAt", "2026-12-04T10:00:00.000Z"}})}}}
              .dump();
    else
      response.body = record("order", "o1", {{"updatedAt", "2026-12-04T10:00:00.000Z"}}).dump();
    return response;
  });
  roserocket::WebhookReceiverOptions receiver_options;
  receiver_options.secret = "docs-secret-0123456789";
  roserocket::WebhookReceiver receiver(receiver_options);

  auto checkpoints = std::make_shared<roserocket::sync::FileCheckpointStore>(checkpoint_path);
  roserocket::sync::ChangeStreamOptions options;
  options.object_key = "order";
  options.stream = "erp-orders";              // the checkpoint's name; one consumer at a time
  options.overlap = std::chrono::minutes(2);  // above the index lag plus clock skew you expect
  roserocket::sync::ChangeStream stream(client, checkpoints, options);

  auto summary =
      stream.run_once([](const roserocket::Json& order, roserocket::sync::CheckpointTransaction&) {
        // Write the order to the other system (idempotently: see "What a crash costs").
        std::cout << order.value("fullId", "?") << " v" << order.value("version", 0) << "\n";
      });
  std::cout << summary.delivered << " changed, " << summary.requests << " request(s)\n";

  receiver.on("Order Status Changed", "order",
              [&stream](const roserocket::WebhookEvent& e) { stream.hint(e.ref_id); });

  EXPECT_EQ(summary.delivered, 1u);
  EXPECT_EQ(summary.requests, 1u);
}

// ---- docs/bulk.md

TEST(DocsSnippets, Bulk) {
  MockClient m;
  rr::Client& client = m.client;
  m.mock->set_fallback([](const rr::HttpRequest& request) {
    if (request.url.find("ERP-2") != std::string::npos)
      return rr::HttpResponse{422, {}, R"({"statusCode":422,"message":["name is taken"]})"};
    return rr::HttpResponse{200, {}, R"({"id":"c1","externalId":"ERP-1"})"};
  });

  roserocket::BulkOptions options;
  options.max_in_flight = 16;
  roserocket::BulkEngine engine(client, options);

  std::vector<roserocket::Json> rows = {{{"externalId", "ERP-1"}, {"name", "XYZ Freight"}},
                                        {{"externalId", "ERP-2"}, {"name", "ABC Logistics"}}};
  roserocket::BatchOptions batch;
  batch.progress = [](const roserocket::BulkProgress& p) {
    std::printf("\r%zu/%zu, %zu failed, %.0f/s", p.done, p.total, p.failed, p.rate);
  };
  const auto results = engine.upsert_many("customer", rows, batch);
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok())
      std::cerr << rows[i]["externalId"] << ": " << results[i].error_message << "\n";
  }

  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].status, rr::ItemStatus::kFailed);
  EXPECT_NE(results[1].error_message.find("name is taken"), std::string::npos);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

// ---- The guides quote this file.

TEST(DocsSnippets, EveryGuideSnippetIsHere) {
  const std::string root = ROSEROCKET_SOURCE_DIR;
  const std::string self =
      rr_test::squash_spaces(rr_test::read_text(root + "/tests/unit/docs_snippets_test.cpp"));
  ASSERT_FALSE(self.empty());
  std::size_t blocks = 0;
  for (const char* guide :
       {"object-model.md", "read-only-fields.md", "connected-objects.md", "search.md",
        "external-ids.md", "boards-events-user-groups.md", "webhooks.md", "bulk.md", "sync.md"}) {
    const std::string text = rr_test::read_text(root + "/docs/" + guide);
    ASSERT_FALSE(text.empty()) << guide;
    for (const std::string& block : rr_test::fenced_blocks(text, "cpp")) {
      ++blocks;
      EXPECT_NE(self.find(rr_test::squash_spaces(block)), std::string::npos)
          << guide << ": this snippet is not compiled by docs_snippets_test.cpp:\n"
          << block;
    }
  }
  EXPECT_GE(blocks, 6u);
}

TEST(CatalogDocs, ReadOnlyTableEqualsTheGeneratedOne) {
  const std::string text =
      rr_test::read_text(std::string(ROSEROCKET_SOURCE_DIR) + "/docs/read-only-fields.md");
  const std::string begin = "<!-- catalog_docs --read-only: begin -->\n";
  const auto a = text.find(begin);
  const auto b = text.find("<!-- catalog_docs --read-only: end -->");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_EQ(text.substr(a + begin.size(), b - a - begin.size()),
            rr::model::read_only_fields_markdown())
      << "regenerate with: ./build/tools/catalog_docs --read-only";
}

TEST(CatalogDocs, FieldReferenceEqualsTheGeneratedOne) {
  const std::string text =
      rr_test::read_text(std::string(ROSEROCKET_SOURCE_DIR) + "/docs/object-model.md");
  const std::string begin = "<!-- catalog_docs --fields: begin -->\n";
  const auto a = text.find(begin);
  const auto b = text.find("<!-- catalog_docs --fields: end -->");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_EQ(text.substr(a + begin.size(), b - a - begin.size()), rr::model::fields_markdown())
      << "regenerate with: ./build/tools/catalog_docs --fields";
}
