// The catalog against the vendor's object pages (issue 12): fullId prefixes, the bill's
// billTotal, the invoice/quote/contact/financial line item/tax rate fields and enums, the
// commodity's quantities and weights, and the documented spelling variants read either way.

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace rr = roserocket;
using namespace rr::model;

TEST(CatalogVendorPages, DocumentedFullIdPrefixes) {
  const ObjectSpec* invoice = find_object("invoice");
  const ObjectSpec* bill = find_object("bill");
  ASSERT_NE(invoice, nullptr);
  ASSERT_NE(bill, nullptr);
  EXPECT_EQ(invoice->full_id_prefix, "INVOICE");
  EXPECT_EQ(invoice->full_id_prefix_provenance, Provenance::kDocumented);
  EXPECT_EQ(bill->full_id_prefix, "BILL");
  EXPECT_EQ(bill->full_id_prefix_provenance, Provenance::kDocumented);
  // What no page says stays a guess.
  EXPECT_EQ(find_object("commodity")->full_id_prefix_provenance, Provenance::kGuessed);
  EXPECT_EQ(find_object("taxRate")->full_id_prefix_provenance, Provenance::kGuessed);
}

TEST(CatalogVendorPages, BillTotalIsReadOnlyAndDerivedFromTheLineItems) {
  const FieldSpec* total = find_field("bill", "billTotal");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->access, Access::kDerived);
  EXPECT_EQ(total->type, FieldType::kNumber);
  EXPECT_EQ(total->derived_from, std::vector<std::string>{"lineItems"});
  EXPECT_EQ(total->provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("bill", "subTotal"), nullptr);  // the old guess is gone
  EXPECT_FALSE(read_only_reason("bill", "billTotal").empty());
  Bill bill;
  EXPECT_THROW(bill.set("billTotal", 12.5), rr::ReadOnlyFieldError);
}

TEST(CatalogVendorPages, InvoiceQuoteContactAndLineItemFields) {
  EXPECT_EQ(find_field("invoice", "status")->enum_values,
            (std::vector<std::string>{"created", "sent", "partiallyPaid", "paid"}));
  EXPECT_EQ(find_field("invoice", "terms")->enum_values.size(), 10u);
  EXPECT_EQ(find_field("invoice", "terms")->enum_values.front(), "pia");
  EXPECT_EQ(find_field("invoice", "terms")->enum_values.back(), "eom");
  EXPECT_EQ(find_field("invoice", "customer")->target, "customer");
  EXPECT_EQ(find_field("invoice", "remitToAddress")->target, "address");
  EXPECT_EQ(find_field("invoice", "dueDate")->type, FieldType::kDate);
  EXPECT_EQ(find_field("quote", "status")->enum_values,
            (std::vector<std::string>{"new", "sent", "won", "lost"}));
  EXPECT_EQ(find_field("quote", "reasonLost")->provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("quote", "total")->provenance, Provenance::kGuessed);
  EXPECT_EQ(find_field("contact", "name")->access, Access::kDerived);
  EXPECT_EQ(find_field("contact", "name")->derived_from,
            (std::vector<std::string>{"firstName", "lastName"}));
  EXPECT_EQ(find_field("contact", "isPrimary")->type, FieldType::kBoolean);
  EXPECT_EQ(find_field("financialLineItem", "rate")->type, FieldType::kNumber);
  EXPECT_EQ(find_field("financialLineItem", "type")->type, FieldType::kEnum);
  EXPECT_EQ(find_field("taxRate", "sourceType")->enum_values,
            (std::vector<std::string>{"manual", "codatQbo", "test"}));
  EXPECT_EQ(find_field("order", "refNum")->provenance, Provenance::kDocumented);
  EXPECT_EQ(find_field("commodity", "volumeUnit")->enum_values,
            (std::vector<std::string>{"gallons", "liters", "cubic feet"}));
  EXPECT_EQ(find_field("commodity", "weight")->provenance, Provenance::kGuessed);
}

