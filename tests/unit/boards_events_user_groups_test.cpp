// Boards, Events and UserGroups against the mock transport: exact requests, paging, retries.

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace rr = roserocket;
using rr::HttpMethod;
using rr::model::EventType;
using rr::model::Json;
using rr_test::kBase;
using rr_test::MockClient;

namespace {

Json board(const std::string& id, const std::string& key) {
  return {{"id", id},
          {"name", "Board " + id},
          {"icon", nullptr},
          {"objectKey", key},
          {"createdAt", "2024-01-01T00:00:00Z"},
          {"isExternal", false},
          {"color__c", "red"}};
}

Json event(const std::string& id) {
  return {{"id", id},
          {"type", "mutate"},
          {"refId", "o1"},
          {"ownerId", "u1"},
          {"createdAt", "2024-01-01T00:00:00Z"},
          {"json", {{"field", "status"}}}};
}

Json group(const std::string& id) {
  return {{"id", id}, {"name", "Dispatch " + id}, {"type", "local"}};
}

}  // namespace

TEST(Boards, ListSendsFiltersAsQueryAndReadsBoards) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array({board("b1", "order"), board("b2", "customer")}));
  rr::BoardQuery query;
  query.object_key = "order";
  query.order_by_direction = rr::SortDirection::kAsc;
  query.offset = 0;
  query.limit = 50;
  auto boards = m.client.boards().list(query);
  EXPECT_EQ(m.method(0), HttpMethod::kGet);
  EXPECT_EQ(m.url(0), kBase + "/boards/nav?objectKey=order&orderByDirection=asc&offset=0&limit=50");
  EXPECT_TRUE(m.mock->requests().at(0).body.empty());
  ASSERT_EQ(boards.size(), 2u);
  EXPECT_EQ(boards[0].id, "b1");
  EXPECT_EQ(boards[0].object_key, "order");
  EXPECT_FALSE(boards[0].icon.has_value());
  EXPECT_EQ(boards[0].json["color__c"], "red");
}

TEST(Boards, ListWithoutFiltersHasNoQuery) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array());
  EXPECT_TRUE(m.client.boards().list().empty());
  EXPECT_EQ(m.url(0), kBase + "/boards/nav");
}

TEST(Boards, ListAllPagesByOffsetUntilAShortPage) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array({board("b1", "order"), board("b2", "order")}));
  m.mock->enqueue_json(200, Json::array({board("b3", "order")}));
  auto all = m.client.boards().list_all({}, 2);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].id, "b3");
  EXPECT_EQ(m.url(0), kBase + "/boards/nav?offset=0&limit=2");
  EXPECT_EQ(m.url(1), kBase + "/boards/nav?offset=2&limit=2");
}

TEST(Boards, ListAllStopsWhenTheServerIgnoresOffset) {
  MockClient m;
  m.mock->set_fallback([](const rr::HttpRequest&) {
    return rr::HttpResponse{
        200, {}, Json::array({board("b1", "order"), board("b2", "order")}).dump()};
  });
  EXPECT_EQ(m.client.boards().list_all({}, 2).size(), 2u);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

TEST(Boards, FirstForFindsTheBoardOfAnObject) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array({board("b1", "customer"), board("b2", "order")}));
  auto found = m.client.boards().first_for("order");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "b2");
  EXPECT_EQ(m.url(0), kBase + "/boards/nav?objectKey=order");
}

