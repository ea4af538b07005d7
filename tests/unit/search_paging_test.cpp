// search_all and the other lazy listings against the mock transport: the exact requests of the
// keyset walk, laziness, and the guards against servers that do not advance.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model_test_support.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr_test::MockClient;

namespace {

const std::string kBoard = "3f6c5e0a-8a0e-4c55-9d63-1d2f1b0a7c11";

Json customer(const std::string& id, const Json& created_at, const Json& name = "n") {
  return {{"id", id}, {"createdAt", created_at}, {"name", name}};
}

Json page(std::vector<Json> records, int total = 0) {
  Json out = {{"results", Json(std::move(records))}};
  if (total > 0)
    out["total"] = total;
  return out;
}

rr::SearchRequest by(const std::string& order_path, rr::SortDirection direction = {}) {
  rr::SearchRequest r;
  r.board_id = kBoard;
  r.object_key = "customer";
  r.order_by_path = order_path;
  r.order_by_direction = direction;
  return r;
}

rr::SearchAllOptions pages_of(int n) {
  rr::SearchAllOptions all;
  all.page_size = n;
  return all;
}

std::vector<std::string> ids(const std::vector<Json>& records) {
  std::vector<std::string> out;
  for (const auto& r : records)
    out.push_back(r["id"].get<std::string>());
  return out;
}

Json filter(const std::string& path, const std::string& op, const Json& value = Json()) {
  Json f = {{"filterKey", path}, {"path", path}, {"operator", op}};
  if (!value.is_null())
    f["value"] = value;
  return f;
}

}  // namespace

TEST(PagedRange, FetchesNothingUntilIteratedAndOnePageAtATime) {
  int calls = 0;
  rr::PagedRange<int> range([&calls](std::vector<int>& page) {
    ++calls;
    if (calls > 3)
      return false;
    page = calls == 2 ? std::vector<int>{} : std::vector<int>{calls * 10, calls * 10 + 1};
    return true;
  });
  EXPECT_EQ(calls, 0);
  auto it = range.begin();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(*it, 10);
  ++it;
  EXPECT_EQ(*it, 11);
  EXPECT_EQ(calls, 1);
  ++it;  // the empty second page is skipped
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(*it, 30);
  ++it;
  ++it;
  EXPECT_TRUE(it == range.end());
  EXPECT_EQ(calls, 4);
}

TEST(PagedRange, AnErrorLeavesTheIteratorOnItsItem) {
  int calls = 0;
  rr::PagedRange<int> range([&calls](std::vector<int>& page) -> bool {
    if (++calls == 2)
      throw rr::ServerError("server error", {});
    page = {calls};
    return calls < 4;
  });
  auto it = range.begin();
  EXPECT_EQ(*it, 1);
  EXPECT_THROW(++it, rr::ServerError);
  EXPECT_EQ(*it, 1);
  ++it;  // the source answers again
  EXPECT_EQ(*it, 3);
  ++it;
  EXPECT_TRUE(it == range.end());
}

