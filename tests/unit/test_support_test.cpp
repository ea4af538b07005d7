// Issue 8: the test helpers and the facade API work as the docs say. last_request() on an empty
// transport throws; the ObjectsApi escape hatch of a facade compiles and sends the right request;
// get(id, {}) is a plain get; a record's JSON taken from a temporary is a value, not a reference.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "model_test_support.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr::model::Order;
using rr_test::kBase;
using rr_test::MockClient;

// ---- Compile-time: value categories of Record::json().
static_assert(std::is_same_v<decltype(std::declval<Order&>().json()), const Json&>,
              "an lvalue record hands out a reference");
static_assert(std::is_same_v<decltype(std::declval<const Order&>().json()), const Json&>,
              "a const lvalue record hands out a reference");
static_assert(std::is_same_v<decltype(std::declval<Order>().json()), Json>,
              "a temporary record hands out a value, so nothing can dangle");
static_assert(std::is_same_v<decltype(std::declval<const Order>().json()), Json>,
              "a const temporary record hands out a value, so nothing can dangle");
static_assert(std::is_same_v<decltype(std::declval<const rr::Orders&>().get("o-1").json()), Json>,
              "client.orders().get(id).json() is a value");

// ---- Compile-time: the escape hatch of a facade is a const ObjectsApi whose operations work.
static_assert(std::is_same_v<decltype(std::declval<const rr::Customers&>().objects()),
                             const rr::ObjectsApi&>);
static_assert(std::is_same_v<decltype(std::declval<const rr::ObjectsApi&>().get("c-1")), Json>);
static_assert(std::is_same_v<decltype(std::declval<const rr::ObjectsApi&>().remove("c-1")),
                             std::optional<Json>>);

// ---- Compile-time: get(id, {}) resolves, to the overload that adds no path.
static_assert(std::is_same_v<decltype(std::declval<const rr::Orders&>().get("o-1", {})), Order>);
static_assert(
    std::is_same_v<decltype(std::declval<const rr::Orders&>().get("o-1", {}, rr::RequestOptions{})),
                   Order>);

namespace {

Json order_json(const std::string& id) {
  return Json{{"id", id}, {"objectKey", "order"}, {"fullId", "O-7"}, {"version", 3}};
}

}  // namespace

TEST(MockTransportLastRequest, WithNothingSentThrowsALogicErrorThatSaysSo) {
  rr::mock::MockTransport mock;
  try {
    (void)mock.last_request();
    FAIL() << "last_request() returned with nothing sent";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("no request was sent"), std::string::npos) << e.what();
  }
  EXPECT_EQ(mock.request_count(), 0u);
}

TEST(MockTransportLastRequest, AfterARequestReturnsTheLatest) {
  MockClient m;
  m.mock->enqueue_json(200, order_json("o-1"));
  m.mock->enqueue_json(200, order_json("o-2"));
  (void)m.client.orders().get("o-1");
  (void)m.client.orders().get("o-2");
  EXPECT_EQ(m.mock->last_request().url, kBase + "/objects/o-2");
}

TEST(FacadeEscapeHatch, ObjectsOfAFacadeSendsTheUntypedOperations) {
  MockClient m;
  m.mock->enqueue_json(200, Json{{"id", "c-1"}, {"objectKey", "customer"}, {"name", "XYZ"}});
  m.mock->enqueue_empty(204);
  const Json got = m.client.customers().objects().get("c-1");
  EXPECT_EQ(got.at("name"), "XYZ");
  EXPECT_FALSE(m.client.customers().objects().remove("c-1").has_value());
  ASSERT_EQ(m.mock->request_count(), 2u);
  EXPECT_EQ(m.method(0), rr::HttpMethod::kGet);
  EXPECT_EQ(m.url(0), kBase + "/objects/c-1");
  EXPECT_EQ(m.method(1), rr::HttpMethod::kDelete);
  EXPECT_EQ(m.url(1), kBase + "/objects/c-1");
}

TEST(FacadeGet, EmptyBracesArePlainGet) {
  MockClient m;
  m.mock->enqueue_json(200, order_json("o-1"));
  m.mock->enqueue_json(200, order_json("o-1"));
  const Order a = m.client.orders().get("o-1", {});
  rr::RequestOptions board;
  board.board_id = "b-1";
  const Order b = m.client.orders().get("o-1", {}, board);
  EXPECT_EQ(a.full_id(), "O-7");
  EXPECT_EQ(b.version(), 3);
  EXPECT_EQ(m.url(0), kBase + "/objects/o-1");
  EXPECT_EQ(m.url(1), kBase + "/objects/o-1?boardId=b-1");
}

TEST(FacadeGet, BracedTypedPathsAndAVectorOfThemSendTheSamePaths) {
  MockClient m;
  m.mock->enqueue_json(200, order_json("o-1"));
  m.mock->enqueue_json(200, order_json("o-1"));
  (void)m.client.orders().get("o-1", {Order::tasks_path, Order::customer_path});
  const std::vector<rr::model::PathOf<Order>> paths{Order::tasks_path, Order::customer_path};
  (void)m.client.orders().get("o-1", paths);
  EXPECT_EQ(m.url(0), kBase + "/objects/o-1?paths=tasks%2Ccustomer");
  EXPECT_EQ(m.url(1), m.url(0));
}

TEST(RecordJson, FromATemporaryIsAValueThatOutlivesTheRecord) {
  MockClient m;
  m.mock->enqueue_json(200, order_json("o-9"));
  const Json& j = m.client.orders().get("o-9").json();  // lifetime-extended value
  EXPECT_EQ(j.at("id"), "o-9");
  EXPECT_EQ(j.at("fullId"), "O-7");
}

TEST(RecordJson, FromAnLvalueIsAReferenceIntoTheRecord) {
  Order order = Order::from_json(order_json("o-3"));
  const Json& j = order.json();
  order.set("poNumber__c", "PO-1");
  EXPECT_EQ(&j, &order.json());
  EXPECT_EQ(j.at("poNumber__c"), "PO-1");
}