TEST(Boards, BadInputIsRefusedAndAMalformedAnswerReported) {
  MockClient m;
  rr::BoardQuery bad;
  bad.limit = 0;
  EXPECT_THROW((void)m.client.boards().list(bad), rr::InvalidArgumentError);
  EXPECT_THROW((void)m.client.boards().list_all({}, 0), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
  m.mock->enqueue_json(200, {{"results", Json::array()}});
  EXPECT_THROW((void)m.client.boards().list(), rr::MalformedResponseError);
}

TEST(Events, ListSendsEveryFilter) {
  MockClient m;
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {event("e1")}}});
  rr::EventQuery q;
  q.record_id = "o1";
  q.object_key = "order";
  q.board_id = "b1";
  q.type = EventType::kMutate;
  q.in_types = {EventType::kCreate, EventType::kMutate};
  q.not_in_types = {EventType::kWidgetOpen};
  q.user_id = "u1";
  q.order_by = "createdAt";
  q.order_by_direction = rr::SortDirection::kDesc;
  q.limit = 50;
  q.offset = 10;
  q.bookmark = "e0";
  auto page = m.client.events().list(q);
  EXPECT_EQ(m.method(0), HttpMethod::kGet);
  EXPECT_EQ(m.url(0), kBase +
                          "/events?recordId=o1&objectKey=order&boardId=b1&type=mutate"
                          "&inTypes=create&inTypes=mutate&notInTypes=widget-open&userId=u1"
                          "&orderBy=createdAt&orderByDirection=desc&limit=50&offset=10"
                          "&bookmark=e0");
  EXPECT_EQ(page.total, 1);
  ASSERT_EQ(page.results.size(), 1u);
  EXPECT_EQ(page.results[0].type, EventType::kMutate);
  EXPECT_EQ(page.results[0].ref_id, "o1");
  EXPECT_EQ(page.results[0].data, (Json{{"field", "status"}}));
}

TEST(Events, UnknownEventTypesAreKept) {
  MockClient m;
  Json e = event("e1");
  e["type"] = "archive";
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {e}}});
  auto page = m.client.events().list(rr::EventQuery::for_record("o1", "order"));
  EXPECT_EQ(page.results[0].type.value(), "archive");
  EXPECT_FALSE(page.results[0].type.is_known());
}

