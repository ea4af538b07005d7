// Issue 24 (items 1-4): the vendor's enum spellings, money as a plain number, the new catalog
// entries with their provenance, required-on-create before any request, and the dispatch
// relationships through the generated accessors and typed paths.

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace rr = roserocket;
using namespace rr::model;
using rr_test::MockClient;

namespace {

Json graph_record(const std::string& key, const std::string& id, Json extra = Json::object()) {
  Json r = {{"id", id}, {"objectKey", key}, {"version", 1}};
  r.update(extra);
  return r;
}

}  // namespace

// ---- Item 2: enums read the vendor's spellings and keep unknown values.

TEST(TypedGraphEnums, OrderStatusReadsTheTitleCaseOfTheOrderPage) {
  for (const char* wire : {"in transit", "In transit", "In Transit", "IN TRANSIT", "in_transit"}) {
    const auto order = Order::from_json(Json{{"status", wire}});
    EXPECT_EQ(order.status(), OrderStatus::kInTransit) << wire;
    EXPECT_EQ(order.view().status(), OrderStatus::kInTransit) << wire;
    EXPECT_EQ(order.json()["status"], wire);  // the record keeps what the server sent
  }
  EXPECT_EQ(Order::from_json(Json{{"status", "New"}}).status(), OrderStatus::kNew);
  EXPECT_EQ(Order::from_json(Json{{"status", "Delivered"}}).status(), OrderStatus::kDelivered);
}

TEST(TypedGraphEnums, ManifestStatusReadsEverySpellingOfInTransit) {
  for (const char* wire : {"inTransit", "In transit", "in transit", "INTRANSIT", "in-transit"}) {
    const auto manifest = Manifest::from_json(Json{{"status", wire}});
    EXPECT_EQ(manifest.status(), ManifestStatus::kInTransit) << wire;
    EXPECT_EQ(manifest.status()->value(), "inTransit") << wire;
  }
  EXPECT_EQ(Manifest::from_json(Json{{"status", "Planned"}}).status(), ManifestStatus::kPlanned);
}

TEST(TypedGraphEnums, UnknownValuesAreKeptAsSent) {
  const auto order = Order::from_json(Json{{"status", "Quoted Later"}});
  ASSERT_TRUE(order.status().has_value());
  EXPECT_EQ(order.status()->value(), "Quoted Later");
  EXPECT_FALSE(order.status()->is_known());
  EXPECT_TRUE(OrderStatus("In Transit").is_known());
  EXPECT_EQ(canonical_enum_value("OrderStatus", "nope"), nullptr);
  EXPECT_EQ(canonical_enum_value("NoSuchEnum", "new"), nullptr);
  ASSERT_NE(canonical_enum_value("TaskStatus", "In Progress"), nullptr);
  EXPECT_EQ(*canonical_enum_value("TaskStatus", "In Progress"), "inprogress");
  EXPECT_THROW((void)Order::from_json(Json{{"status", 3}}).status(), rr::MalformedResponseError);
}

TEST(TypedGraphEnums, NoTwoValuesOfAnEnumShareALooseSpelling) {
  for (const auto& [name, values] : enums()) {
    std::set<const std::string*> seen;
    for (const auto& v : values) {
      const std::string* found = canonical_enum_value(name, v);
      ASSERT_NE(found, nullptr) << name << " " << v;
      EXPECT_EQ(*found, v) << name;  // an exact spelling wins
      EXPECT_TRUE(seen.insert(found).second) << name << " " << v;
    }
  }
}

// ---- Item 2: money reads a plain number or a money object.

TEST(TypedGraphMoney, APlainNumberReadsAsMajorUnits) {
  EXPECT_EQ(Json(12.5).get<Money>(), (Money{1250, ""}));
  EXPECT_EQ(Json(3).get<Money>(), (Money{300, ""}));
  EXPECT_EQ(Json(-19.99).get<Money>(), (Money{-1999, ""}));  // the nearest cent
  EXPECT_EQ(Json(Json{{"amount", 1250}, {"currencyCode", "USD"}}).get<Money>(),
            (Money{1250, "USD"}));
  const auto invoice = Invoice::from_json(Json{{"subTotal", 345.5}});
  EXPECT_EQ(invoice.sub_total(), (Money{34550, ""}));
  EXPECT_EQ(invoice.view().sub_total(), (Money{34550, ""}));
}