TEST(CatalogVendorPages, TypedCommodityFieldsReplaceUntypedSets) {
  Commodity c;
  c.set_description("Apples")
      .set_quantity(4)
      .set_weight(120.5)
      .set_weight_unit(WeightUnit::kLbs)
      .set_length(48)
      .set_width(40)
      .set_height(36)
      .set_volume_unit(VolumeUnit::kCubicFeet);
  EXPECT_EQ(c.changes(), (Json{{"description", "Apples"},
                               {"quantity", 4},
                               {"weight", 120.5},
                               {"weightUnit", "lbs"},
                               {"length", 48.0},
                               {"width", 40.0},
                               {"height", 36.0},
                               {"volumeUnit", "cubic feet"}}));
  EXPECT_EQ(c.weight(), 120.5);
  Order order;
  order.set_ref_num("REF-1").set_po_num("PO-7");
  EXPECT_EQ(order.changes(), (Json{{"refNum", "REF-1"}, {"poNum", "PO-7"}}));
}

TEST(CatalogVendorPages, BusinessHoursReadInEitherSpelling) {
  auto customer = Customer::from_json(Json{
      {"busHoursTuesStartAt", 32400}, {"busHoursThursEndAt", 61200}, {"busHoursMonStartAt", 1}});
  EXPECT_EQ(customer.bus_hours_tue_start_at(), TimeOfDay::of(9, 0));
  EXPECT_EQ(customer.bus_hours_thu_end_at(), TimeOfDay::of(17, 0));
  EXPECT_EQ(customer.bus_hours_mon_start_at(), TimeOfDay(1));
  EXPECT_FALSE(customer.bus_hours_tue_end_at().has_value());
  // The seeds' spelling wins when both are present, and writes use it.
  auto both = Customer::from_json(Json{{"busHoursTueStartAt", 28800}, {"busHoursTuesStartAt", 1}});
  EXPECT_EQ(both.bus_hours_tue_start_at(), TimeOfDay::of(8, 0));
  customer.set_bus_hours_tue_start_at(TimeOfDay::of(10, 0));
  EXPECT_EQ(customer.changes(), (Json{{"busHoursTueStartAt", 36000}}));
  EXPECT_EQ(customer.json()["busHoursTuesStartAt"], 32400);  // nothing read is lost
  const FieldSpec* tue = find_field("customer", "busHoursTueStartAt");
  EXPECT_EQ(tue->aliases, std::vector<std::string>{"busHoursTuesStartAt"});
}

TEST(CatalogVendorPages, CustomerTypeReadsInAnyCase) {
  for (const char* wire : {"shipper", "Shipper", "SHIPPER"}) {
    auto customer = Customer::from_json(Json{{"customerType", wire}});
    EXPECT_EQ(customer.customer_type(), CustomerType::kShipper) << wire;
    EXPECT_EQ(customer.customer_type()->value(), "shipper") << wire;
    EXPECT_TRUE(customer.customer_type()->is_known()) << wire;
    EXPECT_EQ(customer.json()["customerType"], wire);  // the record keeps what was sent
  }
  auto unknown = Customer::from_json(Json{{"customerType", "Consignee"}});
  EXPECT_EQ(unknown.customer_type()->value(), "Consignee");
  EXPECT_FALSE(unknown.customer_type()->is_known());
  EXPECT_TRUE(enum_reads_any_case("CustomerType"));
  // Since ADR 0027 every enum reads the vendor's other spellings (the order page's Title Case).
  EXPECT_TRUE(enum_reads_any_case("OrderStatus"));
  EXPECT_FALSE(enum_reads_any_case("NoSuchEnum"));
  auto order = Order::from_json(Json{{"status", "Booked"}});
  EXPECT_EQ(order.status(), OrderStatus::kBooked);
  EXPECT_TRUE(order.status()->is_known());
  auto line = FinancialLineItem::from_json(Json{{"type", "Freight"}});
  EXPECT_EQ(line.type(), FinancialLineItemType::kFreight);
}
