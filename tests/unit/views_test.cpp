// Read-only views (issue 12): connections and lists read as views into the record's JSON, with
// no copies, while the copying getters and change tracking stay as they were; `part_errors()`
// surfaces a create's `errors` array; typed custom fields.

#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace rr = roserocket;
using namespace rr::model;
using rr_test::kBase;
using rr_test::MockClient;

namespace {

Json sample_order() {
  Json commodities = Json::array();
  for (int i = 0; i < 4; ++i) {
    commodities.push_back({{"id", "c" + std::to_string(i)},
                           {"objectKey", "commodity"},
                           {"weight", 10.5 * (i + 1)},
                           {"weightUnit", "lbs"}});
  }
  commodities.push_back("c-bare");  // a list may hold bare ids
  return {
      {"id", "o1"},
      {"objectKey", "order"},
      {"status", "booked"},
      {"customer", {{"id", "cu1"}, {"objectKey", "customer"}, {"name", "XYZ"}}},
      {"tasks",
       {{{"id", "t1"}, {"objectKey", "task"}, {"taskType", "pickup"}, {"commodities", commodities}},
        {{"id", "t2"},
         {"objectKey", "task"},
         {"taskType", "delivery"},
         {"commodities", nullptr}}}}};
}

template <class T, class = void>
struct CanViewTemporary : std::false_type {};
template <class T>
struct CanViewTemporary<T, std::void_t<decltype(std::declval<T&&>().view())>> : std::true_type {};

}  // namespace

TEST(Views, ReadConnectionsAsViewsIntoTheRecordsOwnJson) {
  const Order order = Order::from_json(sample_order());
  OrderView view = order.view();
  EXPECT_EQ(&view.json(), &order.json());
  EXPECT_EQ(view.status(), OrderStatus::kBooked);
  ASSERT_TRUE(view.customer().has_value());
  EXPECT_EQ(view.customer()->name(), "XYZ");
  EXPECT_EQ(&view.customer()->json(), &order.json()["customer"]);

  ListView<TaskView> tasks = view.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks.at(1).task_type(), TaskType::kDelivery);
  EXPECT_TRUE(tasks.at(1).commodities().empty());  // a null list: an empty range
  double sum = 0;
  std::vector<std::string> ids;
  for (TaskView task : tasks) {
    for (CommodityView c : task.commodities()) {
      sum += c.weight().value_or(0);
      ids.push_back(c.id().value_or("?"));
    }
  }
  EXPECT_DOUBLE_EQ(sum, 10.5 + 21 + 31.5 + 42);
  EXPECT_EQ(ids, (std::vector<std::string>{"c0", "c1", "c2", "c3", "c-bare"}));
  // The first commodity's view points at the order's own JSON: nothing was copied.
  EXPECT_EQ(&tasks.at(0).commodities().at(0).json(), &order.json()["tasks"][0]["commodities"][0]);
  EXPECT_THROW((void)tasks.at(2), rr::InvalidArgumentError);
  // The copying getters agree.
  EXPECT_EQ(order.tasks().at(0).commodities().at(2).weight(), 31.5);
}

TEST(Views, ToRecordGivesAWritableCopyAndTrackingIsUnchanged) {
  Order order = Order::from_json(sample_order());
  Commodity first = order.view().tasks().at(0).commodities().at(0).to_record();
  first.set_quantity(4);
  EXPECT_EQ(first.write_json(), (Json{{"id", "c0"}, {"quantity", 4}}));
  Commodity bare = order.view().tasks().at(0).commodities().at(4).to_record();
  EXPECT_EQ(bare.id(), "c-bare");
  EXPECT_TRUE(order.changed_fields().empty());  // reading through views changed nothing
  order.set_status(OrderStatus::kDelivered);
  EXPECT_EQ(order.changes(), (Json{{"status", "delivered"}}));
  EXPECT_EQ(order.view().status(), OrderStatus::kDelivered);  // a fresh view sees the change
  static_assert(!CanViewTemporary<Order>::value, "view() of a temporary would dangle");
  static_assert(CanViewTemporary<Order&>::value);
}