TEST(TypedGraphMoney, OtherShapesAreRefusedWithTheReason) {
  EXPECT_THROW((void)Json(1e300).get<Money>(), rr::InvalidArgumentError);
  EXPECT_THROW((void)Json("12.50").get<Money>(), rr::InvalidArgumentError);
  EXPECT_THROW((void)Json(Json{{"amount", 12.5}}).get<Money>(), rr::InvalidArgumentError);
  try {
    (void)Invoice::from_json(Json{{"subTotal", "twelve"}}).sub_total();
    FAIL() << "no error";
  } catch (const rr::MalformedResponseError& e) {
    EXPECT_NE(std::string(e.what()).find("subTotal"), std::string::npos) << e.what();
  }
}

// ---- Item 1: the new catalog entries and their provenance.

TEST(TypedGraphCatalog, TheDispatchAndAccountingObjectsAreKnown) {
  for (const char* key : {"stop", "document", "payStub", "taxRate", "taxRateComponent", "taxRule",
                          "glAccount", "manifest", "partner", "asset", "tag"}) {
    EXPECT_NE(find_object(key), nullptr) << key;
  }
  EXPECT_EQ(find_field("manifest", "status")->enum_values,
            (std::vector<std::string>{"new", "planned", "dispatched", "inTransit", "completed",
                                      "problem"}));
  EXPECT_EQ(find_object("manifest")->full_id_prefix_provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("manifest", "tasks")->target, "task");
  EXPECT_EQ(find_field("manifest", "tasks")->provenance, Provenance::kSecondary);
  EXPECT_EQ(find_field("manifest", "bill")->target, "bill");
  EXPECT_EQ(find_field("manifest", "partner")->provenance, Provenance::kGuessed);
  EXPECT_EQ(find_field("partner", "contacts")->target, "contact");
  EXPECT_EQ(find_field("partner", "compliance")->type, FieldType::kJson);
  EXPECT_EQ(find_field("asset", "name")->provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("asset", "plateNumber")->provenance, Provenance::kGuessed);
  EXPECT_EQ(find_field("asset", "users")->target, "user");
  EXPECT_EQ(find_field("order", "shipper")->provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("order", "consignee")->type, FieldType::kJson);
  EXPECT_EQ(find_field("task", "specialInstructions")->type, FieldType::kString);
  EXPECT_EQ(find_field("task", "incompleteAt")->provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("taxRule", "internalStatus")->enum_values,
            (std::vector<std::string>{"active", "draft", "archived"}));
  EXPECT_EQ(find_object("taxRule")->full_id_prefix, "TAX-RULE");
  EXPECT_EQ(find_field("taxRule", "taxRate")->target, "taxRate");
  EXPECT_EQ(find_field("payStub", "status")->enum_values.size(), 6u);
  EXPECT_EQ(find_field("financialLineItem", "glAccount")->target, "glAccount");
  EXPECT_EQ(find_field("financialLineItem", "taxRate")->provenance, Provenance::kSecondary);
}

TEST(TypedGraphCatalog, EveryGuessOrSecondaryFieldSaysSoInTheDocs) {
  const std::string docs = fields_markdown();
  EXPECT_NE(docs.find("| secondary |"), std::string::npos);
  EXPECT_NE(docs.find("### Pay stub (`payStub`"), std::string::npos);
  EXPECT_NE(docs.find("**required on create**"), std::string::npos);
  for (const auto& o : objects()) {
    for (const auto& f : o.fields) {
      EXPECT_FALSE(f.description.empty()) << o.key << "." << f.name;
    }
  }
}

TEST(TypedGraphCatalog, RequiredOnCreateNamesKnownFields) {
  std::size_t rules = 0;
  for (const auto& o : objects()) {
    for (const auto& rule : required_on_create(o.key)) {
      ++rules;
      EXPECT_NE(o.find(rule.field), nullptr) << o.key << "." << rule.field;
      EXPECT_FALSE(rule.why.empty());
    }
  }
  EXPECT_GE(rules, 7u);
  EXPECT_TRUE(required_on_create("load__c").empty());
  ASSERT_EQ(required_on_create("order").size(), 1u);
  EXPECT_EQ(required_on_create("order")[0].field, "customer");
}

// ---- Item 3: a typed create missing a required field fails before any request.

TEST(TypedGraphRequired, AnOrderWithoutACustomerIsRefusedAndNothingIsSent) {
  MockClient m;
  Order order;
  order.set_po_num("PO-1");
  try {
    (void)m.client.orders().create(order);
    FAIL() << "no error";
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("customer is required to create a new order"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("ObjectsApi"), std::string::npos) << e.what();
  }
  Quote quote;
  quote.set_ref_num("R-1");
  EXPECT_THROW((void)m.client.quotes().create(quote), rr::InvalidArgumentError);
  EXPECT_TRUE(m.mock->requests().empty());
}

