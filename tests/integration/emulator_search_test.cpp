// The emulator's search (every filter operator, and/or, ordering, limit, paths) and boards.

#include <set>

#include "emulator_fixture.hpp"
#include "roserocket/model/catalog.hpp"

namespace rr_emulator_test {
namespace {

class SearchTest : public EmulatorTest {
 public:
  void SetUp() override {
    EmulatorTest::SetUp();
    Json acme_tags = Json::array({{{"name", "gold"}}, {{"name", "west"}}});
    acme_ = create("customer", {{"name", "Acme Freight"},
                                {"city", "Toronto"},
                                {"rank", 3},
                                {"labels", {"a", "b"}},
                                {"tags", acme_tags}});
    create("customer", {{"name", "Beta Logistics"},
                        {"city", "Boston"},
                        {"rank", 1},
                        {"labels", {"b"}},
                        {"status", "inactive"}});
    create("customer", {{"name", "Gamma Carriers"}, {"city", ""}, {"rank", 2}, {"labels", {"c"}}});
    create("order", {{"customer", {{"id", acme_["id"]}}}});
    board_ = board_of("customer");
  }

  /// @brief The names found by a search with @p filters (and extra body fields).
  std::vector<std::string> names(const Json& filters, Json extra = Json::object()) {
    Json body = {{"boardId", board_},     {"timezone", "America/Toronto"}, {"filters", filters},
                 {"orderByPath", "name"}, {"orderByDirection", "asc"},     {"limit", 50}};
    body.update(extra);
    Reply r = api("POST", "/objects/search", body);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    for (const auto& rec : r.json["results"])
      out.push_back(rec.value("name", std::string()));
    return out;
  }

  static Json filter(const std::string& path, const std::string& op, const Json& value) {
    return Json::array({{{"filterKey", path},
                         {"path", path},
                         {"operator", op},
                         {"value", value},
                         {"fieldType", "string"}}});
  }

