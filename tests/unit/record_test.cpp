// Record semantics: changed fields only, unknown and custom fields kept, read-only refusal.

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr_test::kBase;
using rr_test::MockClient;

namespace {

const Json kServerCustomer = {{"id", "f4da5073-0b52-469f-97fe-fd30092fcfbe"},
                              {"objectKey", "customer"},
                              {"orgId", "e3127dc0-fc4d-4354-b65d-b3e846d80297"},
                              {"source", "manual"},
                              {"fullId", "CUST-18"},
                              {"name", "ABC Produce Co"},
                              {"status", "active"},
                              {"customerType", "broker"},
                              {"busHoursMonStartAt", 32400},
                              {"formattedBusinessHours", "Monday - 09:00-09:00"},
                              {"externalId", nullptr},
                              {"load__c", {{"pallets", 12}, {"reefer", true}}},
                              {"somethingAddedTomorrow", "keep me"},
                              {"version", 1}};

}  // namespace

TEST(Record, GetChangeOneFieldUpdateSendsExactlyThatFieldAndLosesNothing) {
  MockClient m;
  m.mock->enqueue_json(200, kServerCustomer);
  auto customer = m.client.customers().get("f4da5073-0b52-469f-97fe-fd30092fcfbe");
  customer.set("load__c", Json{{"pallets", 14}, {"reefer", true}});

  Json answer = kServerCustomer;
  answer["load__c"]["pallets"] = 14;
  answer["version"] = 2;
  m.mock->enqueue_json(200, answer);
  auto updated = m.client.customers().update(customer);

  EXPECT_EQ(m.method(1), rr::HttpMethod::kPut);
  EXPECT_EQ(m.url(1), kBase + "/objects/f4da5073-0b52-469f-97fe-fd30092fcfbe");
  EXPECT_EQ(m.body(1), (Json{{"objectKey", "customer"},
                             {"json", {{"load__c", {{"pallets", 14}, {"reefer", true}}}}}}));
  // Nothing the SDK does not know was lost, locally or in the answer.
  EXPECT_EQ(customer.get("somethingAddedTomorrow"), "keep me");
  EXPECT_EQ(updated.get("somethingAddedTomorrow"), "keep me");
  EXPECT_EQ(updated.get("load__c")["pallets"], 14);
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.formatted_business_hours(), "Monday - 09:00-09:00");
}

TEST(Record, TypedChangeSendsOnlyThatField) {
  MockClient m;
  auto customer = rr::model::Customer::from_json(kServerCustomer);
  customer.set_company_phone("555-555-5555");
  m.mock->enqueue_json(200, kServerCustomer);
  m.client.customers().update(customer);
  EXPECT_EQ(m.body(0),
            (Json{{"objectKey", "customer"}, {"json", {{"companyPhone", "555-555-5555"}}}}));
}

