// Issue 23 item 2: typed facades find (and remember) their board; filter combinations that live
// servers answer with 500 are refused before sending, unless the caller opts out; SearchFilter
// factories write the documented filter shapes.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "model_test_support.hpp"
#include "roserocket/resources/resource.hpp"

namespace rr = roserocket;
using rr::FilterCheck;
using rr::SearchFilter;
using rr::model::Json;
using rr_test::kBase;
using rr_test::MockClient;

namespace {

const std::string kOrderBoard = "6d1f3f2e-0c2b-4d8e-9f3a-2b7c1d0e9a41";

Json nav_board(const std::string& id, const std::string& key) {
  return {{"id", id}, {"name", "Board"}, {"objectKey", key}, {"isExternal", false}};
}

Json one_order_page() {
  return {{"total", 1}, {"results", {{{"id", "o1"}, {"objectKey", "order"}}}}};
}

std::string refusal_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const rr::InvalidArgumentError& e) {
    return e.what();
  }
  return "";
}

rr::SearchRequest with_filter(SearchFilter f) {
  rr::SearchRequest r;
  r.filters.push_back(std::move(f));
  return r;
}

}  // namespace

TEST(SearchBoard, FacadeFindsItsBoardOnceAndEveryCopyOfTheClientRemembersIt) {
  MockClient m;
  m.mock->enqueue_json(200, {nav_board("b-other", "customer"), nav_board(kOrderBoard, "order")});
  m.mock->enqueue_json(200, one_order_page());
  m.mock->enqueue_json(200, one_order_page());
  const auto first = m.client.orders().search({});
  rr::Client copy = m.client;
  const auto second = copy.orders().search(with_filter(SearchFilter::in("status", {"booked"})));
  ASSERT_EQ(m.mock->request_count(), 3u);
  EXPECT_EQ(m.method(0), rr::HttpMethod::kGet);
  EXPECT_EQ(m.url(0), kBase + "/boards/nav?objectKey=order");
  EXPECT_EQ(m.body(1)["boardId"], kOrderBoard);
  EXPECT_EQ(m.body(1)["objectKey"], "order");
  EXPECT_EQ(m.body(2)["boardId"], kOrderBoard);
  EXPECT_EQ(first.results.at(0).id(), "o1");
  EXPECT_EQ(second.total, 1);
  EXPECT_EQ(m.client.objects().board_for("order"), kOrderBoard);
  EXPECT_EQ(m.mock->request_count(), 3u);  // remembered: no lookup
}

TEST(SearchBoard, AGivenBoardIsUsedWithoutALookup) {
  MockClient m;
  m.mock->enqueue_json(200, one_order_page());
  rr::SearchRequest r;
  r.board_id = "b-given";
  (void)m.client.orders().search(r);
  ASSERT_EQ(m.mock->request_count(), 1u);
  EXPECT_EQ(m.body(0)["boardId"], "b-given");
}

TEST(SearchBoard, NoBoardForTheObjectIsAClearErrorAndNothingIsRemembered) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array({nav_board("b-c", "customer")}));
  const std::string what = refusal_of([&] { (void)m.client.orders().search({}); });
  EXPECT_NE(what.find("no board shows 'order' records"), std::string::npos) << what;
  EXPECT_NE(what.find("SearchRequest::board_id"), std::string::npos) << what;
  EXPECT_EQ(m.mock->request_count(), 1u);  // the lookup only; no search was sent
  // A board created since is found by the next search.
  m.mock->enqueue_json(200, Json::array({nav_board(kOrderBoard, "order")}));
  m.mock->enqueue_json(200, one_order_page());
  EXPECT_EQ(m.client.orders().search({}).total, 1);
  EXPECT_EQ(m.body(2)["boardId"], kOrderBoard);
}

TEST(SearchBoard, LookupErrorsReachTheCallerAndAreNotRemembered) {
  MockClient m;
  m.mock->enqueue_json(403, {{"message", "no access to boards"}});
  EXPECT_THROW((void)m.client.orders().search({}), rr::ForbiddenError);
  m.mock->enqueue_json(200, Json::array({nav_board(kOrderBoard, "order")}));
  EXPECT_EQ(m.client.objects().board_for("order"), kOrderBoard);
}

TEST(SearchBoard, SearchAllFindsTheBoardBeforeTheFirstPage) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array({nav_board(kOrderBoard, "order")}));
  m.mock->enqueue_json(200, {{"results", Json::array()}});
  rr::SearchAllOptions all;
  all.page_size = 5;
  const auto orders = m.client.orders().search_all({}, {}, all).to_vector();
  EXPECT_TRUE(orders.empty());
  ASSERT_EQ(m.mock->request_count(), 2u);
  EXPECT_EQ(m.body(1)["boardId"], kOrderBoard);
}