TEST(TypedGraphRequired, AWebhookDestinationNamesEveryMissingFieldAndNestedOnes) {
  MockClient m;
  WebhookDestination destination;
  destination.set_name("ERP");
  try {
    (void)m.client.webhook_destinations().create(destination);
    FAIL() << "no error";
  } catch (const rr::InvalidArgumentError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("url is required"), std::string::npos) << what;
    EXPECT_NE(what.find("subscriptions is required"), std::string::npos) << what;
    EXPECT_EQ(what.find("name is required"), std::string::npos) << what;
  }
  destination.set_url("https://erp.example.com/hook").set_subscriptions({WebhookSubscription{}});
  destination.set_subscriptions(std::vector<Ref>{});  // an empty list is missing too
  EXPECT_THROW((void)m.client.webhook_destinations().create(destination), rr::InvalidArgumentError);
  WebhookSubscription nameless;
  nameless.set("note__c", "x");
  destination.set_subscriptions({nameless});
  try {
    (void)m.client.webhook_destinations().create(destination);
    FAIL() << "no error";
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("subscriptions[0].eventName is required"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(m.mock->requests().empty());
}

TEST(TypedGraphRequired, ACompleteCreateIsSentOnceAndUntypedCreatesStayPermissive) {
  MockClient m;
  Order order;
  order.set_customer(Ref{"c1"});
  m.mock->enqueue_json(200, graph_record("order", "o1"));
  EXPECT_EQ(m.client.orders().create(order).id(), "o1");
  ASSERT_EQ(m.mock->requests().size(), 1u);
  EXPECT_EQ(m.body(0), (Json{{"objectKey", "order"}, {"json", {{"customer", {{"id", "c1"}}}}}}));

  m.mock->enqueue_json(200, graph_record("order", "o2"));
  (void)rr::ObjectsApi(m.client).create("order", Json{{"poNum", "PO-2"}});
  EXPECT_EQ(m.mock->requests().size(), 2u);
  EXPECT_EQ(missing_on_create("order", Json{{"customer", {{"id", "c1"}}}}), "");
  EXPECT_NE(missing_on_create("order", Json{{"customer", nullptr}}), "");
}

// ---- Item 4: dispatch relationships through the generated accessors.

TEST(TypedGraphRelationships, AManifestReadsItsTasksBillPartnerAndAssets) {
  const Json json = graph_record(
      "manifest", "m1",
      {{"status", "dispatched"},
       {"fullId", "M-O-19"},
       {"tasks",
        {graph_record("task", "t1",
                      {{"taskType", "pickup"}, {"commodities", {graph_record("commodity", "c1")}}}),
         graph_record("task", "t2", {{"taskType", "Delivery"}})}},
       {"bill", graph_record("bill", "b1", {{"billTotal", 120.5}})},
       {"partner", graph_record("partner", "p1", {{"contacts", {graph_record("contact", "k1")}}})},
       {"assets", {graph_record("asset", "a1", {{"name", "TRK-7"}})}}});
  const auto manifest = Manifest::from_json(json);
  EXPECT_EQ(manifest.status(), ManifestStatus::kDispatched);
  std::vector<std::string> types;
  for (TaskView task : manifest.view().tasks())
    types.push_back(task.task_type()->value());
  EXPECT_EQ(types, (std::vector<std::string>{"pickup", "delivery"}));
  EXPECT_EQ(manifest.view().tasks().at(0).commodities().size(), 1u);
  EXPECT_EQ(manifest.bill()->bill_total(), 120.5);
  EXPECT_EQ(manifest.partner()->contacts().at(0).id(), "k1");
  EXPECT_EQ(manifest.view().partner()->contacts().at(0).id(), "k1");
  EXPECT_EQ(manifest.assets().at(0).name(), "TRK-7");
  EXPECT_THROW((void)Manifest::from_json(graph_record("manifest", "m2")).tasks(),
               rr::NotLoadedError);
}

TEST(TypedGraphRelationships, TypedPathsReachTheDispatchGraph) {
  MockClient m;
  m.mock->enqueue_json(200, graph_record("manifest", "m1"));
  (void)m.client.manifests().get(
      "m1", {Manifest::tasks_path, Manifest::tasks_path / Task::stops_path, Manifest::bill_path,
             Manifest::partner_path / Partner::contacts_path});
  EXPECT_EQ(m.url(0),
            rr_test::kBase + "/objects/m1?paths=tasks%2Ctasks.stops%2Cbill%2Cpartner.contacts");
  EXPECT_EQ((TaxRule::tax_rate_path / TaxRate::tax_rate_components_path).str(),
            "taxRate.taxRateComponents");
  EXPECT_EQ((PayStub::line_items_path / FinancialLineItem::gl_account_path).str(),
            "lineItems.glAccount");
}
