#pragma once

// The nested order the issue asks for, built once for the unit test (exact JSON sent) and the
// emulator test (read back typed): a pickup with one commodity and a delivery, in one request.

#include "roserocket/model/records.hpp"

namespace rr_test {

/// An order for @p customer with a pickup task (one pallet, class 77.5, an appointment) and a
/// delivery task (a requested completion window); none of them has an id yet.
inline roserocket::model::Order nested_order(const roserocket::model::Ref& customer) {
  using namespace roserocket::model;
  Commodity pallets;
  pallets.set_commodity_type(CommodityType::kPallet)
      .set_freight_class(FreightClass::kClass77_5)
      .set_weight_unit(WeightUnit::kLbs);
  Task pickup;
  pickup.set_task_type(TaskType::kPickup)
      .set_ordinal(1)
      .set_appointment_time(DateTimeValue::at("2024-05-01T09:00:00"))
      .set_commodities({pallets});
  Task delivery;
  delivery.set_task_type(TaskType::kDelivery)
      .set_ordinal(2)
      .set_requested_completion_window(
          DateTimeValue::between("2024-05-02T08:00:00", "2024-05-02T12:00:00"));
  Order order;
  order.set_customer(customer).set_tasks({pickup, delivery});
  return order;
}

}  // namespace rr_test
