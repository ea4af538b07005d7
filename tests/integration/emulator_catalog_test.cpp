// The emulator following the catalog as the vendor documents it (issue 12): `source: "manual"`,
// the vendor's event envelope, bill `billTotal`, contact `name`, documented fullId prefixes, and
// a create whose nested part fails answering the record plus an `errors` array. The SDK side:
// typed creates surface those errors, and a user-typed custom object round-trips.

#include <set>

#include "emulator_fixture.hpp"
#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"

namespace rr_emulator_test {
namespace {

using CatalogTest = EmulatorTest;

Json money(long amount) {
  return {{"amount", amount}, {"currencyCode", "USD"}};
}

const std::string kMissing = "00000000-0000-4000-8000-00000000beef";

TEST_F(CatalogTest, ApiCreatesReportSourceManualNestedOnesToo) {
  Json order = create("order", {{"tasks", {{{"taskType", "pickup"}}}}}, Json{"tasks"});
  EXPECT_EQ(order["source"], "manual");
  ASSERT_EQ(order["tasks"].size(), 1u);
  EXPECT_EQ(order["tasks"][0]["source"], "manual");
}

TEST_F(CatalogTest, EventsHaveTheVendorEnvelopeWithoutABoardId) {
  Json rec = create("customer", {{"name", "A"}});
  const std::string id = rec["id"].get<std::string>();
  Reply posted = api("POST", "/events",
                     {{"recordId", id},
                      {"boardId", board_of("customer")},
                      {"type", "internal"},
                      {"json", {{"note", "n"}}}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  Reply listed = api("GET", "/events?recordId=" + id + "&objectKey=customer");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json["results"].size(), 2u);
  const std::set<std::string> envelope = {"id",    "type",      "refId",     "ownerId",
                                          "orgId", "objectKey", "createdAt", "json"};
  for (const Json& ev : {listed.json["results"][0], listed.json["results"][1], posted.json}) {
    std::set<std::string> keys;
    for (const auto& item : ev.items())
      keys.insert(item.key());
    EXPECT_EQ(keys, envelope) << ev.dump();
  }
}

TEST_F(CatalogTest, DocumentedPrefixesAndDefaults) {
  Json invoice = create("invoice", {});
  EXPECT_EQ(invoice["fullId"], "INVOICE-1");
  EXPECT_EQ(invoice["status"], "created");
  Json bill = create("bill", {});
  EXPECT_EQ(bill["fullId"], "BILL-1");
  EXPECT_EQ(bill["status"], "created");
}

TEST_F(CatalogTest, BillTotalIsDerivedFromTheLineItemsAndReadOnly) {
  Json bill =
      create("bill", {{"lineItems", {{{"amount", money(30050)}}, {{"amount", money(2000)}}}}});
  EXPECT_DOUBLE_EQ(bill["billTotal"].get<double>(), 320.50);
  EXPECT_FALSE(bill.contains("subTotal"));
  Reply r = api("POST", "/objects", {{"objectKey", "bill"}, {"json", {{"billTotal", 1.0}}}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(message_mentions(r.json, "billTotal")) << r.body;
}

TEST_F(CatalogTest, ContactNameIsDerivedFromFirstAndLastName) {
  Json contact =
      create("contact", {{"firstName", "Ann"}, {"lastName", "Lee"}, {"isPrimary", true}});
  EXPECT_EQ(contact["name"], "Ann Lee");
  EXPECT_EQ(api("POST", "/objects", {{"objectKey", "contact"}, {"json", {{"name", "X"}}}}).status,
            400);
}

TEST_F(CatalogTest, NestedRecordWithAnUnknownEnumValueIsLeftOutAndReported) {
  Json order =
      create("order",
             {{"status", "new"},
              {"tasks", {{{"taskType", "pickup"}}, {{"taskType", "teleport"}, {"ordinal", 2}}}}},
             Json{"tasks"});
  ASSERT_EQ(order["tasks"].size(), 1u) << order.dump();
  EXPECT_EQ(order["tasks"][0]["taskType"], "pickup");
  ASSERT_TRUE(order["errors"].is_array()) << order.dump();
  ASSERT_EQ(order["errors"].size(), 1u);
  EXPECT_EQ(order["errors"][0]["path"], "json.tasks[1]");
  EXPECT_NE(order["errors"][0]["message"].get<std::string>().find("taskType"), std::string::npos);
  // The order and the good task were saved; the errors belong to that answer only.
  Reply got = api("GET", "/objects/" + order["id"].get<std::string>() + "?paths=tasks");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json["tasks"].size(), 1u);
  EXPECT_FALSE(got.json.contains("errors"));
  // Any case is fine where the catalog reads any case; the top level keeps open enums.
  Json ok = create("customer", {{"customerType", "Quoted"}, {"contacts", {{{"firstName", "B"}}}}});
  EXPECT_FALSE(ok.contains("errors"));
  Json lines = create("invoice", {{"lineItems", {{{"type", "Freight"}}}}}, Json{"lineItems"});
  EXPECT_FALSE(lines.contains("errors")) << lines.dump();
  EXPECT_EQ(lines["lineItems"].size(), 1u);
}

TEST_F(CatalogTest, NestedLinkToAnUnknownIdIsNotMadeAndReported) {
  Json order = create(
      "order", {{"tasks", {{{"taskType", "pickup"}, {"commodities", {{{"id", kMissing}}}}}}}},
      Json{"tasks.commodities"});
  ASSERT_EQ(order["tasks"].size(), 1u) << order.dump();
  EXPECT_TRUE(order["tasks"][0]["commodities"].empty());
  ASSERT_EQ(order["errors"].size(), 1u) << order.dump();
  EXPECT_EQ(order["errors"][0]["path"], "json.tasks[0].commodities[0]");
  EXPECT_NE(order["errors"][0]["message"].get<std::string>().find(kMissing), std::string::npos);
  // At the top level an unknown id is still the caller's error: a 400, nothing created.
  Reply r = api("POST", "/objects",
                {{"objectKey", "order"}, {"json", {{"customer", {{"id", kMissing}}}}}});
  EXPECT_EQ(r.status, 400) << r.body;
}

// ---- The SDK over HTTP against the emulator.

namespace rr = roserocket;

class SdkCatalogTest : public EmulatorTest {
 protected:
  rr::Client make_client() {
    rr::OAuthOptions oauth;
    oauth.token_url = emulator_->token_url();
    oauth.client_id = rr_emulator::kDemoClientId;
    oauth.client_secret = rr_emulator::kDemoClientSecret;
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = std::make_shared<rr::ClientCredentialsTokenProvider>(oauth);
    return rr::Client(options);
  }
};

class Shipment : public rr::model::TypedRecord<Shipment> {
 public:
  static constexpr std::string_view kObjectKey = "shipment__c";
  static constexpr rr::model::CustomField<std::string> kCarrier{"carrier__c"};
  static constexpr rr::model::CustomField<std::int64_t> kPallets{"pallets__c"};

  [[nodiscard]] std::optional<std::string> carrier() const { return get(kCarrier); }
  Shipment& set_carrier(std::string value) { return set(kCarrier, std::move(value)); }
  [[nodiscard]] std::optional<std::int64_t> pallets() const { return get(kPallets); }
  Shipment& set_pallets(std::int64_t value) { return set(kPallets, value); }
};

TEST_F(SdkCatalogTest, TypedCreateSurfacesTheNestedErrors) {
  using namespace rr::model;
  std::optional<rr::Client> client(make_client());
  Task good;
  good.set_task_type(TaskType::kPickup);
  Task bad;
  bad.set_task_type(TaskType("teleport"));
  Order order;
  order.set_tasks({good, bad}).set_customer(Customer().set_name("Nested Errors Co"));
  Order saved = client->orders().create(order, rr::with_paths({"tasks"}));
  ASSERT_EQ(saved.part_errors().size(), 1u) << saved.json().dump();
  EXPECT_EQ(saved.part_errors()[0].path, "json.tasks[1]");
  EXPECT_EQ(saved.view().tasks().size(), 1u);
  EXPECT_TRUE(client->orders().get(*saved.id()).part_errors().empty());
  // A bill read typed: billTotal and the documented prefix.
  FinancialLineItem line;
  line.set_amount(Money{1999, "USD"}).set_type(FinancialLineItemType::kFuel);
  Bill bill;
  bill.set_line_items({line});
  Bill saved_bill = client->bills().create(bill);
  EXPECT_EQ(saved_bill.bill_total(), 19.99);
  EXPECT_EQ(saved_bill.full_id(), "BILL-1");
  EXPECT_TRUE(saved_bill.part_errors().empty());
  client.reset();  // before the emulator stops
}

TEST_F(SdkCatalogTest, UserTypedCustomObjectRoundTrips) {
  std::optional<rr::Client> client(make_client());
  rr::Resource<Shipment> shipments(*client);
  Shipment s;
  s.set_carrier("ACME").set_pallets(12);
  Shipment saved = shipments.create(s);
  EXPECT_EQ(saved.key(), "shipment__c");
  EXPECT_EQ(saved.full_id(), "SHIPMENT-1");
  EXPECT_EQ(saved.carrier(), "ACME");
  saved.set_pallets(14);
  Shipment updated = shipments.update(saved);
  EXPECT_EQ(updated.pallets(), 14);
  Shipment got = shipments.get(*saved.id());
  EXPECT_EQ(got.carrier(), "ACME");
  EXPECT_EQ(got.pallets(), 14);
  EXPECT_EQ(got.version(), 2);
  client.reset();
}

}  // namespace
}  // namespace rr_emulator_test