  Json acme_;
  std::string board_;
};

using Names = std::vector<std::string>;

TEST_F(SearchTest, NoFiltersReturnsEveryRecordOfTheBoardsObjectKey) {
  Reply r = api("POST", "/objects/search", {{"boardId", board_}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["total"], 3);
  EXPECT_EQ(r.json["results"].size(), 3u);
}

TEST_F(SearchTest, Equals) {
  EXPECT_EQ(names(filter("city", "equals", "Boston")), Names{"Beta Logistics"});
}

TEST_F(SearchTest, NotEquals) {
  EXPECT_EQ(names(filter("city", "notEquals", "Boston")),
            (Names{"Acme Freight", "Gamma Carriers"}));
}

TEST_F(SearchTest, In) {
  EXPECT_EQ(names(filter("rank", "in", {1, 2})), (Names{"Beta Logistics", "Gamma Carriers"}));
}

TEST_F(SearchTest, NotIn) {
  EXPECT_EQ(names(filter("rank", "notIn", {1, 2})), Names{"Acme Freight"});
}

TEST_F(SearchTest, ContainsIgnoresCase) {
  EXPECT_EQ(names(filter("name", "contains", "LOGIST")), Names{"Beta Logistics"});
}

TEST_F(SearchTest, StartsWith) {
  EXPECT_EQ(names(filter("name", "startsWith", "gam")), Names{"Gamma Carriers"});
}

TEST_F(SearchTest, EndsWith) {
  EXPECT_EQ(names(filter("name", "endsWith", "freight")), Names{"Acme Freight"});
}

TEST_F(SearchTest, HasEvery) {
  EXPECT_EQ(names(filter("labels", "hasEvery", {"a", "b"})), Names{"Acme Freight"});
}

TEST_F(SearchTest, HasSome) {
  EXPECT_EQ(names(filter("labels", "hasSome", {"a", "c"})),
            (Names{"Acme Freight", "Gamma Carriers"}));
}

TEST_F(SearchTest, Empty) {
  EXPECT_EQ(names(filter("city", "empty", nullptr)), Names{"Gamma Carriers"});
}

TEST_F(SearchTest, NotEmpty) {
  EXPECT_EQ(names(filter("city", "notEmpty", nullptr)), (Names{"Acme Freight", "Beta Logistics"}));
}

TEST_F(SearchTest, FreeTextSearchesEveryTextField) {
  EXPECT_EQ(names(filter("", "freeText", "toronto")), Names{"Acme Freight"});
  EXPECT_EQ(names(filter("", "freeText", "CUST-2")), Names{"Beta Logistics"});
}

TEST_F(SearchTest, BetweenIsInclusive) {
  EXPECT_EQ(names(filter("rank", "between", {2, 3})), (Names{"Acme Freight", "Gamma Carriers"}));
  EXPECT_EQ(names(filter("rank", "between", {nullptr, 1})), Names{"Beta Logistics"});
}

TEST_F(SearchTest, FiltersCombineWithAnd) {
  Json filters = filter("labels", "hasSome", {"b"});
  // A select field wants `in` (`equals` answers 500, as on live servers).
  filters.push_back(filter("status", "in", {"active"})[0]);
  EXPECT_EQ(names(filters), Names{"Acme Freight"});
}

TEST_F(SearchTest, FiltersCombineWithOr) {
  Json filters = filter("city", "equals", "Boston");
  filters.push_back(filter("rank", "equals", 2)[0]);
  EXPECT_EQ(names(filters, {{"filtersOperator", "or"}}),
            (Names{"Beta Logistics", "Gamma Carriers"}));
}

TEST_F(SearchTest, DotPathFiltersFollowConnections) {
  EXPECT_EQ(names(filter("tags.name", "equals", "west")), Names{"Acme Freight"});
  Json f = filter("customer.name", "equals", "Acme Freight");
  Reply r = api("POST", "/objects/search", {{"boardId", board_of("order")}, {"filters", f}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["total"], 1);
}

TEST_F(SearchTest, OrderByPathAndDirection) {
  EXPECT_EQ(names(Json::array(), {{"orderByPath", "rank"}, {"orderByDirection", "desc"}}),
            (Names{"Acme Freight", "Gamma Carriers", "Beta Logistics"}));
}

TEST_F(SearchTest, LimitCutsResultsButNotTotal) {
  Reply r = api("POST", "/objects/search", {{"boardId", board_}, {"limit", 2}});
  EXPECT_EQ(r.json["total"], 3);
  EXPECT_EQ(r.json["results"].size(), 2u);
}

TEST_F(SearchTest, PathsExpandConnectionsInResults) {
  Reply r = api("POST", "/objects/search",
                {{"boardId", board_},
                 {"filters", filter("name", "equals", "Acme Freight")},
                 {"paths", {"tags"}}});
  ASSERT_EQ(r.json["results"].size(), 1u);
  EXPECT_EQ(r.json["results"][0]["tags"].size(), 2u);
}

TEST_F(SearchTest, MissingOrMalformedBoardIdIs400) {
  EXPECT_EQ(api("POST", "/objects/search", {{"filters", Json::array()}}).status, 400);
  EXPECT_EQ(api("POST", "/objects/search", {{"boardId", "customer"}}).status, 400);
}

TEST_F(SearchTest, UnknownBoardIs404) {
  EXPECT_EQ(
      api("POST", "/objects/search", {{"boardId", "00000000-0000-4000-8000-000000000000"}}).status,
      404);
}

TEST_F(SearchTest, ObjectKeyMustAgreeWithTheBoard) {
  EXPECT_EQ(api("POST", "/objects/search", {{"boardId", board_}, {"objectKey", "order"}}).status,
            400);
  EXPECT_EQ(api("POST", "/objects/search", {{"boardId", board_}, {"objectKey", "customer"}}).status,
            200);
}

TEST_F(SearchTest, UnknownOperatorIs400) {
  Reply r = api("POST", "/objects/search",
                {{"boardId", board_}, {"filters", filter("name", "like", "x")}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "operator"));
}

TEST_F(SearchTest, BadFilterValueIs400) {
  EXPECT_EQ(
      api("POST", "/objects/search", {{"boardId", board_}, {"filters", filter("rank", "in", 1)}})
          .status,
      400);
  EXPECT_EQ(
      api("POST", "/objects/search", {{"boardId", board_}, {"filtersOperator", "xor"}}).status,
      400);
}

using BoardsTest = EmulatorTest;

TEST_F(BoardsTest, OneBoardPerCatalogObject) {
  Reply r = api("GET", "/boards/nav");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json.size(), roserocket::model::objects().size());
  std::set<std::string> ids;
  for (const auto& b : r.json) {
    EXPECT_TRUE(b["id"].is_string());
    EXPECT_TRUE(b["name"].is_string());
    EXPECT_TRUE(b.contains("icon"));
    EXPECT_TRUE(b["createdAt"].is_string());
    EXPECT_EQ(b["isExternal"], false);
    ids.insert(b["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), r.json.size());
}

TEST_F(BoardsTest, CustomObjectGetsABoardOnceItHasRecords) {
  const auto before = api("GET", "/boards/nav").json.size();
  create("load__c", Json::object());
  Reply r = api("GET", "/boards/nav");
  ASSERT_EQ(r.json.size(), before + 1);
  EXPECT_EQ(r.json.back()["objectKey"], "load__c");
  Reply found = api("POST", "/objects/search", {{"boardId", r.json.back()["id"]}});
  EXPECT_EQ(found.json["total"], 1);
}

TEST_F(BoardsTest, BoardIdsAreStableAcrossEmulators) {
  const std::string first = board_of("order");
  rr_emulator::Emulator other;
  other.start();
  httplib::Client c("127.0.0.1", other.port());
  auto token = Json::parse(c.Post("/oauth/token",
                                  "grant_type=client_credentials&client_id=demo-client-id&"
                                  "client_secret=demo-client-secret",
                                  "application/x-www-form-urlencoded")
                               ->body)["access_token"]
                   .get<std::string>();
  auto boards = Json::parse(
      c.Get((kApi + "/boards/nav").c_str(), {{"Authorization", "Bearer " + token}})->body);
  std::string second;
  for (const auto& b : boards) {
    if (b["objectKey"] == "order")
      second = b["id"];
  }
  other.stop();
  EXPECT_EQ(first, second);
}

TEST_F(BoardsTest, FilterByObjectKey) {
  Reply r = api("GET", "/boards/nav?objectKey=invoice");
  ASSERT_EQ(r.json.size(), 1u);
  EXPECT_EQ(r.json[0]["objectKey"], "invoice");
}

}  // namespace
}  // namespace rr_emulator_test
