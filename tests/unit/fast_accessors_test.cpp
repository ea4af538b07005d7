// The accessors a user reaches first are fast (issue 24 item 5, ADR 0024): on a record that stays,
// `order.tasks()` / `task.commodities()` are ranges of views into the record's JSON; on a
// temporary record they move the connected records out; `TypedRecord::from_json` adds a missing
// `objectKey` in place. What a caller changes never reaches the record it was read from.

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "roserocket/roserocket.hpp"

namespace rr = roserocket;
using namespace rr::model;

namespace {

Json fast_sample_order(bool with_keys) {
  Json commodities = Json::array();
  for (int i = 0; i < 3; ++i) {
    Json c = {{"id", "c" + std::to_string(i)}, {"weight", 5.0 * (i + 1)}, {"weightUnit", "lbs"}};
    if (with_keys)
      c["objectKey"] = "commodity";
    commodities.push_back(std::move(c));
  }
  commodities.push_back("c-bare");
  Json task = {{"id", "t1"}, {"taskType", "pickup"}, {"commodities", commodities}};
  Json order = {{"id", "o1"}, {"status", "booked"}, {"tasks", Json::array({task, "t-bare"})}};
  if (with_keys) {
    order["objectKey"] = "order";
    order["tasks"][0]["objectKey"] = "task";
  }
  return order;
}

template <class T, class = void>
struct FastHasTaskTypeSetter : std::false_type {};
template <class T>
struct FastHasTaskTypeSetter<
    T, std::void_t<decltype(std::declval<T&>().set_task_type(TaskType::kDelivery))>>
    : std::true_type {};

}  // namespace

TEST(FastAccessors, FromJsonAddsTheObjectKeyInPlaceWithoutACopy) {
  Json json = fast_sample_order(false);
  const Json* tasks_before = &json.at("tasks");
  const Order order = Order::from_json(std::move(json));
  EXPECT_EQ(order.key(), "order");
  EXPECT_EQ(order.json().at("objectKey"), "order");
  // The same tree, moved: the tasks array did not move, so nothing was copied.
  EXPECT_EQ(&order.json().at("tasks"), tasks_before);
  // A record of another object is still refused.
  EXPECT_THROW((void)Task::from_json(Json{{"objectKey", "order"}}), rr::InvalidArgumentError);
}

TEST(FastAccessors, ReadsAgreeWithAndWithoutObjectKey) {
  const Order keyed = Order::from_json(fast_sample_order(true));
  const Order keyless = Order::from_json(fast_sample_order(false));
  EXPECT_EQ(keyed.status(), keyless.status());
  ASSERT_EQ(keyed.tasks().size(), keyless.tasks().size());
  for (std::size_t t = 0; t < keyed.tasks().size(); ++t) {
    EXPECT_EQ(keyed.tasks()[t].id(), keyless.tasks()[t].id());
    EXPECT_EQ(keyed.tasks()[t].task_type(), keyless.tasks()[t].task_type());
  }
  const auto a = keyed.tasks()[0].commodities();
  const auto b = keyless.tasks()[0].commodities();
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), 4u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id(), b[i].id());
    EXPECT_EQ(a[i].weight(), b[i].weight());
  }
  // Copies made from either carry their own object's key.
  EXPECT_EQ(b[0].to_record().key(), "commodity");
  EXPECT_EQ(keyless.tasks()[0].to_record().key(), "task");
}

TEST(FastAccessors, ListGettersOfAStayingRecordAreViewsIntoItsJson) {
  const Order order = Order::from_json(fast_sample_order(true));
  static_assert(std::is_same_v<decltype(order.tasks()), ListView<TaskView>>);
  const auto tasks = order.tasks();
  EXPECT_EQ(&tasks[0].json(), &order.json()["tasks"][0]);
  EXPECT_EQ(&tasks[0].commodities()[2].json(), &order.json()["tasks"][0]["commodities"][2]);
  EXPECT_EQ(tasks.front().id(), "t1");
  EXPECT_EQ(tasks.back().id(), "t-bare");  // a bare id reads as a record with only that id
  EXPECT_THROW((void)tasks[2], rr::InvalidArgumentError);
  double sum = 0;
  for (const auto& task : order.tasks()) {
    if (!task.loaded(Task::commodities_path))
      continue;
    for (const auto& c : task.commodities())
      sum += c.weight().value_or(0);
  }
  EXPECT_EQ(sum, 30.0);
}

