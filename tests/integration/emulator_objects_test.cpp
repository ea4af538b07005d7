// The emulator's record operations: create, both PATCH forms, get with paths, update, delete,
// the external-id forms, bulk delete, autocomplete, nested records, derived fields, and errors.

#include <regex>

#include "emulator_fixture.hpp"
#include "roserocket/model/catalog.hpp"

namespace rr_emulator_test {
namespace {

namespace model = roserocket::model;

const std::regex kUuidV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
const std::regex kIsoMillisZ(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");

using ObjectsTest = EmulatorTest;

Json money(long amount) {
  return {{"amount", amount}, {"currencyCode", "USD"}};
}

TEST_F(ObjectsTest, CreateReturnsServerWrittenFields) {
  Json rec = create("customer", {{"name", "ABC Produce Co"}});
  EXPECT_TRUE(std::regex_match(rec["id"].get<std::string>(), kUuidV4));
  EXPECT_EQ(rec["objectKey"], "customer");
  EXPECT_EQ(rec["orgId"], rr_emulator::kDemoOrgId);
  EXPECT_EQ(rec["fullId"], "CUST-1");
  EXPECT_EQ(rec["version"], 1);
  EXPECT_EQ(rec["source"], "manual");  // as the getting-started response shows
  EXPECT_TRUE(rec["externalId"].is_null());
  EXPECT_EQ(rec["status"], "active");
  EXPECT_TRUE(std::regex_match(rec["createdAt"].get<std::string>(), kIsoMillisZ));
  EXPECT_EQ(rec["createdAt"], rec["updatedAt"]);
  EXPECT_EQ(rec["createdBy"], rr_emulator::kDemoUserId);
  EXPECT_EQ(rec["updatedBy"], rr_emulator::kDemoUserId);
  EXPECT_EQ(rec["name"], "ABC Produce Co");
}

TEST_F(ObjectsTest, FullIdCountsPerObjectKeyWithCatalogPrefixes) {
  EXPECT_EQ(create("customer", {})["fullId"], "CUST-1");
  EXPECT_EQ(create("customer", {})["fullId"], "CUST-2");
  EXPECT_EQ(create("order", {})["fullId"], "O-1");
  for (const auto& spec : model::objects()) {
    if (spec.key == "customer" || spec.key == "order")
      continue;
    EXPECT_EQ(create(spec.key, {})["fullId"], spec.full_id_prefix + "-1") << spec.key;
  }
}

TEST_F(ObjectsTest, OrderStatusDefaultsToNew) {
  EXPECT_EQ(create("order", {})["status"], "new");
}

TEST_F(ObjectsTest, GetReturnsTheRecordAndIgnoresObjectKeyQuery) {
  Json rec = create("customer", {{"name", "A"}});
  Reply r = api("GET", "/objects/" + rec["id"].get<std::string>() +
                           "?objectKey=order&boardId=x&isDetailView=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json, rec);
}

TEST_F(ObjectsTest, PatchWithIdUpdatesAndBumpsVersion) {
  Json rec = create("customer", {{"name", "A"}, {"companyEmail", "a@example.com"}});
  Reply r = api("PATCH", "/objects",
                {{"id", rec["id"]}, {"objectKey", "customer"}, {"json", {{"name", "B"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["name"], "B");
  EXPECT_EQ(r.json["companyEmail"], "a@example.com");
  EXPECT_EQ(r.json["version"], 2);
  EXPECT_EQ(r.json["fullId"], rec["fullId"]);
}

TEST_F(ObjectsTest, PatchWithUnknownIdCreatesWithThatId) {
  const std::string id = "3d3acb3d-4aa0-443f-9793-0f9dd9547c4d";
  Reply r = api("PATCH", "/objects",
                {{"id", id}, {"objectKey", "customer"}, {"json", {{"name", "ABC Produce Co"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["id"], id);
  EXPECT_EQ(r.json["version"], 1);
  EXPECT_EQ(api("GET", "/objects/" + id).status, 200);
}

TEST_F(ObjectsTest, PatchWithExternalIdCreates201ThenUpdates200) {
  Json body = {{"objectKey", "customer"}, {"json", {{"externalId", "erp-1"}, {"name", "A"}}}};
  Reply created = api("PATCH", "/objects", body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["externalId"], "erp-1");
  body["json"]["name"] = "B";
  Reply updated = api("PATCH", "/objects", body);
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json["id"], created.json["id"]);
  EXPECT_EQ(updated.json["name"], "B");
  EXPECT_EQ(updated.json["version"], 2);
}

TEST_F(ObjectsTest, PatchWithNeitherIdNorExternalIdCreates200) {
  Reply r = api("PATCH", "/objects", {{"objectKey", "customer"}, {"json", {{"name", "A"}}}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["fullId"], "CUST-1");
}

TEST_F(ObjectsTest, PatchWithIdOfOtherObjectKeyIs400) {
  Json rec = create("customer", {});
  Reply r = api("PATCH", "/objects",
                {{"id", rec["id"]}, {"objectKey", "order"}, {"json", Json::object()}});
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(ObjectsTest, PutUpdatesOnlyTheGivenFields) {
  Json rec = create("customer", {{"name", "A"}, {"city", "Toronto"}});
  Reply r = api("PUT", "/objects/" + rec["id"].get<std::string>(),
                {{"objectKey", "customer"}, {"json", {{"name", "B"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["name"], "B");
  EXPECT_EQ(r.json["city"], "Toronto");
  EXPECT_EQ(r.json["version"], 2);
  EXPECT_NE(r.json["updatedAt"], nullptr);
}

TEST_F(ObjectsTest, UpdateWithoutChangesKeepsVersion) {
  Json rec = create("customer", {{"name", "A"}});
  Reply r = api("PUT", "/objects/" + rec["id"].get<std::string>(),
                {{"objectKey", "customer"}, {"json", {{"name", "A"}}}});
  EXPECT_EQ(r.json["version"], 1);
}

TEST_F(ObjectsTest, PutWithoutJsonIs400) {
  Json rec = create("customer", {});
  Reply r = api("PUT", "/objects/" + rec["id"].get<std::string>(), {{"objectKey", "customer"}});
  EXPECT_EQ(r.status, 400);
}

TEST_F(ObjectsTest, PutUnknownIdIs404) {
  Reply r = api("PUT", "/objects/00000000-0000-4000-8000-000000000000",
                {{"objectKey", "customer"}, {"json", Json::object()}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json["error"], "Not Found");
}

TEST_F(ObjectsTest, DeleteReturnsTheDeletedRecordThenGetIs404) {
  Json rec = create("customer", {{"name", "A"}});
  const std::string path = "/objects/" + rec["id"].get<std::string>();
  Reply r = api("DELETE", path + "?boardId=" + board_of("customer"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json, rec);
  Reply gone = api("GET", path);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.json["statusCode"], 404);
  EXPECT_EQ(api("DELETE", path).status, 404);
}

TEST_F(ObjectsTest, GetUnknownIdIs404WithNestJsBody) {
  Reply r = api("GET", "/objects/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json["error"], "Not Found");
  EXPECT_TRUE(r.json["message"].is_string());
}

TEST_F(ObjectsTest, UnknownRouteIs404) {
  Reply r = api("GET", "/nothing/here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json["statusCode"], 404);
  // PATCH on /objects/{id} does not exist on the platform either.
  EXPECT_EQ(api("PATCH", "/objects/00000000-0000-4000-8000-000000000000", Json::object()).status,
            404);
}

TEST_F(ObjectsTest, GetByExternalId) {
  api("PATCH", "/objects", {{"objectKey", "customer"}, {"json", {{"externalId", "e 1"}}}});
  Reply r = api("GET", "/objects/customer/e%201/external");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["externalId"], "e 1");
  EXPECT_EQ(api("GET", "/objects/customer/missing/external").status, 404);
  EXPECT_EQ(api("GET", "/objects/order/e%201/external").status, 404);
}

TEST_F(ObjectsTest, ExternalIdsAreDecodedOnce) {
  api("PATCH", "/objects", {{"objectKey", "customer"}, {"json", {{"externalId", "x%41"}}}});
  Reply r = api("GET", "/objects/customer/x%2541/external");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["externalId"], "x%41");
}

TEST_F(ObjectsTest, PatchByExternalIdCreatesThenUpdates) {
  Reply created = api("PATCH", "/objects/customer/erp-7/external",
                      {{"objectKey", "customer"}, {"json", {{"name", "A"}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json["externalId"], "erp-7");
  EXPECT_EQ(created.json["version"], 1);
  Reply updated = api("PATCH", "/objects/customer/erp-7/external",
                      {{"objectKey", "customer"}, {"json", {{"name", "B"}}}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json["id"], created.json["id"]);
  EXPECT_EQ(updated.json["version"], 2);
}

TEST_F(ObjectsTest, DeleteByExternalId) {
  api("PATCH", "/objects/customer/erp-8/external",
      {{"objectKey", "customer"}, {"json", Json::object()}});
  Reply r = api("DELETE", "/objects/customer/erp-8/external");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["externalId"], "erp-8");
  EXPECT_EQ(api("GET", "/objects/customer/erp-8/external").status, 404);
  EXPECT_EQ(api("DELETE", "/objects/customer/erp-8/external").status, 404);
}

// Lookups by external id go through an index: it must follow a changed externalId and deletes.
TEST_F(ObjectsTest, ExternalIdLookupFollowsRenamesAndDeletes) {
  Json rec = create("customer", {{"externalId", "before-1"}, {"name", "A"}});
  Reply renamed =
      api("PATCH", "/objects",
          {{"id", rec["id"]}, {"objectKey", "customer"}, {"json", {{"externalId", "after-1"}}}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(api("GET", "/objects/customer/before-1/external").status, 404);
  Reply got = api("GET", "/objects/customer/after-1/external");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json["id"], rec["id"]);

  Reply cleared =
      api("PATCH", "/objects",
          {{"id", rec["id"]}, {"objectKey", "customer"}, {"json", {{"externalId", nullptr}}}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(api("GET", "/objects/customer/after-1/external").status, 404);

  Json other = create("customer", {{"externalId", "bulk-1"}});
  Reply deleted =
      api("POST", "/objects/bulk_delete",
          {{"boardId", board_of("customer")}, {"objectKey", "customer"}, {"ids", {other["id"]}}});
  ASSERT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(api("GET", "/objects/customer/bulk-1/external").status, 404);
  // An upsert after the delete makes a new record rather than reviving the old one.
  Reply again = api("PATCH", "/objects/customer/bulk-1/external",
                    {{"objectKey", "customer"}, {"json", {{"name", "New"}}}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.json["id"], other["id"]);
  EXPECT_EQ(api("GET", "/objects/customer/bulk-1/external").json["id"], again.json["id"]);
}

TEST_F(ObjectsTest, BulkDeleteIs204AndDeletesOnlyThatObjectKey) {
  Json a = create("customer", {});
  Json b = create("customer", {});
  Json o = create("order", {});
  Reply r = api("POST", "/objects/bulk_delete",
                {{"boardId", board_of("customer")},
                 {"objectKey", "customer"},
                 {"ids", {a["id"], b["id"], o["id"]}}});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(api("GET", "/objects/" + a["id"].get<std::string>()).status, 404);
  EXPECT_EQ(api("GET", "/objects/" + b["id"].get<std::string>()).status, 404);
  EXPECT_EQ(api("GET", "/objects/" + o["id"].get<std::string>()).status, 200);
}

TEST_F(ObjectsTest, BulkDeleteWithoutIdsIs400) {
  EXPECT_EQ(api("POST", "/objects/bulk_delete", {{"objectKey", "customer"}}).status, 400);
}

TEST_F(ObjectsTest, AutocompleteListsMatchingRecords) {
  create("customer", {{"name", "Acme Freight"}});
  create("customer", {{"name", "Beta Logistics"}});
  Json c = create("customer", {{"name", "acme two"}});
  Reply r = api("GET", "/objects/autocomplete?objectKey=customer&searchTerm=ACME");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(r.json.is_array());
  ASSERT_EQ(r.json.size(), 2u);
  EXPECT_EQ(r.json[0]["name"], "Acme Freight");
  Reply by_ids =
      api("GET", "/objects/autocomplete?objectKey=customer&ids=" + c["id"].get<std::string>());
  ASSERT_EQ(by_ids.json.size(), 1u);
  Reply by_label =
      api("GET", "/objects/autocomplete?objectKey=customer&labelPath=fullId&searchTerm=CUST-2");
  ASSERT_EQ(by_label.json.size(), 1u);
  EXPECT_EQ(by_label.json[0]["name"], "Beta Logistics");
  EXPECT_EQ(api("GET", "/objects/autocomplete").status, 400);
}

// ---- 400s -------------------------------------------------------------------------------------

TEST_F(ObjectsTest, PropertyOutsideTheEnvelopeIs400WithMessageArray) {
  Reply r =
      api("POST", "/objects", {{"objectKey", "customer"}, {"json", Json::object()}, {"name", "x"}});
  EXPECT_EQ(r.status, 400);
  ASSERT_TRUE(r.json["message"].is_array());
  EXPECT_TRUE(message_mentions(r.json, "property name should not exist"));
  EXPECT_EQ(r.json["error"], "Bad Request");
}

TEST_F(ObjectsTest, MissingObjectKeyIs400) {
  Reply r = api("POST", "/objects", {{"json", {{"name", "x"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "objectKey"));
  EXPECT_EQ(api("POST", "/objects", {{"objectKey", ""}, {"json", Json::object()}}).status, 400);
}

TEST_F(ObjectsTest, UnknownObjectKeyIs400) {
  Reply r = api("POST", "/objects", {{"objectKey", "spaceship"}, {"json", Json::object()}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "spaceship"));
}

TEST_F(ObjectsTest, CustomObjectKeyIsAccepted) {
  Json rec = create("load__c", {{"weight__c", 12}});
  EXPECT_EQ(rec["objectKey"], "load__c");
  EXPECT_EQ(rec["fullId"], "LOAD-1");
  EXPECT_EQ(rec["weight__c"], 12);
}

TEST_F(ObjectsTest, MalformedJsonIs400) {
  Reply r = raw("POST", kApi + "/objects", "{\"objectKey\": ", token_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json["statusCode"], 400);
}

TEST_F(ObjectsTest, WrongJsonTypeInBodyIs400) {
  Reply r = api("POST", "/objects/search", {{"boardId", board_of("customer")}, {"orderByPath", 5}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json["error"], "Bad Request");
}

TEST_F(ObjectsTest, NonObjectBodyIs400) {
  EXPECT_EQ(raw("POST", kApi + "/objects", "[1,2]", token_).status, 400);
  EXPECT_EQ(api("POST", "/objects", {{"objectKey", "customer"}, {"json", "text"}}).status, 400);
}

void expect_read_only(EmulatorTest& t, const std::string& object_key, const std::string& field,
                      const Json& value) {
  Reply r = t.api("POST", "/objects", {{"objectKey", object_key}, {"json", {{field, value}}}});
  EXPECT_EQ(r.status, 400) << object_key << "." << field << ": " << r.body;
  EXPECT_TRUE(message_mentions(r.json, "json." + field)) << r.body;
}

TEST_F(ObjectsTest, WritingFullIdIs400) {
  expect_read_only(*this, "customer", "fullId", "X-1");
}
TEST_F(ObjectsTest, WritingVersionIs400) {
  expect_read_only(*this, "customer", "version", 3);
}
TEST_F(ObjectsTest, WritingCreatedAtIs400) {
  expect_read_only(*this, "order", "createdAt", "2024-01-01T00:00:00.000Z");
}
TEST_F(ObjectsTest, WritingIdInsideJsonIs400) {
  expect_read_only(*this, "customer", "id", "3d3acb3d-4aa0-443f-9793-0f9dd9547c4d");
}
TEST_F(ObjectsTest, WritingInvoiceSubTotalIs400) {
  expect_read_only(*this, "invoice", "subTotal", money(100));
}
TEST_F(ObjectsTest, WritingCustomerFormattedBusinessHoursIs400) {
  expect_read_only(*this, "customer", "formattedBusinessHours", "Monday - 09:00-17:00");
}
TEST_F(ObjectsTest, WritingAddressNameIs400) {
  expect_read_only(*this, "address", "name", "x");
}

TEST_F(ObjectsTest, EveryReadOnlyFieldOfTheCatalogIsRejected) {
  for (const auto& spec : model::objects()) {
    for (const auto& field : spec.fields) {
      if (field.read_only())
        expect_read_only(*this, spec.key, field.name, "x");
    }
    for (const auto& field : model::common_fields()) {
      if (field.read_only())
        expect_read_only(*this, spec.key, field.name, "x");
    }
  }
}

TEST_F(ObjectsTest, ReadOnlyFieldInUpdateIs400AndChangesNothing) {
  Json rec = create("customer", {{"name", "A"}});
  const std::string path = "/objects/" + rec["id"].get<std::string>();
  Reply r =
      api("PUT", path, {{"objectKey", "customer"}, {"json", {{"name", "B"}, {"version", 9}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(api("GET", path).json["name"], "A");
}

TEST_F(ObjectsTest, ReadOnlyFieldInsideNestedRecordIs400) {
  Reply r = api("POST", "/objects",
                {{"objectKey", "order"}, {"json", {{"tasks", {{{"fullId", "T-9"}}}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "json.tasks[0].fullId"));
}

TEST_F(ObjectsTest, BareStringForConnectionIs400) {
  Json customer = create("customer", {});
  Reply r =
      api("POST", "/objects", {{"objectKey", "order"}, {"json", {{"customer", customer["id"]}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "bare id string"));
}

TEST_F(ObjectsTest, LinkToMissingRecordIs400) {
  Reply r = api("POST", "/objects",
                {{"objectKey", "order"},
                 {"json", {{"customer", {{"id", "00000000-0000-4000-8000-000000000000"}}}}}});
  EXPECT_EQ(r.status, 400);
}

TEST_F(ObjectsTest, LinkToRecordOfOtherObjectKeyIs400) {
  Json partner = create("partner", {});
  Reply r = api("POST", "/objects",
                {{"objectKey", "order"}, {"json", {{"customer", {{"id", partner["id"]}}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "not a customer"));
}

TEST_F(ObjectsTest, FailedWriteCreatesNothing) {
  api("POST", "/objects",
      {{"objectKey", "order"},
       {"json", {{"tasks", {{{"taskType", "pickup"}}, {{"version", 2}}}}}}});
  EXPECT_EQ(create("order", {})["fullId"], "O-1");
  EXPECT_EQ(create("task", {})["fullId"], "T-1");
}

// ---- paths, nested records, links --------------------------------------------------------------

TEST_F(ObjectsTest, ConnectionsAppearOnlyWhenNamedInPaths) {
  Json order =
      create("order", {{"customer", {{"name", "C"}}}, {"tasks", {{{"taskType", "pickup"}}}}});
  const std::string path = "/objects/" + order["id"].get<std::string>();
  Reply plain = api("GET", path);
  EXPECT_FALSE(plain.json.contains("customer"));
  EXPECT_FALSE(plain.json.contains("tasks"));
  Reply with = api("GET", path + "?paths=customer,tasks");
  EXPECT_EQ(with.json["customer"]["name"], "C");
  ASSERT_EQ(with.json["tasks"].size(), 1u);
  EXPECT_EQ(with.json["tasks"][0]["taskType"], "pickup");
}

TEST_F(ObjectsTest, DotPathsExpandNestedConnections) {
  Json commodities = Json::array({{{"weight", 5}}, {{"weight", 7}}});
  Json task = {{"taskType", "pickup"}, {"commodities", commodities}};
  Json order = create("order", {{"tasks", Json::array({task})}});
  const std::string path = "/objects/" + order["id"].get<std::string>();
  Reply shallow = api("GET", path + "?paths=tasks");
  EXPECT_FALSE(shallow.json["tasks"][0].contains("commodities"));
  Reply deep = api("GET", path + "?paths=tasks.commodities");
  ASSERT_EQ(deep.json["tasks"][0]["commodities"].size(), 2u);
  EXPECT_EQ(deep.json["tasks"][0]["commodities"][1]["weight"], 7);
}

TEST_F(ObjectsTest, NestedCreationReturnsTheCreatedRecords) {
  Json pickup = {{"taskType", "pickup"},
                 {"commodities", Json::array({{{"commodityType", "pallet"}}})}};
  Json delivery = {{"taskType", "delivery"}};
  Json order = create("order", {{"tasks", Json::array({pickup, delivery})}});
  ASSERT_EQ(order["tasks"].size(), 2u);
  EXPECT_EQ(order["tasks"][0]["fullId"], "T-1");
  EXPECT_EQ(order["tasks"][1]["fullId"], "T-2");
  ASSERT_EQ(order["tasks"][0]["commodities"].size(), 1u);
  const std::string commodity_id = order["tasks"][0]["commodities"][0]["id"];
  Reply c = api("GET", "/objects/" + commodity_id);
  ASSERT_EQ(c.status, 200);
  EXPECT_EQ(c.json["objectKey"], "commodity");
  EXPECT_EQ(c.json["commodityType"], "pallet");
}

TEST_F(ObjectsTest, LinkingAnExistingRecordById) {
  Json customer = create("customer", {{"name", "C"}});
  Json order = create("order", {{"customer", {{"id", customer["id"]}}}});
  EXPECT_EQ(order["customer"]["id"], customer["id"]);
  EXPECT_EQ(create("customer", {})["fullId"], "CUST-2");  // no second customer was made
}

TEST_F(ObjectsTest, ManyConnectionIsReplacedByTheGivenList) {
  Json t1 = create("tag", {{"name", "a"}});
  Json t2 = create("tag", {{"name", "b"}});
  Json c = create("customer", {{"tags", {{{"id", t1["id"]}}}}});
  Reply r = api(
      "PUT", "/objects/" + c["id"].get<std::string>() + "",
      {{"objectKey", "customer"}, {"json", {{"tags", {{{"id", t2["id"]}}}}}}, {"paths", {"tags"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["tags"].size(), 1u);
  EXPECT_EQ(r.json["tags"][0]["name"], "b");
  EXPECT_EQ(r.json["version"], 2);
}

TEST_F(ObjectsTest, ListForSingleConnectionIs400) {
  Json customer = create("customer", {});
  Reply r = api("POST", "/objects",
                {{"objectKey", "order"}, {"json", {{"customer", {{{"id", customer["id"]}}}}}}});
  EXPECT_EQ(r.status, 400);
}

TEST_F(ObjectsTest, UnknownFieldsSurviveRoundTrips) {
  Json rec =
      create("customer", {{"name", "A"}, {"status__c", "gold"}, {"futureField", {{"x", 1}}}});
  const std::string path = "/objects/" + rec["id"].get<std::string>();
  api("PUT", path, {{"objectKey", "customer"}, {"json", {{"name", "B"}}}});
  Reply r = api("GET", path);
  EXPECT_EQ(r.json["status__c"], "gold");
  EXPECT_EQ(r.json["futureField"], (Json{{"x", 1}}));
}

// ---- derived fields ----------------------------------------------------------------------------

TEST_F(ObjectsTest, InvoiceSubTotalIsTheSumOfLineItemAmounts) {
  Json inv =
      create("invoice", {{"lineItems", {{{"amount", money(1250)}}, {{"amount", money(750)}}}}});
  EXPECT_EQ(inv["subTotal"], money(2000));
}

TEST_F(ObjectsTest, InvoiceSubTotalRecomputedWhenLineItemsChange) {
  Json inv = create("invoice", {{"lineItems", {{{"amount", money(1000)}}}}});
  const std::string path = "/objects/" + inv["id"].get<std::string>();
  const std::string item = inv["lineItems"][0]["id"];
  // The line item itself changes.
  api("PUT", "/objects/" + item,
      {{"objectKey", "financialLineItem"}, {"json", {{"amount", money(4000)}}}});
  EXPECT_EQ(api("GET", path).json["subTotal"], money(4000));
  // A line item is added.
  Reply added = api("PUT", path,
                    {{"objectKey", "invoice"},
                     {"json", {{"lineItems", {{{"id", item}}, {{"amount", money(500)}}}}}}});
  EXPECT_EQ(added.json["subTotal"], money(4500));
  // Line items are removed.
  Reply emptied =
      api("PUT", path, {{"objectKey", "invoice"}, {"json", {{"lineItems", Json::array()}}}});
  EXPECT_EQ(emptied.json["subTotal"]["amount"], 0);
}

TEST_F(ObjectsTest, BillTotalAndQuoteTotalAreDerived) {
  // The vendor's bill page: read-only billTotal, a float (major units), from the line items.
  EXPECT_EQ(create("bill", {{"lineItems",
                             {{{"amount", money(300)}}, {{"amount", money(200)}}}}})["billTotal"],
            5.0);
  EXPECT_EQ(create("quote", {{"lineItems", {{{"amount", money(99)}}}}})["total"], money(99));
}

TEST_F(ObjectsTest, CustomerFormattedBusinessHoursInTheSeedsForm) {
  Json json = {{"name", "ABC Produce Co"}};
  int t = 32400;
  for (const char* day : {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}) {
    json[std::string("busHours") + day + "StartAt"] = t++;
    json[std::string("busHours") + day + "EndAt"] = t++;
  }
  EXPECT_EQ(create("customer", json)["formattedBusinessHours"],
            "Monday - 09:00-09:00, Tuesday - 09:00-09:00, Wednesday - 09:00-09:00, Thursday - "
            "09:00-09:00, Friday - 09:00-09:00, Saturday - 09:00-09:00, Sunday - 09:00-09:00");
}

TEST_F(ObjectsTest, FormattedBusinessHoursFollowChanges) {
  Json rec = create("customer", {{"busHoursMonStartAt", 28800}, {"busHoursMonEndAt", 61200}});
  EXPECT_EQ(rec["formattedBusinessHours"], "Monday - 08:00-17:00");
  Reply r = api("PUT", "/objects/" + rec["id"].get<std::string>(),
                {{"objectKey", "customer"}, {"json", {{"busHoursMonEndAt", 64800}}}});
  EXPECT_EQ(r.json["formattedBusinessHours"], "Monday - 08:00-18:00");
}

TEST_F(ObjectsTest, EtaDelayNotifyLabelFollowsTheFlag) {
  Json rec = create("customer", {});
  EXPECT_EQ(rec["etaDelayNotifyEnabled"], true);
  EXPECT_EQ(rec["etaDelayNotifyLabel"], "Enabled");
  Reply r = api("PUT", "/objects/" + rec["id"].get<std::string>(),
                {{"objectKey", "customer"}, {"json", {{"etaDelayNotifyEnabled", false}}}});
  EXPECT_EQ(r.json["etaDelayNotifyLabel"], "Disabled");
}

TEST_F(ObjectsTest, AddressNameIsDerived) {
  Json rec =
      create("address", {{"companyName", "Acme"}, {"address1", "1 Main St"}, {"city", "Toronto"}});
  EXPECT_EQ(rec["name"], "Acme, 1 Main St, Toronto");
}

}  // namespace
}  // namespace rr_emulator_test