TEST(Views, BadShapesAreMalformedResponses) {
  const auto order = Order::from_json(Json{{"tasks", {{"commodities", 5}}}, {"customer", 7}});
  EXPECT_THROW((void)order.view().customer(), rr::MalformedResponseError);
  EXPECT_THROW((void)order.view().tasks().at(0).commodities(), rr::MalformedResponseError);
  const auto bad_list = Order::from_json(Json{{"tasks", {1, 2}}});
  EXPECT_THROW((void)bad_list.view().tasks(), rr::MalformedResponseError);
  const auto bad_value = Commodity::from_json(Json{{"weight", "heavy"}});
  EXPECT_THROW((void)bad_value.view().weight(), rr::MalformedResponseError);
}

TEST(Views, ReadSpellingVariants) {
  const auto customer =
      Customer::from_json(Json{{"busHoursThursStartAt", 30600}, {"customerType", "Broker"}});
  EXPECT_EQ(customer.view().bus_hours_thu_start_at(), TimeOfDay::parse("08:30"));
  EXPECT_EQ(customer.view().customer_type(), CustomerType::kBroker);
}

TEST(PartErrors, TypedCreateSurfacesTheErrorsArray) {
  MockClient m;
  Order order;
  order.set_tasks({Task().set_task_type(TaskType("teleport"))}).set_customer(Ref{"c1"});
  m.mock->enqueue_json(200, Json{{"id", "o1"},
                                 {"objectKey", "order"},
                                 {"tasks", Json::array()},
                                 {"errors",
                                  {{{"path", "json.tasks[0]"},
                                    {"message", "json.tasks[0].taskType must be one of: pickup"}},
                                   "a plain text entry",
                                   {{"property", "json.customer"}, {"message", {"a", "b"}}}}}});
  Order saved = m.client.orders().create(order);
  const auto errors = saved.part_errors();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].path, "json.tasks[0]");
  EXPECT_EQ(errors[0].message, "json.tasks[0].taskType must be one of: pickup");
  EXPECT_EQ(errors[1].path, "");
  EXPECT_EQ(errors[1].message, "a plain text entry");
  EXPECT_EQ(errors[2].path, "json.customer");
  EXPECT_EQ(errors[2].message, "a; b");
  EXPECT_EQ(errors[0].raw["path"], "json.tasks[0]");
  // The untyped answer keeps the array too.
  m.mock->enqueue_json(200, Json{{"id", "o2"}, {"objectKey", "order"}, {"errors", {"x"}}});
  Json raw = m.client.objects().create("order", Json{{"status", "new"}});
  EXPECT_EQ(raw["errors"], Json{"x"});
  // A clean answer has none, and errors are never sent back on update.
  EXPECT_TRUE(Order::from_json(Json{{"id", "o3"}}).part_errors().empty());
  saved.set_status(OrderStatus::kBooked);
  EXPECT_EQ(saved.changes(), (Json{{"status", "booked"}}));
}

TEST(CustomFields, TypedGetAndSetOnAStandardRecord) {
  constexpr CustomField<std::string> kTrailer{"trailerNumber__c"};
  constexpr CustomField<std::int64_t> kSeals{"sealCount__c"};
  auto order =
      Order::from_json(Json{{"id", "o1"}, {"trailerNumber__c", "TR-1"}, {"sealCount__c", "x"}});
  EXPECT_EQ(order.get(kTrailer), "TR-1");
  EXPECT_THROW((void)order.get(kSeals), rr::MalformedResponseError);
  order.set(kTrailer, "TR-2").set(kSeals, 3).set_status(OrderStatus::kBooked);
  EXPECT_EQ(order.changes(),
            (Json{{"trailerNumber__c", "TR-2"}, {"sealCount__c", 3}, {"status", "booked"}}));
  EXPECT_EQ(order.get(kSeals), 3);
  EXPECT_THROW((void)CustomField<int>("notCustom"), rr::InvalidArgumentError);
}
