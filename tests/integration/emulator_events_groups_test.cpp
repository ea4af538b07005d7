// The emulator's record events (recorded on create and change, listed, paged, added) and user
// groups (create, list, members with remove winning, search, errors).

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

const std::string kUserA = "11111111-1111-4111-8111-111111111111";
const std::string kUserB = "22222222-2222-4222-8222-222222222222";
const std::string kUserC = "33333333-3333-4333-8333-333333333333";

class EventsTest : public EmulatorTest {
 public:
  void SetUp() override {
    EmulatorTest::SetUp();
    record_ = create("customer", {{"name", "A"}});
    id_ = record_["id"];
    for (const char* name : {"B", "C", "D"}) {
      api("PUT", "/objects/" + id_, {{"objectKey", "customer"}, {"json", {{"name", name}}}});
    }
  }

  Reply events(const std::string& extra = "") {
    return api("GET", "/events?recordId=" + id_ + "&objectKey=customer" + extra);
  }

  Json record_;
  std::string id_;
};

TEST_F(EventsTest, CreateAndEveryChangeAreRecorded) {
  Reply r = events();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["total"], 4);
  ASSERT_EQ(r.json["results"].size(), 4u);
  const Json& first = r.json["results"][0];
  EXPECT_EQ(first["type"], "create");
  EXPECT_EQ(first["refId"], id_);
  EXPECT_EQ(first["objectKey"], "customer");
  EXPECT_EQ(first["ownerId"], rr_emulator::kDemoUserId);
  EXPECT_EQ(first["orgId"], rr_emulator::kDemoOrgId);
  EXPECT_EQ(first["json"]["name"], "A");
  const Json& second = r.json["results"][1];
  EXPECT_EQ(second["type"], "mutate");
  EXPECT_EQ(second["json"]["changes"]["name"], (Json{{"from", "A"}, {"to", "B"}}));
  EXPECT_EQ(second["json"]["version"], 2);
}

TEST_F(EventsTest, RecordIdAndObjectKeyAreRequired) {
  Reply r = api("GET", "/events?objectKey=customer");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "recordId"));
  EXPECT_EQ(api("GET", "/events?recordId=" + id_).status, 400);
}

TEST_F(EventsTest, FilterByType) {
  EXPECT_EQ(events("&type=create").json["total"], 1);
  EXPECT_EQ(events("&type=mutate").json["total"], 3);
  EXPECT_EQ(events("&type=bogus").status, 400);
}

TEST_F(EventsTest, FilterByInTypesAndNotInTypes) {
  EXPECT_EQ(events("&inTypes=create,internal").json["total"], 1);
  EXPECT_EQ(events("&inTypes=create&inTypes=mutate").json["total"], 4);
  EXPECT_EQ(events("&notInTypes=create").json["total"], 3);
}

TEST_F(EventsTest, FilterByUserId) {
  EXPECT_EQ(events("&userId=" + std::string(rr_emulator::kDemoUserId)).json["total"], 4);
  EXPECT_EQ(events("&userId=" + kUserA).json["total"], 0);
}

TEST_F(EventsTest, OrderDescending) {
  Reply r = events("&orderBy=createdAt&orderByDirection=desc");
  EXPECT_EQ(r.json["results"][0]["json"]["changes"]["name"]["to"], "D");
  EXPECT_EQ(r.json["results"][3]["type"], "create");
}

TEST_F(EventsTest, LimitAbove200Is400) {
  EXPECT_EQ(events("&limit=201").status, 400);
  EXPECT_EQ(events("&limit=200").status, 200);
}

TEST_F(EventsTest, OffsetPaging) {
  Reply r = events("&limit=2&offset=2");
  EXPECT_EQ(r.json["total"], 4);
  ASSERT_EQ(r.json["results"].size(), 2u);
  EXPECT_EQ(r.json["results"][0]["json"]["changes"]["name"]["to"], "C");
  EXPECT_TRUE(r.json["bookmark"].is_null());
}

TEST_F(EventsTest, BookmarkPaging) {
  Reply page1 = events("&limit=3");
  ASSERT_EQ(page1.json["results"].size(), 3u);
  ASSERT_TRUE(page1.json["bookmark"].is_string());
  Reply page2 = events("&limit=3&bookmark=" + page1.json["bookmark"].get<std::string>());
  ASSERT_EQ(page2.json["results"].size(), 1u);
  EXPECT_EQ(page2.json["results"][0]["json"]["changes"]["name"]["to"], "D");
  EXPECT_TRUE(page2.json["bookmark"].is_null());
  EXPECT_EQ(events("&bookmark=00000000-0000-4000-8000-000000000000").status, 400);
}

