// Issue 23 item 5: server timestamps as std::chrono::system_clock::time_point (UTC, to the
// millisecond) beside the strings: parse_timestamp, format_timestamp and the `*_time()` getters.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "model_test_support.hpp"
#include "roserocket/resources/resource.hpp"

namespace rr = roserocket;
using rr::model::Json;
using rr::model::parse_timestamp;
using rr::model::Timestamp;

namespace {

Timestamp at_epoch_ms(std::int64_t ms) {
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::milliseconds(ms)));
}

std::int64_t epoch_ms_of(const std::string& text) {
  const auto t = parse_timestamp(text);
  EXPECT_TRUE(t.has_value()) << text;
  if (!t)
    return -1;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

}  // namespace

TEST(Timestamps, ReadsZuluWithAndWithoutAFraction) {
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.409Z"), 1712069546409);
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26Z"), 1712069546000);
  EXPECT_EQ(epoch_ms_of("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(epoch_ms_of("2024-04-02t14:52:26z"), 1712069546000);
  EXPECT_EQ(epoch_ms_of("2024-04-02 14:52:26Z"), 1712069546000);
}

TEST(Timestamps, KeepsTheFractionToTheMillisecond) {
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.4Z"), 1712069546400);
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.40Z"), 1712069546400);
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.409999999Z"), 1712069546409);  // dropped, not rounded
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.000001Z"), 1712069546000);
}

TEST(Timestamps, AppliesOffsetsToReachUtc) {
  EXPECT_EQ(epoch_ms_of("2024-04-02T10:52:26.409-04:00"), 1712069546409);
  EXPECT_EQ(epoch_ms_of("2024-04-02T20:22:26.409+05:30"), 1712069546409);
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.409+00:00"), 1712069546409);
  EXPECT_EQ(epoch_ms_of("2024-04-02T14:52:26.409-00:00"), 1712069546409);
  // Across a day, a month and a year.
  EXPECT_EQ(epoch_ms_of("2023-12-31T20:00:00-04:00"), epoch_ms_of("2024-01-01T00:00:00Z"));
}

TEST(Timestamps, KnowsLeapYears) {
  EXPECT_EQ(epoch_ms_of("2024-02-29T00:00:00Z"), 1709164800000);
  EXPECT_EQ(epoch_ms_of("2000-02-29T12:00:00Z"), 951825600000);
  EXPECT_EQ(epoch_ms_of("2024-03-01T00:00:00Z") - epoch_ms_of("2024-02-28T00:00:00Z"),
            2 * 86400000);
  EXPECT_FALSE(parse_timestamp("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("1900-02-29T00:00:00Z"));  // divisible by 100, not by 400
  EXPECT_FALSE(parse_timestamp("2024-02-30T00:00:00Z"));
}

TEST(Timestamps, RefusesWhatIsNotAnRfc3339Instant) {
  for (const char* bad :
       {"", "2024-04-02", "2024-04-02T14:52:26", "2024-04-02T14:52:26.409", "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-04-02T24:00:00Z",
        "2024-04-02T14:60:00Z", "2024-04-02T14:52:60Z", "2024-04-02T14:52:26.Z",
        "2024-04-02T14:52:26+0400", "2024-04-02T14:52:26+24:00", "2024-04-02T14:52:26Zjunk",
        "2024-04-02X14:52:26Z", "20a4-04-02T14:52:26Z", "2024-04-02T14:52:26+04:00 "}) {
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
  }
}

TEST(Timestamps, FormatsAsTheServerWritesThem) {
  EXPECT_EQ(rr::model::format_timestamp(at_epoch_ms(1712069546409)), "2024-04-02T14:52:26.409Z");
  EXPECT_EQ(rr::model::format_timestamp(at_epoch_ms(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(rr::model::format_timestamp(at_epoch_ms(951825600000)), "2000-02-29T12:00:00.000Z");
  const auto back = parse_timestamp(rr::model::format_timestamp(at_epoch_ms(1709164800123)));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, at_epoch_ms(1709164800123));
}

TEST(Timestamps, TypedGettersReturnInstantsBesideTheStrings) {
  const auto customer =
      rr::model::Customer::from_json({{"id", "c1"},
                                      {"createdAt", "2024-04-02T14:52:26.409Z"},
                                      {"updatedAt", "2024-04-02T10:52:27-04:00"}});
  EXPECT_EQ(customer.created_at(), "2024-04-02T14:52:26.409Z");
  EXPECT_EQ(customer.created_at_time(), at_epoch_ms(1712069546409));
  EXPECT_EQ(customer.updated_at_time(), at_epoch_ms(1712069547000));
  EXPECT_EQ(customer.view().created_at_time(), at_epoch_ms(1712069546409));
  EXPECT_EQ(customer.get_time("updatedAt"), at_epoch_ms(1712069547000));
  const auto rate =
      rr::model::TaxRate::from_json({{"id", "r1"}, {"lastUpdatedAt", "2024-02-29T00:00:00Z"}});
  EXPECT_EQ(rate.last_updated_at_time(), at_epoch_ms(1709164800000));
  EXPECT_EQ(rate.view().last_updated_at_time(), at_epoch_ms(1709164800000));
}

TEST(Timestamps, AbsentOrNullIsNothingAndMalformedIsAnError) {
  const auto fresh = rr::model::Customer::from_json({{"id", "c1"}, {"updatedAt", nullptr}});
  EXPECT_FALSE(fresh.created_at_time());
  EXPECT_FALSE(fresh.updated_at_time());
  for (const Json& bad : {Json("yesterday"), Json("2024-04-02T14:52:26"), Json(1712069546409)}) {
    const auto c = rr::model::Customer::from_json({{"id", "c1"}, {"createdAt", bad}});
    try {
      (void)c.created_at_time();
      ADD_FAILURE() << bad.dump() << " was read";
    } catch (const rr::MalformedResponseError& e) {
      EXPECT_NE(std::string(e.what()).find("'createdAt'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("RFC 3339"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)c.view().created_at_time(), rr::MalformedResponseError);
    if (bad.is_string()) {
      EXPECT_EQ(c.created_at(), bad.get<std::string>());  // the string getter is unchanged
    }
  }
}