TEST(Events, ListRefusesBadQueriesBeforeSending) {
  MockClient m;
  EXPECT_THROW((void)m.client.events().list(rr::EventQuery::for_record("", "order")),
               rr::InvalidArgumentError);
  EXPECT_THROW((void)m.client.events().list(rr::EventQuery::for_record("o1", "")),
               rr::InvalidArgumentError);
  auto q = rr::EventQuery::for_record("o1", "order");
  q.limit = 201;
  EXPECT_THROW((void)m.client.events().list(q), rr::InvalidArgumentError);
  q.limit = 10;
  q.offset = -1;
  EXPECT_THROW((void)m.client.events().list(q), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(Events, ListAllPinsTheFirstEventAsBookmarkAndAdvancesTheOffset) {
  MockClient m;
  m.mock->enqueue_json(200, {{"total", 5}, {"results", {event("e1"), event("e2")}}});
  m.mock->enqueue_json(200, {{"total", 5}, {"results", {event("e3"), event("e4")}}});
  m.mock->enqueue_json(200, {{"total", 5}, {"results", {event("e5")}}});
  auto q = rr::EventQuery::for_record("o1", "order");
  q.limit = 2;
  auto all = m.client.events().list_all(q);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[4].id, "e5");
  const std::string base = kBase + "/events?recordId=o1&objectKey=order&limit=2";
  EXPECT_EQ(m.url(0), base);
  EXPECT_EQ(m.url(1), base + "&offset=2&bookmark=e1");
  EXPECT_EQ(m.url(2), base + "&offset=4&bookmark=e1");
}

TEST(Events, ListAllStopsOnAnEmptyPage) {
  MockClient m;
  m.mock->enqueue_json(200, {{"total", 2}, {"results", {event("e1"), event("e2")}}});
  m.mock->enqueue_json(200, {{"total", 2}, {"results", Json::array()}});
  auto q = rr::EventQuery::for_record("o1", "order");
  q.limit = 2;
  EXPECT_EQ(m.client.events().list_all(q).size(), 2u);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

TEST(Events, CreatePostsTheEventAndIsNotRetried) {
  MockClient m(rr::RetryPolicy{});
  m.mock->enqueue_json(200, event("e9"));
  rr::NewEvent e{"o1", "b1", EventType::kInternal, {{"note", "synced"}}};
  EXPECT_EQ(m.client.events().create(e).id, "e9");
  EXPECT_EQ(m.method(0), HttpMethod::kPost);
  EXPECT_EQ(m.url(0), kBase + "/events");
  EXPECT_EQ(m.body(0), (Json{{"recordId", "o1"},
                             {"boardId", "b1"},
                             {"type", "internal"},
                             {"json", {{"note", "synced"}}}}));
  m.mock->enqueue_json(500, {{"message", "boom"}});
  EXPECT_THROW(m.client.events().create(e), rr::ServerError);
  EXPECT_EQ(m.mock->request_count(), 2u);  // one attempt only
  EXPECT_THROW(m.client.events().create({"o1", "", EventType::kInternal, {}}),
               rr::InvalidArgumentError);
  EXPECT_THROW(m.client.events().create({"o1", "b1", EventType::kInternal, Json::array()}),
               rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

TEST(UserGroups, ListReadsGroups) {
  MockClient m;
  m.mock->enqueue_json(200, Json::array({group("g1"), group("g2")}));
  auto groups = m.client.user_groups().list();
  EXPECT_EQ(m.method(0), HttpMethod::kGet);
  EXPECT_EQ(m.url(0), kBase + "/userGroups");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].name, "Dispatch g2");
  EXPECT_EQ(groups[1].type, rr::model::UserGroupType::kLocal);
}

TEST(UserGroups, CreatePostsNameAndDescriptionAndIsNotRetried) {
  MockClient m(rr::RetryPolicy{});
  m.mock->enqueue_json(200, group("g1"));
  auto created = m.client.user_groups().create("Dispatch", std::string("night shift"));
  EXPECT_EQ(created.id, "g1");
  EXPECT_EQ(m.method(0), HttpMethod::kPost);
  EXPECT_EQ(m.url(0), kBase + "/userGroups");
  EXPECT_EQ(m.body(0), (Json{{"name", "Dispatch"}, {"description", "night shift"}}));
  m.mock->enqueue_json(409, {{"statusCode", 409}, {"message", "Group name is already in use."}});
  EXPECT_THROW(m.client.user_groups().create("Dispatch"), rr::ConflictError);
  EXPECT_EQ(m.body(1), (Json{{"name", "Dispatch"}}));
  m.mock->enqueue_json(500, {{"message", "boom"}});
  EXPECT_THROW(m.client.user_groups().create("Other"), rr::ServerError);
  EXPECT_EQ(m.mock->request_count(), 3u);
  EXPECT_THROW(m.client.user_groups().create(""), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 3u);
}

TEST(UserGroups, MembersListReadsMembers) {
  MockClient m;
  m.mock->enqueue_json(200,
                       {{"members",
                         {{{"id", "u1"}, {"addedAt", "2024-01-01T00:00:00Z"}, {"addedBy", "Ann"}},
                          {{"id", "u2"}}}}});
  auto members = m.client.user_groups().members("g 1");
  EXPECT_EQ(m.url(0), kBase + "/userGroups/g%201/members");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].added_by, "Ann");
  EXPECT_FALSE(members[1].added_at.has_value());
  m.mock->enqueue_json(200, {{"userIds", {"u3"}}});
  EXPECT_EQ(m.client.user_groups().members("g1").at(0).id, "u3");
  m.mock->enqueue_json(200, Json::array());
  EXPECT_THROW((void)m.client.user_groups().members("g1"), rr::MalformedResponseError);
}