TEST(SearchAll, DateOrderExcludesEverySeenIdAndNeverSendsBetweenOnTheDate) {
  MockClient m;
  m.mock->enqueue_json(
      200, page({customer("a", "2026-01-01T00:00:00Z"), customer("b", "2026-01-01T00:00:00Z")}));
  m.mock->enqueue_json(
      200, page({customer("c", "2026-01-01T00:00:00Z"), customer("d", "2026-01-02T00:00:00Z")}));
  m.mock->enqueue_json(200, page({customer("e", "2026-01-03T00:00:00Z")}));
  auto range = m.client.objects().search_all(by(""), {}, pages_of(2));
  EXPECT_EQ(m.mock->request_count(), 0u);  // lazy
  const auto all = range.to_vector();
  EXPECT_EQ(ids(all), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  ASSERT_EQ(m.mock->request_count(), 3u);
  const Json first = m.body(0);
  EXPECT_EQ(first["orderByPath"], "createdAt");
  EXPECT_EQ(first["orderByDirection"], "asc");
  EXPECT_EQ(first["limit"], 2);
  EXPECT_EQ(first["filters"], Json::array());
  EXPECT_EQ(m.body(1)["filters"], Json::array({filter("id", "notIn", {"a", "b"})}));
  EXPECT_EQ(m.body(2)["filters"], Json::array({filter("id", "notIn", {"a", "b", "c", "d"})}));
}

TEST(SearchAll, DescendingDateWalkDropsRecordsCreatedBehindTheCursor) {
  MockClient m;
  m.mock->enqueue_json(
      200, page({customer("c", "2026-01-03T00:00:00Z"), customer("b", "2026-01-02T00:00:00Z")}));
  // "new" was created during the walk: newest, so it sorts first now, behind the cursor.
  m.mock->enqueue_json(200, page({customer("new", "2026-02-01T00:00:00.5Z"),
                                  customer("a", "2026-01-01T00:00:00Z")}));
  m.mock->enqueue_json(200, page({}));
  const auto all = m.client.objects()
                       .search_all(by("createdAt", rr::SortDirection::kDesc), {}, pages_of(2))
                       .to_vector();
  EXPECT_EQ(ids(all), (std::vector<std::string>{"c", "b", "a"}));
  ASSERT_EQ(m.mock->request_count(), 3u);
  // The dropped record is excluded like the others, so it cannot come back.
  EXPECT_EQ(m.body(2)["filters"], Json::array({filter("id", "notIn", {"c", "b", "new", "a"})}));
}

TEST(SearchAll, RangeOrderSendsBetweenAndExcludesOnlyTheBoundaryIdsThenWalksTheEmptyOnes) {
  MockClient m;
  m.mock->enqueue_json(200, page({customer("a", "t", "Acme"), customer("b", "t", "Beta")}));
  m.mock->enqueue_json(200, page({customer("c", "t", "Beta")}));
  m.mock->enqueue_json(200, page({customer("z", "t", nullptr)}));
  auto request = by("name");
  request.filters.push_back({"city", rr::SearchOperator::kEquals, "Boston", "", ""});
  const auto all = m.client.customers().search_all(request, {}, pages_of(2)).to_vector();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(*all[3].id(), "z");
  ASSERT_EQ(m.mock->request_count(), 3u);
  const Json city = filter("city", "equals", "Boston");
  EXPECT_EQ(m.body(0)["filters"], Json::array({city, filter("name", "notEmpty")}));
  EXPECT_EQ(m.body(1)["filters"],
            Json::array({city, filter("name", "notEmpty"),
                         filter("name", "between", Json::array({"Beta", nullptr})),
                         filter("id", "notIn", {"b"})}));
  EXPECT_EQ(m.body(2)["filters"], Json::array({city, filter("name", "empty")}));
  EXPECT_EQ(m.body(2)["filtersOperator"], "and");
}

TEST(SearchAll, DescendingRangeBoundsFromAbove) {
  MockClient m;
  m.mock->enqueue_json(200, page({customer("b", "t", "Beta"), customer("a", "t", "Acme")}));
  m.mock->enqueue_json(200, page({}));
  m.mock->enqueue_json(200, page({}));
  auto range = m.client.objects().search_all(by("name", rr::SortDirection::kDesc), {}, pages_of(2));
  EXPECT_EQ(range.to_vector().size(), 2u);
  EXPECT_EQ(m.body(1)["filters"][1], filter("name", "between", Json::array({nullptr, "Acme"})));
}

TEST(SearchAll, RefusesAPageThatDoesNotAdvance) {
  MockClient m;
  // A server that ignores the paging filters answers the same full page for ever.
  m.mock->set_fallback([](const rr::HttpRequest&) {
    rr::HttpResponse r;
    r.status = 200;
    r.body =
        page({customer("a", "2026-01-01T00:00:00Z"), customer("b", "2026-01-01T00:00:00Z")}).dump();
    return r;
  });
  auto range = m.client.objects().search_all(by(""), {}, pages_of(2));
  auto it = range.begin();
  ++it;
  EXPECT_THROW(++it, rr::MalformedResponseError);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

TEST(SearchAll, RefusesRequestsItCannotPageBeforeSendingAnything) {
  MockClient m;
  auto two_or = by("");
  two_or.filters_operator = "or";
  two_or.filters.push_back({"city", rr::SearchOperator::kEquals, "a", "", ""});
  two_or.filters.push_back({"city", rr::SearchOperator::kEquals, "b", "", ""});
  EXPECT_THROW((void)m.client.objects().search_all(two_or), rr::InvalidArgumentError);
  EXPECT_THROW((void)m.client.objects().search_all(by("customer.name")), rr::InvalidArgumentError);
  EXPECT_THROW((void)m.client.objects().search_all(by("name", rr::SortDirection("DESC"))),
               rr::InvalidArgumentError);
  EXPECT_THROW((void)m.client.objects().search_all(by(""), {}, pages_of(0)),
               rr::InvalidArgumentError);
  auto other = by("");
  other.object_key = "order";
  EXPECT_THROW((void)m.client.customers().search_all(other), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(SearchAll, APagingStrategyCanBeReplaced) {
  // A stand-in for a server-side pagination: asks for page numbers in a custom field.
  class Numbered : public rr::SearchPaging {
   public:
    explicit Numbered(rr::SearchRequest r) : base_(std::move(r)) {}
    std::optional<rr::SearchRequest> next_request() override {
      if (done_)
        return std::nullopt;
      rr::SearchRequest r = base_;
      r.timezone = "page-" + std::to_string(++page_);
      return r;
    }
    std::vector<Json> accept(rr::SearchResult result) override {
      done_ = !result.has_more;
      return std::move(result.results);
    }

   private:
    rr::SearchRequest base_;
    int page_ = 0;
    bool done_ = false;
  };
  MockClient m;
  m.mock->enqueue_json(200, page({customer("a", "t")}, 2));
  m.mock->enqueue_json(200, page({customer("b", "t")}, 1));
  rr::SearchAllOptions all;
  all.paging = [](const rr::SearchRequest& r, int) { return std::make_unique<Numbered>(r); };
  EXPECT_EQ(ids(m.client.objects().search_all(by(""), {}, all).to_vector()),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.body(1)["timezone"], "page-2");
}

TEST(Search, SaysWhenMoreRecordsMatchThanItReturned) {
  MockClient m;
  std::vector<Json> hundred;
  for (int i = 0; i < 100; ++i)
    hundred.push_back(customer("id" + std::to_string(i), "t"));
  Json body = page(hundred);
  body["total"] = 250.0;
  m.mock->enqueue_json(200, body);
  m.mock->enqueue_json(200, page({customer("a", "t")}, 1));
  const rr::SearchResult first = m.client.objects().search(by(""));
  EXPECT_EQ(first.total, 250);
  EXPECT_TRUE(first.has_more);
  const auto second = m.client.customers().search(by(""));
  EXPECT_EQ(second.total, 1);
  EXPECT_FALSE(second.has_more);
}

TEST(SearchOperator, CarriesUnknownValuesThroughAndKnowsTheDocumentedOnes) {
  EXPECT_TRUE(rr::SearchOperator(rr::SearchOperator::kHasSome).is_known());
  EXPECT_FALSE(rr::SearchOperator("contain").is_known());
  EXPECT_TRUE(rr::SortDirection(rr::SortDirection::kDesc).is_known());
  EXPECT_FALSE(rr::SortDirection("DESC").is_known());
  MockClient m;
  m.mock->enqueue_json(200, page({}));
  auto request = by("name");
  request.filters.push_back({"name", rr::SearchOperator("newOperator"), "x", "", ""});
  (void)m.client.objects().search(request);
  EXPECT_EQ(m.body(0)["filters"][0]["operator"], "newOperator");
}

TEST(Events, ListRangeRefusesAServerThatIgnoresTheBookmark) {
  MockClient m;
  m.mock->set_fallback([](const rr::HttpRequest&) {
    rr::HttpResponse r;
    r.status = 200;
    r.body = Json{{"total", 10}, {"results", {{{"id", "e1"}}, {{"id", "e2"}}}}}.dump();
    return r;
  });
  auto q = rr::EventQuery::for_record("o1", "order");
  q.limit = 2;
  EXPECT_THROW((void)m.client.events().list_all(q), rr::MalformedResponseError);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

TEST(Events, ListRangeIsLazy) {
  MockClient m;
  m.mock->enqueue_json(200, {{"results", {{{"id", "e1"}}, {{"id", "e2"}}}}});
  m.mock->enqueue_json(200, {{"results", {{{"id", "e3"}}}}});
  auto q = rr::EventQuery::for_record("o1", "order");
  q.limit = 2;
  auto range = m.client.events().list_range(q);
  EXPECT_EQ(m.mock->request_count(), 0u);
  std::vector<std::string> seen;
  for (const rr::Event& e : range) {
    seen.push_back(e.id);
    EXPECT_EQ(m.mock->request_count(), e.id == "e3" ? 2u : 1u);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"e1", "e2", "e3"}));
}

TEST(UserGroupsAndBoards, RangesFetchPageByPage) {
  MockClient m;
  m.mock->enqueue_json(200, {{"total", 3}, {"results", {{{"id", "g1"}}, {{"id", "g2"}}}}});
  m.mock->enqueue_json(200, {{"total", 3}, {"results", {{{"id", "g3"}}}}});
  auto groups = m.client.user_groups().search_range({}, 2);
  auto it = groups.begin();
  EXPECT_EQ(it->id, "g1");
  EXPECT_EQ(m.mock->request_count(), 1u);
  int n = 1;
  for (++it; it != groups.end(); ++it)
    ++n;
  EXPECT_EQ(n, 3);
  m.mock->enqueue_json(200, Json::array({{{"id", "b1"}}}));
  auto boards = m.client.boards().list_range({}, 2);
  EXPECT_EQ(m.mock->request_count(), 2u);
  EXPECT_EQ(boards.to_vector().size(), 1u);
}