TEST_F(EventsTest, PostEventAddsOne) {
  Reply r = api("POST", "/events",
                {{"recordId", id_},
                 {"boardId", board_of("customer")},
                 {"type", "internal"},
                 {"json", {{"note", "called the customer"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["type"], "internal");
  EXPECT_EQ(r.json["refId"], id_);
  Reply listed = events("&type=internal");
  ASSERT_EQ(listed.json["total"], 1);
  EXPECT_EQ(listed.json["results"][0]["json"]["note"], "called the customer");
}

TEST_F(EventsTest, PostEventValidates) {
  EXPECT_EQ(api("POST", "/events", {{"recordId", id_}}).status, 400);
  EXPECT_EQ(api("POST", "/events",
                {{"recordId", id_}, {"boardId", "b"}, {"type", "nope"}, {"json", Json::object()}})
                .status,
            400);
  EXPECT_EQ(api("POST", "/events",
                {{"recordId", "00000000-0000-4000-8000-000000000000"},
                 {"boardId", "b"},
                 {"type", "internal"},
                 {"json", Json::object()}})
                .status,
            404);
}

using UserGroupsTest = EmulatorTest;

TEST_F(UserGroupsTest, CreateAndList) {
  Reply created =
      api("POST", "/userGroups", {{"name", "Dispatch"}, {"description", "dispatchers"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json["name"], "Dispatch");
  EXPECT_EQ(created.json["type"], "local");
  EXPECT_EQ(created.json["description"], "dispatchers");
  Reply listed = api("GET", "/userGroups");
  ASSERT_EQ(listed.json.size(), 1u);
  EXPECT_EQ(listed.json[0], created.json);
}

TEST_F(UserGroupsTest, DuplicateNameIs409) {
  api("POST", "/userGroups", {{"name", "Dispatch"}});
  Reply r = api("POST", "/userGroups", {{"name", "Dispatch"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json["error"], "Conflict");
}

TEST_F(UserGroupsTest, EmptyNameIs400WithMessageArray) {
  Reply r = api("POST", "/userGroups", {{"name", ""}});
  EXPECT_EQ(r.status, 400);
  ASSERT_TRUE(r.json["message"].is_array());
  EXPECT_TRUE(message_mentions(r.json, "name should not be empty"));
  EXPECT_EQ(api("POST", "/userGroups", Json::object()).status, 400);
}

TEST_F(UserGroupsTest, MembersAddAndRemoveWithRemoveWinning) {
  const std::string id = api("POST", "/userGroups", {{"name", "Ops"}}).json["id"];
  const std::string path = "/userGroups/" + id + "/members";
  Reply first = api("POST", path, {{"add", {kUserA, kUserB, kUserC}}, {"remove", {kUserC}}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json, (Json{{"added", 2}, {"removed", 0}}));
  Reply second = api("POST", path, {{"add", {kUserA}}, {"remove", {kUserB}}});
  EXPECT_EQ(second.json, (Json{{"added", 0}, {"removed", 1}}));
  Reply members = api("GET", path);
  ASSERT_EQ(members.status, 200);
  ASSERT_EQ(members.json["members"].size(), 1u);
  EXPECT_EQ(members.json["members"][0]["id"], kUserA);
  EXPECT_TRUE(members.json["members"][0]["addedAt"].is_string());
}

TEST_F(UserGroupsTest, UnknownGroupIs404) {
  const std::string path = "/userGroups/00000000-0000-4000-8000-000000000000/members";
  Reply r = api("GET", path);
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(message_mentions(r.json, "not found"));
  EXPECT_EQ(api("POST", path, {{"add", {kUserA}}}).status, 404);
}

TEST_F(UserGroupsTest, MemberIdsMustBeUuids) {
  const std::string id = api("POST", "/userGroups", {{"name", "Ops"}}).json["id"];
  EXPECT_EQ(api("POST", "/userGroups/" + id + "/members", {{"add", {"bob"}}}).status, 400);
}

TEST_F(UserGroupsTest, SearchByNameIdsLimitOffset) {
  std::vector<std::string> ids;
  for (const char* name : {"Dispatch East", "Dispatch West", "Billing"}) {
    ids.push_back(api("POST", "/userGroups", {{"name", name}}).json["id"]);
  }
  Reply by_name = api("POST", "/userGroups/search", {{"name", "dispatch"}});
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  EXPECT_EQ(by_name.json["total"], 2);
  Reply by_ids = api("POST", "/userGroups/search", {{"ids", {ids[2]}}});
  ASSERT_EQ(by_ids.json["results"].size(), 1u);
  EXPECT_EQ(by_ids.json["results"][0]["name"], "Billing");
  Reply paged = api("POST", "/userGroups/search", {{"limit", 1}, {"offset", 1}});
  EXPECT_EQ(paged.json["total"], 3);
  ASSERT_EQ(paged.json["results"].size(), 1u);
  EXPECT_EQ(paged.json["results"][0]["name"], "Dispatch West");
}

}  // namespace
}  // namespace rr_emulator_test