TEST(SearchKnownFailures, ASelectFieldWithEqualsIsRefusedWithTheInHint) {
  MockClient m;
  rr::SearchRequest r = with_filter(SearchFilter::equals("status", "booked"));
  r.board_id = kOrderBoard;
  const std::string what = refusal_of([&] { (void)m.client.orders().search(r); });
  EXPECT_NE(what.find("'status' of order is a select field"), std::string::npos) << what;
  EXPECT_NE(what.find("SearchFilter::in(\"status\", {\"booked\"})"), std::string::npos) << what;
  EXPECT_NE(what.find("FilterCheck::kSendAnyway"), std::string::npos) << what;
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(SearchKnownFailures, ADateWithBetweenAndADerivedFieldWithInAreRefused) {
  MockClient m;
  rr::SearchRequest dates = with_filter(
      SearchFilter::between("createdAt", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"));
  dates.board_id = kOrderBoard;
  const std::string date_what = refusal_of([&] { (void)m.client.orders().search(dates); });
  EXPECT_NE(date_what.find("'createdAt' of order is a date field"), std::string::npos) << date_what;
  EXPECT_NE(date_what.find("'in'"), std::string::npos) << date_what;

  rr::SearchRequest derived = with_filter(SearchFilter::in("name", {"Ann Lee"}));
  derived.board_id = "b-contacts";
  const std::string derived_what = refusal_of([&] { (void)m.client.contacts().search(derived); });
  EXPECT_NE(derived_what.find("'name' of contact is derived from firstName, lastName"),
            std::string::npos)
      << derived_what;
  EXPECT_NE(derived_what.find("'equals'"), std::string::npos) << derived_what;
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(SearchKnownFailures, TheSameFieldsWithTheirWorkingOperatorsAreSent) {
  MockClient m;
  m.mock->enqueue_json(200, one_order_page());
  rr::SearchRequest r;
  r.board_id = kOrderBoard;
  r.filters = {
      SearchFilter::in("status", {"booked"}), SearchFilter::in("createdAt", {"2024-01-02"}),
      SearchFilter::equals("customer.status", "active"), SearchFilter::equals("load__c", "x")};
  (void)m.client.orders().search(r);
  EXPECT_EQ(m.mock->request_count(), 1u);
}

TEST(SearchKnownFailures, OptingOutSendsTheFilterAsItIs) {
  MockClient m;
  m.mock->enqueue_json(200, one_order_page());
  m.mock->enqueue_json(200, {{"results", Json::array()}});
  m.mock->enqueue_json(200, one_order_page());
  rr::SearchRequest r = with_filter(SearchFilter::equals("status", "booked"));
  r.board_id = kOrderBoard;
  (void)m.client.orders().search(r, {}, FilterCheck::kSendAnyway);
  EXPECT_EQ(m.body(0)["filters"][0]["operator"], "equals");
  (void)m.client.orders().search_all(r, {}, {}, FilterCheck::kSendAnyway).to_vector();
  EXPECT_EQ(m.body(1)["filters"][0]["operator"], "equals");
  r.object_key = "order";
  (void)m.client.objects().search(r, {}, FilterCheck::kSendAnyway);
  EXPECT_EQ(m.mock->request_count(), 3u);
}

TEST(SearchKnownFailures, ObjectsApiChecksWhenTheRequestNamesItsObject) {
  MockClient m;
  rr::SearchRequest r = with_filter(SearchFilter::equals("status", "booked"));
  r.board_id = kOrderBoard;
  r.object_key = "order";
  EXPECT_THROW((void)m.client.objects().search(r), rr::InvalidArgumentError);
  EXPECT_THROW((void)m.client.objects().search_all(r), rr::InvalidArgumentError);  // at once
  EXPECT_EQ(m.mock->request_count(), 0u);
  // Without an object key, nothing tells which object's field it is: sent as it is.
  r.object_key.clear();
  m.mock->enqueue_json(200, one_order_page());
  (void)m.client.objects().search(r);
  EXPECT_EQ(m.mock->request_count(), 1u);
}

TEST(SearchFilterFactories, WriteTheDocumentedShapes) {
  const auto json_of = [](const SearchFilter& f) {
    MockClient m;
    m.mock->enqueue_json(200, {{"results", Json::array()}});
    rr::SearchRequest r;
    r.board_id = "b";
    r.filters.push_back(f);
    (void)m.client.objects().search(r);
    return m.body(0)["filters"][0];
  };
  EXPECT_EQ(json_of(SearchFilter::in("status", {"booked", "in transit"})),
            (Json{{"filterKey", "status"},
                  {"path", "status"},
                  {"operator", "in"},
                  {"value", {"booked", "in transit"}}}));
  EXPECT_EQ(json_of(SearchFilter::not_in("id", {"a"}))["operator"], "notIn");
  EXPECT_EQ(json_of(SearchFilter::between("weight", 10, nullptr))["value"], Json({10, nullptr}));
  EXPECT_EQ(json_of(SearchFilter::starts_with("name", "XYZ"))["operator"], "startsWith");
  EXPECT_EQ(json_of(SearchFilter::ends_with("name", "Inc"))["operator"], "endsWith");
  EXPECT_EQ(json_of(SearchFilter::contains("name", "Freight"))["value"], "Freight");
  EXPECT_EQ(json_of(SearchFilter::not_equals("name", "x"))["operator"], "notEquals");
  EXPECT_EQ(json_of(SearchFilter::has_every("tags", {"a", "b"}))["operator"], "hasEvery");
  EXPECT_EQ(json_of(SearchFilter::has_some("tags", {"a"}))["operator"], "hasSome");
  EXPECT_EQ(json_of(SearchFilter::free_text("name", "acme"))["operator"], "freeText");
  const Json empty = json_of(SearchFilter::empty("externalId"));
  EXPECT_EQ(empty["operator"], "empty");
  EXPECT_FALSE(empty.contains("value"));
  EXPECT_EQ(json_of(SearchFilter::not_empty("externalId"))["operator"], "notEmpty");
  // Braced with members left out: the same as the factory.
  const SearchFilter braced{"status", rr::SearchOperator::kIn, Json::array({"booked"})};
  EXPECT_EQ(json_of(braced), json_of(SearchFilter::in("status", {"booked"})));
}

TEST(SearchFilterFactories, ListOperatorsRefuseAValueThatIsNotAList) {
  try {
    (void)SearchFilter::in("status", "booked");
    ADD_FAILURE() << "a single value was accepted";
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("SearchFilter::in takes a list of values"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)SearchFilter::has_some("tags", 3), rr::InvalidArgumentError);
}