TEST(Record, SettingInvoiceReadOnlyFieldsFailsBeforeAnyRequest) {
  MockClient m;
  auto invoice =
      rr::model::Invoice::from_json({{"id", "inv-1"},
                                     {"objectKey", "invoice"},
                                     {"subTotal", {{"amount", 100}, {"currencyCode", "USD"}}}});
  for (const char* field : {"subTotal", "fullId", "version"}) {
    try {
      invoice.set(field, 5);
      ADD_FAILURE() << field << " was accepted";
    } catch (const rr::ReadOnlyFieldError& e) {
      EXPECT_EQ(e.field(), field);
      EXPECT_EQ(e.object_key(), "invoice");
      EXPECT_NE(std::string(e.what()).find(std::string("'") + field + "'"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_TRUE(invoice.changed_fields().empty());
  EXPECT_EQ(invoice.sub_total()->amount, 100);  // the refused write changed nothing
  EXPECT_THROW(m.client.invoices().update(invoice), rr::InvalidArgumentError);
  EXPECT_EQ(m.mock->request_count(), 0u);
}

TEST(Record, ReadOnlyReasonSaysWhy) {
  rr::model::Invoice invoice;
  try {
    invoice.set("subTotal", Json{{"amount", 1}, {"currencyCode", "USD"}});
    FAIL() << "subTotal accepted";
  } catch (const rr::ReadOnlyFieldError& e) {
    EXPECT_NE(e.reason().find("derived from lineItems"), std::string::npos) << e.reason();
  }
  try {
    invoice.set("version", 3);
    FAIL() << "version accepted";
  } catch (const rr::ReadOnlyFieldError& e) {
    EXPECT_NE(e.reason().find("written by the server"), std::string::npos) << e.reason();
  }
}

TEST(Record, CommonFieldsAreReadOnlyEvenOnUnknownObjects) {
  rr::model::Record custom("load__c");
  EXPECT_THROW(custom.set("id", "x"), rr::ReadOnlyFieldError);
  EXPECT_THROW(custom.set("createdAt", "x"), rr::ReadOnlyFieldError);
  custom.set("weight__c", 12).set_external_id("E-1");
  EXPECT_EQ(custom.changes(), (Json{{"weight__c", 12}, {"externalId", "E-1"}}));
  EXPECT_THROW(custom.set("", 1), rr::InvalidArgumentError);
}

TEST(Record, ChangedFieldsKeepFirstSetOrderAndClear) {
  rr::model::Order order;
  order.set("b__c", 1).set("a__c", 2).set("b__c", 3);
  EXPECT_EQ(order.changed_fields(), (std::vector<std::string>{"b__c", "a__c"}));
  EXPECT_TRUE(order.is_changed("a__c"));
  EXPECT_EQ(order.changes(), (Json{{"b__c", 3}, {"a__c", 2}}));
  order.mark_clean();
  EXPECT_TRUE(order.changed_fields().empty());
  EXPECT_EQ(order.get("b__c"), 3);
}

TEST(Record, NewRecordKnowsItsKeyButDoesNotSendIt) {
  rr::model::Task task;
  EXPECT_EQ(task.key(), "task");
  EXPECT_EQ(task.object_key(), "task");
  EXPECT_EQ(task.changes(), Json::object());
  task.set_ordinal(2);
  EXPECT_EQ(task.write_json(), (Json{{"objectKey", "task"}, {"ordinal", 2}}));
  auto existing = rr::model::Task::from_json({{"id", "t1"}, {"ordinal", 1}});
  EXPECT_EQ(existing.write_json(), (Json{{"id", "t1"}}));
  existing.set_ordinal(4);
  EXPECT_EQ(existing.write_json(), (Json{{"id", "t1"}, {"ordinal", 4}}));
}

TEST(Record, FromJsonRefusesNonObjectsAndOtherObjects) {
  EXPECT_THROW(rr::model::Record::from_json(Json::array()), rr::InvalidArgumentError);
  EXPECT_THROW(rr::model::Order::from_json({{"objectKey", "task"}}), rr::InvalidArgumentError);
  auto keyless = rr::model::Order::from_json({{"id", "o1"}});
  EXPECT_EQ(keyless.key(), "order");
}

TEST(Record, AValueOfTheWrongShapeIsAClearError) {
  auto customer = rr::model::Customer::from_json({{"name", 42}, {"busHoursMonStartAt", "9am"}});
  try {
    (void)customer.name();
    FAIL() << "a number was read as a string";
  } catch (const rr::MalformedResponseError& e) {
    EXPECT_NE(std::string(e.what()).find("'name'"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)customer.bus_hours_mon_start_at(), rr::MalformedResponseError);
  EXPECT_EQ(customer.get("name"), 42);  // still reachable untyped
}

TEST(Record, AbsentAndNullFieldsReadAsNothing) {
  auto customer = rr::model::Customer::from_json({{"externalId", nullptr}});
  EXPECT_FALSE(customer.external_id().has_value());
  EXPECT_FALSE(customer.name().has_value());
  EXPECT_FALSE(customer.has("name"));
  EXPECT_TRUE(customer.has("externalId"));
  EXPECT_TRUE(customer.contacts().empty());
  EXPECT_FALSE(rr::model::Order{}.customer().has_value());
}

TEST(Record, ConnectionsReadBareIdsAndRefuseOtherShapes) {
  auto order = rr::model::Order::from_json(
      {{"customer", "c1"}, {"tasks", {"t1", {{"id", "t2"}}}}, {"partner", 7}, {"tags", 3}});
  EXPECT_EQ(order.customer()->id(), "c1");
  ASSERT_EQ(order.tasks().size(), 2u);
  EXPECT_EQ(order.tasks()[1].id(), "t2");
  EXPECT_THROW((void)order.partner(), rr::MalformedResponseError);
  EXPECT_THROW((void)order.tags(), rr::MalformedResponseError);
}

TEST(Record, RefOfARecordWithoutIdIsRefused) {
  rr::model::Customer fresh;
  EXPECT_THROW((void)fresh.ref(), rr::InvalidArgumentError);
  auto saved = rr::model::Customer::from_json({{"id", "c1"}});
  EXPECT_EQ(saved.ref(), rr::model::Ref{"c1"});
}
