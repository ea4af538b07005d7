// Issue 23 item 3: a connection a stored record was read without ("not loaded") is not the same
// as one that holds no records ("empty"): its getter throws NotLoadedError naming the path to
// request, `loaded()` tells which is which, and a connection sent empty or null reads as empty.

#include <gtest/gtest.h>

#include <string>

#include "model_test_support.hpp"
#include "roserocket/resources/resource.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr::model::Order;
using rr::model::Task;
using rr_test::MockClient;

namespace {

Json stored_order(Json extra = Json::object()) {
  Json r = {{"id", "o-17"}, {"objectKey", "order"}, {"fullId", "O-17"}, {"status", "booked"}};
  r.update(extra);
  return r;
}

template <class Read>
std::string not_loaded_text(Read read, const char* connection) {
  try {
    read();
  } catch (const rr::NotLoadedError& e) {
    EXPECT_EQ(e.connection(), connection);
    return e.what();
  }
  ADD_FAILURE() << connection << ": read as if loaded";
  return "";
}

}  // namespace

TEST(NotLoaded, AStoredRecordReadWithoutTheConnectionSaysWhatToRequest) {
  const Order order = Order::from_json(stored_order());
  EXPECT_FALSE(order.loaded("tasks"));
  EXPECT_FALSE(order.loaded(Order::customer_path));
  const std::string tasks = not_loaded_text([&] { (void)order.tasks(); }, "tasks");
  EXPECT_NE(tasks.find("'tasks' of order o-17 was not loaded"), std::string::npos) << tasks;
  EXPECT_NE(tasks.find("paths"), std::string::npos) << tasks;
  const std::string customer = not_loaded_text([&] { (void)order.customer(); }, "customer");
  EXPECT_NE(customer.find("'customer' of order o-17"), std::string::npos) << customer;
  // The error is an InvalidArgumentError (the request is what to change).
  EXPECT_THROW((void)order.tasks(), rr::InvalidArgumentError);
  // Views say the same.
  const auto view = order.view();
  EXPECT_FALSE(view.loaded(Order::tasks_path));
  (void)not_loaded_text([&] { (void)view.tasks(); }, "tasks");
  (void)not_loaded_text([&] { (void)view.customer(); }, "customer");
}

TEST(NotLoaded, AConnectionSentEmptyOrNullReadsAsEmpty) {
  const Order order =
      Order::from_json(stored_order({{"tasks", Json::array()}, {"customer", nullptr}}));
  EXPECT_TRUE(order.loaded(Order::tasks_path));
  EXPECT_TRUE(order.loaded("customer"));
  EXPECT_TRUE(order.tasks().empty());
  EXPECT_FALSE(order.customer().has_value());
  EXPECT_TRUE(order.view().tasks().empty());
  EXPECT_FALSE(order.view().customer().has_value());
}

TEST(NotLoaded, ANewRecordReadsUnsetConnectionsAsEmpty) {
  Order order;
  EXPECT_FALSE(order.loaded("tasks"));
  EXPECT_TRUE(order.tasks().empty());
  EXPECT_FALSE(order.customer().has_value());
  Task pickup;
  order.set_tasks({pickup});
  EXPECT_TRUE(order.loaded(Order::tasks_path));
  EXPECT_EQ(order.tasks().size(), 1u);
}

TEST(NotLoaded, NestedConnectionsNotRequestedAreNotLoadedEither) {
  const Order order =
      Order::from_json(stored_order({{"tasks", {{{"id", "t1"}, {"objectKey", "task"}}, "t2"}}}));
  const auto tasks = order.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  const std::string text = not_loaded_text([&] { (void)tasks[0].commodities(); }, "commodities");
  EXPECT_NE(text.find("tasks.commodities"), std::string::npos) << text;
  (void)not_loaded_text([&] { (void)tasks[1].commodities(); }, "commodities");  // a bare id
  const auto view = order.view();
  (void)not_loaded_text([&] { (void)view.tasks().at(0).commodities(); }, "commodities");
  (void)not_loaded_text([&] { (void)view.tasks().at(1).commodities(); }, "commodities");
}

TEST(NotLoaded, AGetWithoutPathsAndOneWithThemAgainstTheMock) {
  MockClient m;
  m.mock->enqueue_json(200, stored_order());
  m.mock->enqueue_json(200, stored_order({{"tasks", Json::array()}, {"customer", nullptr}}));
  const Order bare = m.client.orders().get("o-17");
  EXPECT_THROW((void)bare.tasks(), rr::NotLoadedError);
  const Order with = m.client.orders().get("o-17", {Order::tasks_path, Order::customer_path});
  EXPECT_EQ(m.url(1), rr_test::kBase + "/objects/o-17?paths=tasks%2Ccustomer");
  EXPECT_TRUE(with.tasks().empty());
  EXPECT_FALSE(with.customer().has_value());
}