TEST(UserGroups, AddAndRemoveMembersPostTheChangeAndAreRetried) {
  MockClient m(rr::RetryPolicy{});
  m.mock->enqueue_json(200, {{"added", 2}, {"removed", 0}});
  auto added = m.client.user_groups().add_members("g1", {"u1", "u2"});
  EXPECT_EQ(added.added, 2);
  EXPECT_EQ(m.method(0), HttpMethod::kPost);
  EXPECT_EQ(m.url(0), kBase + "/userGroups/g1/members");
  EXPECT_EQ(m.body(0), (Json{{"add", {"u1", "u2"}}}));

  m.mock->enqueue_json(503, {{"message", "busy"}});
  m.mock->enqueue_json(200, {{"added", 0}, {"removed", 1}});
  auto removed = m.client.user_groups().remove_members("g1", {"u1"});
  EXPECT_EQ(removed.removed, 1);
  EXPECT_EQ(m.body(2), (Json{{"remove", {"u1"}}}));
  EXPECT_EQ(m.mock->request_count(), 3u);  // the idempotent change was sent again

  m.mock->enqueue_json(200, {{"added", 1}, {"removed", 1}});
  m.client.user_groups().change_members("g1", {"u3"}, {"u3"});
  EXPECT_EQ(m.body(3), (Json{{"add", {"u3"}}, {"remove", {"u3"}}}));
  EXPECT_THROW(m.client.user_groups().change_members("g1", {}, {}), rr::InvalidArgumentError);
  EXPECT_THROW(m.client.user_groups().add_members("", {"u1"}), rr::InvalidArgumentError);
  EXPECT_THROW(m.client.user_groups().add_members("g1", {""}), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 4u);
}

TEST(UserGroups, SearchPostsTheQueryAndIsRetried) {
  MockClient m(rr::RetryPolicy{});
  m.mock->enqueue_json(500, {{"message", "boom"}});
  m.mock->enqueue_json(200, {{"total", 1}, {"results", {group("g1")}}});
  rr::UserGroupSearch q;
  q.name = "Dispatch";
  q.ids = {"g1"};
  q.limit = 10;
  q.offset = 0;
  auto page = m.client.user_groups().search(q);
  EXPECT_EQ(m.method(1), HttpMethod::kPost);
  EXPECT_EQ(m.url(1), kBase + "/userGroups/search");
  EXPECT_EQ(m.body(1), (Json{{"name", "Dispatch"}, {"ids", {"g1"}}, {"limit", 10}, {"offset", 0}}));
  EXPECT_EQ(page.total, 1);
  EXPECT_EQ(page.results.at(0).id, "g1");
}

TEST(UserGroups, SearchAllPagesByOffset) {
  MockClient m;
  m.mock->enqueue_json(200, {{"total", 3}, {"results", {group("g1"), group("g2")}}});
  m.mock->enqueue_json(200, {{"total", 3}, {"results", {group("g3")}}});
  auto all = m.client.user_groups().search_all({}, 2);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(m.body(0), (Json{{"limit", 2}, {"offset", 0}}));
  EXPECT_EQ(m.body(1), (Json{{"limit", 2}, {"offset", 2}}));
}

TEST(UserGroups, SearchAllStopsWhenTheServerIgnoresOffset) {
  MockClient m;
  // No total, full pages, and always the same page: without the repeat check this never ends.
  m.mock->set_fallback([](const rr::HttpRequest&) {
    return rr::HttpResponse{200, {}, Json{{"results", {group("g1"), group("g2")}}}.dump()};
  });
  EXPECT_EQ(m.client.user_groups().search_all({}, 2).size(), 2u);
  EXPECT_EQ(m.mock->request_count(), 2u);
}

TEST(UserGroups, SearchAllRefusesPageSizeBelowOne) {
  MockClient m;
  EXPECT_THROW((void)m.client.user_groups().search_all({}, 0), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(UserGroups, SearchAllStopsAtTheTotal) {
  MockClient m;
  m.mock->enqueue_json(200, {{"total", 2}, {"results", {group("g1"), group("g2")}}});
  EXPECT_EQ(m.client.user_groups().search_all({}, 2).size(), 2u);
  EXPECT_EQ(m.mock->request_count(), 1u);
  rr::UserGroupSearch bad;
  bad.limit = 0;
  EXPECT_THROW((void)m.client.user_groups().search(bad), rr::InvalidArgumentError);
}
