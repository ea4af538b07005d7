// Value types' JSON both ways, and open enums with values the SDK does not know.

#include <gtest/gtest.h>

#include "roserocket/roserocket.hpp"

namespace rr = roserocket;
using namespace rr::model;

TEST(Money, WritesAndReadsMinorUnitsAndCurrency) {
  const Money m{1250, "USD"};
  const Json j = m;
  EXPECT_EQ(j, (Json{{"amount", 1250}, {"currencyCode", "USD"}}));
  EXPECT_EQ(j.get<Money>(), m);
}

TEST(Money, RefusesFractionalOrMissingAmounts) {
  EXPECT_THROW((Json{{"amount", 12.5}, {"currencyCode", "USD"}}.get<Money>()),
               rr::InvalidArgumentError);
  EXPECT_THROW((Json{{"currencyCode", "USD"}}.get<Money>()), rr::InvalidArgumentError);
  EXPECT_THROW(Json("12.50").get<Money>(), rr::InvalidArgumentError);
}

TEST(DateTimeValue, WritesLocalTimeWithoutZone) {
  EXPECT_EQ(Json(DateTimeValue::at("2024-05-01T09:00:00")),
            (Json{{"dateTimeInLocation", "2024-05-01T09:00:00"}}));
  EXPECT_EQ(Json(DateTimeValue::between("2024-05-01T09:00:00", "2024-05-01T11:30:00")),
            (Json{{"dateTimeInLocation", "2024-05-01T09:00:00"},
                  {"dateTimeInLocationEnd", "2024-05-01T11:30:00"}}));
}

TEST(DateTimeValue, RefusesZonesOffsetsAndNonsense) {
  for (const char* bad : {"2024-05-01T09:00:00Z", "2024-05-01T09:00:00+02:00", "2024-05-01",
                          "2024-13-01T09:00:00", "2024-05-01 09:00:00", ""}) {
    EXPECT_THROW(DateTimeValue::at(bad), rr::InvalidArgumentError) << bad;
  }
  EXPECT_THROW(DateTimeValue::between("2024-05-01T09:00:00", "later"), rr::InvalidArgumentError);
}

TEST(DateTimeValue, ReadsBackKeepingKeysItDoesNotKnow) {
  const Json wire = {{"dateTimeInLocation", "2024-05-01T09:00:00"},
                     {"dateTimeInLocationEnd", "2024-05-01T10:00:00"},
                     {"timezone", "America/Toronto"}};
  const auto v = wire.get<DateTimeValue>();
  EXPECT_EQ(v.date_time_in_location, "2024-05-01T09:00:00");
  EXPECT_EQ(v.date_time_in_location_end, "2024-05-01T10:00:00");
  EXPECT_EQ(Json(v), wire);
  EXPECT_THROW(Json("2024-05-01T09:00:00").get<DateTimeValue>(), rr::InvalidArgumentError);
}

TEST(TimeOfDay, IsSecondsFromMidnightWithAReadableForm) {
  EXPECT_EQ(TimeOfDay::of(9, 0).seconds(), 32400);
  EXPECT_EQ(TimeOfDay(32400).to_string(), "09:00");
  EXPECT_EQ(TimeOfDay(32405).to_string(), "09:00:05");
  EXPECT_EQ(TimeOfDay::parse("17:30"), TimeOfDay(63000));
  EXPECT_EQ(TimeOfDay::parse("24:00").seconds(), 86400);
  EXPECT_EQ(Json(TimeOfDay(60)), Json(60));
  EXPECT_EQ(Json(32400).get<TimeOfDay>(), TimeOfDay::of(9, 0));
}

TEST(TimeOfDay, RefusesOutOfRangeAndMalformed) {
  EXPECT_THROW(TimeOfDay(-1), rr::InvalidArgumentError);
  EXPECT_THROW(TimeOfDay(86401), rr::InvalidArgumentError);
  EXPECT_THROW(TimeOfDay::parse("9:00"), rr::InvalidArgumentError);
  EXPECT_THROW(TimeOfDay::parse("24:30"), rr::InvalidArgumentError);
  EXPECT_THROW(TimeOfDay::of(10, 60), rr::InvalidArgumentError);
  EXPECT_THROW(Json("09:00").get<TimeOfDay>(), rr::InvalidArgumentError);
}

TEST(Ref, IsAnObjectWithIdNeverABareString) {
  EXPECT_EQ(Json(Ref{"abc"}), (Json{{"id", "abc"}}));
  EXPECT_EQ((Json{{"id", "abc"}, {"name", "x"}}.get<Ref>()), Ref{"abc"});
  EXPECT_EQ(Json("abc").get<Ref>(), Ref{"abc"});
  EXPECT_THROW(Json(Ref{""}), rr::InvalidArgumentError);
  EXPECT_THROW(Json(5).get<Ref>(), rr::InvalidArgumentError);
}

TEST(OpenEnum, DocumentedConstantsCompareAndSerialise) {
  const OrderStatus s = OrderStatus::kInTransit;
  EXPECT_EQ(s.value(), "in transit");
  EXPECT_TRUE(s.is_known());
  EXPECT_EQ(Json(s), Json("in transit"));
  EXPECT_TRUE(s == OrderStatus::kInTransit);
  EXPECT_TRUE(OrderStatus::kInTransit == s);
  EXPECT_TRUE(s != OrderStatus::kBooked);
  EXPECT_EQ(Json("77.5").get<FreightClass>(), FreightClass::kClass77_5);
}

TEST(OpenEnum, UnknownValuesPassThroughBothWays) {
  const auto s = Json("quoted").get<OrderStatus>();
  EXPECT_EQ(s.value(), "quoted");
  EXPECT_FALSE(s.is_known());
  EXPECT_EQ(Json(s), Json("quoted"));

  Order order;
  order.set_status(OrderStatus("on hold"));
  EXPECT_EQ(order.changes(), (Json{{"status", "on hold"}}));
  EXPECT_EQ(order.status()->value(), "on hold");
  EXPECT_THROW(Json(3).get<OrderStatus>(), rr::InvalidArgumentError);
}