TEST(FastAccessors, AReturnedTaskNeverChangesItsParent) {
  Order order = Order::from_json(fast_sample_order(true));
  // Views have no setters: a change needs an owning copy, which is independent.
  static_assert(!FastHasTaskTypeSetter<TaskView>::value);
  static_assert(FastHasTaskTypeSetter<Task>::value);
  Task first = order.tasks()[0];  // converts: a copy
  first.set_task_type(TaskType::kDelivery);
  EXPECT_EQ(first.task_type(), TaskType::kDelivery);
  EXPECT_EQ(order.tasks()[0].task_type(), TaskType::kPickup);
  EXPECT_TRUE(order.changed_fields().empty());

  // Named record types still bind (each element converted, i.e. copied).
  for (const Task& task : order.tasks()) {
    EXPECT_NE(&task.json(), &order.json()["tasks"][0]);
    break;
  }

  // The old vector forms still compile and own their elements.
  std::vector<Task> tasks = order.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  tasks.push_back(Task().set_task_type(TaskType::kPickup));
  tasks[0].set_task_type(TaskType::kDelivery);
  const std::vector<Commodity> goods = order.tasks()[0].commodities();
  ASSERT_EQ(goods.size(), 4u);
  EXPECT_EQ(goods[3].id(), "c-bare");
  EXPECT_EQ(order.tasks().size(), 2u);
  EXPECT_EQ(order.tasks()[0].task_type(), TaskType::kPickup);

  // Writing a list back is explicit, and goes through the record's own setter.
  order.set_tasks(order.tasks());
  EXPECT_TRUE(order.is_changed("tasks"));
  EXPECT_EQ(order.changes()["tasks"][0], (Json{{"id", "t1"}}));
}

TEST(FastAccessors, OnATemporaryRecordTheListIsMovedOutAndOwned) {
  static_assert(
      std::is_same_v<decltype(Order::from_json(Json::object()).tasks()), std::vector<Task>>);
  const std::vector<Task> tasks = Order::from_json(fast_sample_order(true)).tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].key(), "task");
  EXPECT_EQ(tasks[0].commodities().size(), 4u);
  EXPECT_EQ(tasks[1].id(), "t-bare");
  // Keyless elements get their key, as from_json gives it.
  const std::vector<Commodity> goods =
      Task::from_json(fast_sample_order(false)["tasks"][0]).commodities();
  ASSERT_EQ(goods.size(), 4u);
  EXPECT_EQ(goods[0].key(), "commodity");
  EXPECT_EQ(goods[0].weight(), 5.0);
  // A const temporary cannot be moved from: its list is copied, as before.
  const Order kept = Order::from_json(fast_sample_order(true));
  const std::vector<Task> copied = std::move(kept).tasks();
  EXPECT_EQ(copied.size(), 2u);
  EXPECT_EQ(kept.tasks().size(), 2u);
}

TEST(FastAccessors, NotLoadedAndMalformedListsFailOnEveryPath) {
  const Order bare = Order::from_json(Json{{"id", "o1"}, {"objectKey", "order"}});
  EXPECT_THROW((void)bare.tasks(), rr::NotLoadedError);
  EXPECT_THROW((void)Order(bare).tasks(), rr::NotLoadedError);
  const Order bad = Order::from_json(Json{{"id", "o1"}, {"tasks", {1, 2}}});
  EXPECT_THROW((void)bad.tasks(), rr::MalformedResponseError);
  EXPECT_THROW((void)Order(bad).tasks(), rr::MalformedResponseError);
  const Order empty = Order::from_json(Json{{"id", "o1"}, {"tasks", nullptr}});
  EXPECT_TRUE(empty.tasks().empty());
  EXPECT_TRUE(Order().tasks().empty());  // a new record: not set reads as empty
}
