// Issue 24 item 6 against the in-process emulator over real HTTP: manifests named after the order
// they cover (M-O-19), their status transitions, the accounting objects with their connections,
// and required-on-create refusing before any request.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "roserocket/roserocket.hpp"
#include "sdk_against_emulator.hpp"

namespace {

namespace rr = roserocket;
using namespace rr::model;

class DispatchEmulatorTest : public roserocket_test::EmulatorClientTest {
 protected:
  // An order for a new customer with a pickup and a delivery, read back with its tasks.
  Order dispatch_order(const char* po) {
    Order order;
    order.set_customer(Customer().set_name(std::string("Dispatch ") + po))
        .set_po_num(po)
        .set_tasks(
            {Task().set_task_type(TaskType::kPickup), Task().set_task_type(TaskType::kDelivery)});
    return client().orders().create(order, rr::with_paths({"tasks"}));
  }

  Manifest move_to(const std::string& id, const char* status) {
    Manifest change = Manifest::from_json(Json{{"id", id}});
    change.set_status(ManifestStatus(status));
    return client().manifests().update(change);
  }
};

TEST_F(DispatchEmulatorTest, AManifestIsNamedAfterTheOrderOfItsFirstTask) {
  const Order first = dispatch_order("PO-A");
  const Order second = dispatch_order("PO-B");
  std::vector<Ref> tasks;
  for (const Order* order : {&second, &first}) {
    for (TaskView task : order->view().tasks())
      tasks.push_back(Ref{*task.id()});
  }
  Manifest manifest;
  manifest.set_tasks(tasks);
  const Manifest saved = client().manifests().create(manifest);
  EXPECT_EQ(saved.full_id(), "M-" + *second.full_id());
  EXPECT_EQ(saved.status(), ManifestStatus::kNew);

  const Manifest read = client().manifests().get(*saved.id(), {Manifest::tasks_path});
  EXPECT_EQ(read.view().tasks().size(), 4u);
  EXPECT_EQ(read.view().tasks().at(0).id(), second.view().tasks().at(0).id());

  // Without tasks it is numbered like any other record.
  Manifest empty;
  empty.set("note__c", "no tasks yet");
  const Manifest numbered = client().manifests().create(empty);
  ASSERT_TRUE(numbered.full_id().has_value());
  EXPECT_EQ(numbered.full_id()->rfind("M-", 0), 0u);
  EXPECT_EQ(numbered.full_id()->find("O-"), std::string::npos);
}

TEST_F(DispatchEmulatorTest, ManifestStatusMovesForwardThroughItsStages) {
  Manifest manifest;
  manifest.set("note__c", "stages");
  const std::string id = *client().manifests().create(manifest).id();
  EXPECT_EQ(move_to(id, "planned").status(), ManifestStatus::kPlanned);
  EXPECT_EQ(move_to(id, "dispatched").status(), ManifestStatus::kDispatched);
  try {
    (void)move_to(id, "planned");
    FAIL() << "a step backwards was accepted";
  } catch (const rr::BadRequestError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot go from dispatched to planned"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(move_to(id, "problem").status(), ManifestStatus::kProblem);
  // The page's other spelling is read as the documented value.
  EXPECT_EQ(move_to(id, "In Transit").status(), ManifestStatus::kInTransit);
  EXPECT_EQ(move_to(id, "completed").status(), ManifestStatus::kCompleted);
  EXPECT_THROW((void)move_to(id, "problem"), rr::BadRequestError);
  EXPECT_THROW((void)move_to(id, "teleported"), rr::BadRequestError);
  EXPECT_EQ(client().manifests().get(id).status(), ManifestStatus::kCompleted);
}

TEST_F(DispatchEmulatorTest, AssignedPartnerAndAssetReadBackThroughTypedPaths) {
  const Order order = dispatch_order("PO-C");
  Partner carrier;
  carrier.set_contacts({Contact().set_first_name("Ana").set_email("ana@carrier.example")})
      .set_compliance(Json::array({Json{{"type", "MC"}, {"number", "MC-123456"}}}));
  carrier = client().partners().create(carrier);
  Asset truck;
  truck.set_name("TRK-9").set_plate_number("ON 1234").set_users({User().set("note__c", "driver")});
  truck = client().assets().create(truck);

  Manifest manifest;
  manifest.set_tasks({Ref{*order.view().tasks().at(0).id()}})
      .set_partner(carrier.ref())
      .set_assets({truck.ref()});
  const std::string id = *client().manifests().create(manifest).id();

  const Manifest read = client().manifests().get(
      id, {Manifest::partner_path / Partner::contacts_path, Manifest::assets_path,
           Manifest::assets_path / Asset::users_path});
  ASSERT_TRUE(read.view().partner().has_value());
  EXPECT_EQ(read.view().partner()->contacts().at(0).first_name(), "Ana");
  EXPECT_EQ(read.partner()->compliance()->at(0)["number"], "MC-123456");
  EXPECT_EQ(read.view().assets().at(0).plate_number(), "ON 1234");
  EXPECT_EQ(read.view().assets().at(0).users().size(), 1u);
  EXPECT_THROW((void)read.view().tasks(), rr::NotLoadedError);  // not asked for
}

TEST_F(DispatchEmulatorTest, AccountingObjectsAreServedWithTheirConnections) {
  TaxRule rule;
  rule.set_name("Ontario HST")
      .set_internal_status(TaxRuleStatus::kActive)
      .set_origin_country_code("CA")
      .set_origin_state_code("ON")
      .set_effective_date("2025-01-01")
      .set_tax_rate(TaxRate()
                        .set_name("HST (13%)")
                        .set_tax_rate_components({TaxRateComponent().set("name", "HST")}));
  const TaxRule saved = client().tax_rules().create(rule);
  EXPECT_EQ(saved.full_id()->rfind("TAX-RULE-", 0), 0u);
  const TaxRule read = client().tax_rules().get(
      *saved.id(), {TaxRule::tax_rate_path / TaxRate::tax_rate_components_path});
  EXPECT_EQ(read.view().tax_rate()->name(), "HST (13%)");
  EXPECT_EQ(read.view().tax_rate()->tax_rate_components().size(), 1u);

  GlAccount account;
  account.set("name", "Linehaul Revenue");
  const GlAccount ledger = client().gl_accounts().create(account);
  FinancialLineItem pay;
  pay.set_description("driver pay").set_gl_account(ledger.ref());
  PayStub stub;
  stub.set_line_items({pay}).set_user(User().set("note__c", "driver"));
  const PayStub created = client().pay_stubs().create(stub);
  EXPECT_EQ(created.status(), PayStubStatus::kCreated);
  const PayStub stub_read = client().pay_stubs().get(
      *created.id(), {PayStub::line_items_path / FinancialLineItem::gl_account_path});
  EXPECT_EQ(stub_read.view().line_items().at(0).gl_account()->id(), ledger.id());

  Stop stop;
  stop.set_documents({Document().set_document_type("POD")});
  const Stop stop_saved = client().stops().create(stop);
  EXPECT_EQ(client().stops().get(*stop_saved.id(), {Stop::documents_path}).documents().size(), 1u);
}

TEST_F(DispatchEmulatorTest, RequiredOnCreateFailsBeforeAnyRequest) {
  const auto creates = served("POST /api/v2/platformModel/objects");
  TaxRate rate;
  rate.set_name("no components");
  EXPECT_THROW((void)client().tax_rates().create(rate), rr::InvalidArgumentError);
  Quote quote;
  quote.set_po_num("PO-Q");
  EXPECT_THROW((void)client().quotes().create(quote), rr::InvalidArgumentError);
  EXPECT_EQ(served("POST /api/v2/platformModel/objects"), creates);
  // The untyped API stays permissive: the emulator takes the record.
  const Json created = rr::ObjectsApi(client()).create("quote", Json{{"poNum", "PO-Q"}});
  EXPECT_EQ(created["poNum"], "PO-Q");
  EXPECT_EQ(served("POST /api/v2/platformModel/objects"), creates + 1);
}

}  // namespace
