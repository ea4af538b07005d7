// The typed facades, Boards, Events and UserGroups round-tripped against the in-process
// emulator over real HTTP (CurlTransport, client-credentials tokens), on a free loopback port.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "sdk_against_emulator.hpp"
#include "support/required_fields.hpp"
#include "support/sample_orders.hpp"

namespace {

namespace rr = roserocket;
using rr::model::Json;

class FacadesEmulatorTest : public roserocket_test::EmulatorClientTest {};

// Every operation of one facade, each checked by reading the record back.
template <class T>
void round_trip(const rr::Resource<T>& facade, rr::Boards boards, const std::string& tag) {
  const std::string key(T::kObjectKey);

  T fresh;
  fresh.set("note__c", "fragile " + tag).set("rank__c", 3);
  const Json required = rr_test::required_fields_sample(key);  // what a create must carry
  for (const auto& [name, value] : required.items())
    fresh.set(name, value);
  T created = facade.create(fresh);
  ASSERT_TRUE(created.id().has_value()) << key;
  const std::string id = *created.id();
  EXPECT_EQ(created.key(), key);
  EXPECT_EQ(created.version(), 1);
  EXPECT_FALSE(created.full_id().value_or("").empty());

  // get -> change one field -> update: the other custom field survives.
  T got = facade.get(id);
  EXPECT_EQ(got.get("note__c"), "fragile " + tag);
  got.set("rank__c", 4);
  T updated = facade.update(got);
  EXPECT_EQ(updated.version(), 2) << key;
  EXPECT_EQ(updated.get("rank__c"), 4);
  EXPECT_EQ(facade.get(id).get("note__c"), "fragile " + tag);

  // upsert by external id: created once, then updated.
  T keyed;
  keyed.set_external_id("EXT-" + tag).set("rank__c", 1);
  auto first = facade.upsert(keyed);
  EXPECT_TRUE(first.created) << key;
  keyed.set("rank__c", 2);
  auto second = facade.upsert(keyed);
  EXPECT_FALSE(second.created) << key;
  EXPECT_EQ(second.record.id(), first.record.id());
  EXPECT_EQ(facade.get_by_external_id("EXT-" + tag).get("rank__c"), 2);

  T by_ext;
  by_ext.set("rank__c", 5);
  facade.upsert_by_external_id("EXT-" + tag, by_ext);
  EXPECT_EQ(facade.get(*first.record.id()).get("rank__c"), 5);

  T by_id;
  by_id.set("rank__c", 6);
  EXPECT_FALSE(facade.upsert_by_id(id, by_id).created);
  EXPECT_EQ(facade.get(id).get("rank__c"), 6);

  // search over the object's board.
  auto board = boards.first_for(key);
  ASSERT_TRUE(board.has_value()) << key;
  rr::SearchRequest search;
  search.board_id = board->id;
  search.filters.push_back({"note__c", rr::SearchOperator::kEquals, "fragile " + tag, "", ""});
  auto page = facade.search(search);
  ASSERT_EQ(page.results.size(), 1u) << key;
  EXPECT_EQ(page.results[0].id(), id);

  // remove, in each form.
  auto removed = facade.remove_by_external_id("EXT-" + tag);
  ASSERT_TRUE(removed.has_value()) << key;
  EXPECT_EQ(removed->id(), first.record.id());
  EXPECT_THROW(facade.get_by_external_id("EXT-" + tag), rr::NotFoundError);
  T spare;
  spare.set("note__c", "spare");
  for (const auto& [name, value] : required.items())
    spare.set(name, value);
  const std::string spare_id = *facade.create(spare).id();
  facade.bulk_remove({spare_id});
  EXPECT_THROW(facade.get(spare_id), rr::NotFoundError);
  facade.remove(id);
  EXPECT_THROW(facade.get(id), rr::NotFoundError) << key;
}

#define RR_FACADE(Type, Facade, method)                         \
  TEST_F(FacadesEmulatorTest, Type##RoundTripsEveryOperation) { \
    round_trip(client().method(), client().boards(), #Type);    \
  }
#include "roserocket/model/catalog.def"

TEST_F(FacadesEmulatorTest, NestedOrderIsCreatedInOneRequestAndReadBackTyped) {
  using namespace rr::model;
  Customer customer;
  customer.set_name("ABC Produce Co").set_customer_type(CustomerType::kShipper);
  const Customer shipper = client().customers().create(customer);

  const Order order = rr_test::nested_order(shipper.ref());

  const auto creates_before = served("POST /api/v2/platformModel/objects");
  const Order saved = client().orders().create(order);
  EXPECT_EQ(served("POST /api/v2/platformModel/objects"), creates_before + 1);
  EXPECT_EQ(saved.status(), OrderStatus::kNew);

  const Order read = client().orders().get(
      *saved.id(),
      {Order::customer_path, Order::tasks_path, Order::tasks_path / Task::commodities_path});
  ASSERT_TRUE(read.customer().has_value());
  EXPECT_EQ(read.customer()->name(), "ABC Produce Co");
  EXPECT_EQ(read.customer()->customer_type(), CustomerType::kShipper);
  const std::vector<Task> tasks = read.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_TRUE(tasks[0].id().has_value());
  EXPECT_EQ(tasks[0].task_type(), TaskType::kPickup);
  EXPECT_EQ(tasks[0].appointment_time(), DateTimeValue::at("2024-05-01T09:00:00"));
  EXPECT_EQ(tasks[1].requested_completion_window()->date_time_in_location_end,
            "2024-05-02T12:00:00");
  const std::vector<Commodity> goods = tasks[0].commodities();
  ASSERT_EQ(goods.size(), 1u);
  EXPECT_EQ(goods[0].freight_class(), FreightClass::kClass77_5);
  EXPECT_EQ(goods[0].weight_unit(), WeightUnit::kLbs);
  EXPECT_TRUE(tasks[1].commodities().empty());

  // The tasks are records of their own.
  const Task again = client().tasks().get(*tasks[0].id());
  EXPECT_EQ(again.ordinal(), 1);
}

TEST_F(FacadesEmulatorTest, ChangingOneFieldLosesNoCustomField) {
  using namespace rr::model;
  Customer c;
  c.set_name("XYZ Freight Corp").set("load__c", Json{{"pallets", 12}}).set("zone__c", "east");
  const std::string id = *client().customers().create(c).id();
  Customer got = client().customers().get(id);
  got.set_company_phone("555-555-5555");
  client().customers().update(got);
  const Customer after = client().customers().get(id);
  EXPECT_EQ(after.company_phone(), "555-555-5555");
  EXPECT_EQ(after.name(), "XYZ Freight Corp");
  EXPECT_EQ(after.get("load__c"), (Json{{"pallets", 12}}));
  EXPECT_EQ(after.get("zone__c"), "east");
  EXPECT_EQ(after.version(), 2);
}

TEST_F(FacadesEmulatorTest, InvoiceSubTotalIsDerivedAndRefusedLocally) {
  using namespace rr::model;
  FinancialLineItem freight;
  freight.set("amount", Json(Money{30000, "USD"}));
  FinancialLineItem fuel;
  fuel.set("amount", Json(Money{4550, "USD"}));
  Invoice invoice;
  invoice.set_line_items({freight, fuel});
  Invoice saved = client().invoices().create(invoice);
  EXPECT_EQ(saved.sub_total(), (Money{34550, "USD"}));
  EXPECT_THROW(saved.set("subTotal", Json(Money{1, "USD"})), rr::ReadOnlyFieldError);
  EXPECT_EQ(client().invoices().get(*saved.id()).sub_total(), (Money{34550, "USD"}));
}

TEST_F(FacadesEmulatorTest, BoardsEventsAndUserGroups) {
  using rr::model::EventType;
  const auto boards = client().boards().list_all();
  EXPECT_GE(boards.size(), 16u);
  const auto order_board = client().boards().first_for("order");
  ASSERT_TRUE(order_board.has_value());

  rr::model::Order order;
  order.set("load__c", "L-1").set_customer(rr::model::Customer().set_name("Board Freight"));
  const std::string order_id = *client().orders().create(order).id();
  for (int i = 0; i < 4; ++i) {
    rr::model::Order change = client().orders().get(order_id);
    change.set("load__c", "L-" + std::to_string(i + 2));
    client().orders().update(change);
  }
  client().events().create({order_id, order_board->id, EventType::kInternal, {{"note", "x"}}});

  auto query = rr::EventQuery::for_record(order_id, "order");
  query.limit = 2;
  query.order_by_direction = rr::SortDirection::kAsc;
  const auto all = client().events().list_all(query);
  ASSERT_EQ(all.size(), 6u);  // create, four mutations, the internal one
  EXPECT_EQ(all.front().type, EventType::kCreate);
  EXPECT_EQ(all.back().type, EventType::kInternal);
  query.in_types = {EventType::kMutate};
  EXPECT_EQ(client().events().list_all(query).size(), 4u);

  const std::string kUser1 = "9b2f4c1e-0000-4000-8000-000000000001";
  const std::string kUser2 = "9b2f4c1e-0000-4000-8000-000000000002";
  const std::string kUser3 = "9b2f4c1e-0000-4000-8000-000000000003";
  auto groups = client().user_groups();
  const auto dispatch = groups.create("Night dispatch", std::string("22:00 to 06:00"));
  EXPECT_THROW(groups.create("Night dispatch"), rr::ConflictError);
  EXPECT_EQ(groups.add_members(dispatch.id, {kUser1, kUser2}).added, 2);
  EXPECT_EQ(groups.change_members(dispatch.id, {kUser3}, {kUser1, kUser3}).removed, 1);
  const auto members = groups.members(dispatch.id);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].id, kUser2);
  groups.create("Day dispatch");
  groups.create("Billing");
  EXPECT_EQ(groups.list().size(), 3u);
  rr::UserGroupSearch all_groups;
  EXPECT_EQ(groups.search_all(all_groups, 2).size(), 3u);
  rr::UserGroupSearch by_name;
  by_name.name = "Billing";
  EXPECT_EQ(groups.search(by_name).results.at(0).name, "Billing");
}

}  // namespace
