// Issue 9: hostile input to the SDK's parsers and its one redaction mechanism.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/json_limits.hpp"
#include "core/redaction.hpp"
#include "unit/client_fixture.hpp"

namespace rr = roserocket;
using std::chrono::milliseconds;

namespace {

std::string temp_path(const char* name) {
  return ::testing::TempDir() + "/rr_hostile_" + std::to_string(::getpid()) + "_" + name;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace

TEST(Redaction, MasksEveryEncodingOfARegisteredSecret) {
  const auto held = rr::detail::register_secret("a~b c\"d/e");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"raw a~b c\"d/e end", "raw *** end"},
      {"upper a%7Eb%20c%22d%2Fe end", "upper *** end"},
      {"lower a%7eb+c%22d%2fe end", "lower *** end"},
      {"json a\\u007eb c\\\"d\\/e end", "json *** end"},
      {"mixed a~b+c%22d/e end", "mixed *** end"},
      {"twice a~b c\"d/e a~b c\"d/e", "twice *** ***"},
  };
  for (const auto& [in, out] : cases)
    EXPECT_EQ(rr::detail::redact(in), out) << in;
  // Not the secret: left alone.
  EXPECT_EQ(rr::detail::redact("a~b c\"d/x and 100%"), "a~b c\"d/x and 100%");
}

TEST(Redaction, EndsWithTheLastHandleAndIgnoresShortValues) {
  const auto before = rr::detail::registered_secret_count();
  {
    auto first = rr::detail::register_secret("temporary-secret");
    auto second = first;
    EXPECT_EQ(rr::detail::registered_secret_count(), before + 1);
    first.reset();
    EXPECT_EQ(rr::detail::redact("x temporary-secret"), "x ***");
  }
  EXPECT_EQ(rr::detail::registered_secret_count(), before);
  EXPECT_EQ(rr::detail::redact("x temporary-secret"), "x temporary-secret");
  EXPECT_EQ(rr::detail::register_secret("abc").use_count(), 0);
}

TEST(Redaction, ACutNeverLeavesPartOfASecret) {
  const std::string secret = "Zq9-secret-Zq9";
  const std::string text = std::string(195, '.') + secret + " rest";
  for (std::size_t limit = 190; limit < 215; ++limit) {
    const std::string cut = rr::detail::redact_snippet(text, limit, {secret});
    EXPECT_EQ(cut.find("Zq"), std::string::npos) << limit << ": " << cut;
  }
  // Encoded and cut in the middle of an escape.
  const std::string encoded = std::string(10, '.') + "Zq9%2Dsec";
  EXPECT_EQ(rr::detail::redact_snippet(encoded, 14, {secret}), std::string(10, '.') + "***...");
}

TEST(Redaction, EveryErrorTextPassesThroughIt) {
  const auto held = rr::detail::register_secret("live-token-0000");
  rr::ErrorContext context;
  context.messages.push_back("echo live%2Dtoken-0000");
  context.request_id = "live-token-0000";
  const rr::ServerError e("failed for live-token-0000", context);
  EXPECT_EQ(std::string(e.what()).find("live"), std::string::npos) << e.what();
  EXPECT_EQ(e.summary(), "failed for ***");
  EXPECT_EQ(e.messages().at(0), "echo ***");
  EXPECT_EQ(e.request_id(), "***");
}

TEST(JsonLimits, DepthIsCountedOutsideStringsOnly) {
  EXPECT_EQ(rr::detail::json_depth(R"({"a":[1,{"b":"[[[[{{"}]})", 100), 3u);
  EXPECT_EQ(rr::detail::json_depth(R"(["\"[[["])", 100), 1u);
  EXPECT_EQ(rr::detail::json_depth(std::string(1000000, '['), 256), 257u);
  rr::detail::JsonParse outcome = rr::detail::JsonParse::kOk;
  (void)rr::detail::parse_json_limited(std::string(300, '[') + std::string(300, ']'), outcome);
  EXPECT_EQ(outcome, rr::detail::JsonParse::kTooDeep);
  const auto ok =
      rr::detail::parse_json_limited(std::string(256, '[') + std::string(256, ']'), outcome);
  EXPECT_EQ(outcome, rr::detail::JsonParse::kOk);
  EXPECT_TRUE(ok.is_array());
  EXPECT_TRUE(rr::detail::is_valid_utf8("plain \xc3\xa9 \xf0\x9f\x9a\x9a"));
  for (const char* bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
    EXPECT_FALSE(rr::detail::is_valid_utf8(bad)) << bad;
}

TEST(IntegerGetters, RefuseNumbersOutsideTheirRange) {
  using rr::model::integer_from_json;
  using rr::model::Json;
  EXPECT_EQ(integer_from_json<std::int64_t>(Json::parse("-9223372036854775808")), INT64_MIN);
  EXPECT_EQ(integer_from_json<std::int64_t>(Json::parse("4.0")), 4);
  EXPECT_EQ(integer_from_json<int>(Json(2147483647)), 2147483647);
  for (const char* text : {"1e300", "-1e300", "1.5", "9223372036854775808", "9.3e18", "\"7\"",
                           "18446744073709551615", "1e19"}) {
    EXPECT_THROW((void)integer_from_json<std::int64_t>(Json::parse(text)), rr::InvalidArgumentError)
        << text;
  }
  EXPECT_THROW((void)integer_from_json<int>(Json(2147483648LL)), rr::InvalidArgumentError);
  EXPECT_THROW((void)integer_from_json<unsigned>(Json(-1)), rr::InvalidArgumentError);
  EXPECT_THROW((void)Json::parse(R"({"amount":18446744073709551615,"currencyCode":"USD"})")
                   .get<rr::model::Money>(),
               rr::InvalidArgumentError);
  EXPECT_THROW((void)Json::parse("1e300").get<rr::model::TimeOfDay>(), rr::InvalidArgumentError);
}

TEST(RetryAfter, DatesFarAheadGiveALongDelayNeverZero) {
  const auto now = std::chrono::system_clock::from_time_t(1700000000);
  for (const char* date : {"Fri, 01 Jan 2300 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"}) {
    const auto delay = rr::parse_retry_after(date, now);
    ASSERT_TRUE(delay.has_value()) << date;
    EXPECT_GT(*delay, std::chrono::hours(24 * 365 * 20)) << date;
  }
  const auto near = rr::parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", now);  // now + 10 s
  ASSERT_TRUE(near.has_value());
  EXPECT_EQ(*near, milliseconds(10000));
}

TEST(TokenFile, WrongTypesGiveTheSdksErrorAndHugeExpiryIsClamped) {
  const std::string path = temp_path("tokens.json");
  rr::FileTokenStore store(path);
  for (const char* text : {R"({"access_token":5})", R"({"access_token":"a","scope":[1]})",
                           R"({"access_token":"a","expires_at":1e400})"}) {
    write_file(path, text);
    try {
      (void)store.load();
      ADD_FAILURE() << "loaded " << text;
    } catch (const rr::Error& e) {
      EXPECT_NE(std::string(e.what()).find("is not a saved token set"), std::string::npos);
    }
  }
  write_file(path, std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_THROW((void)store.load(), rr::Error);
  for (const char* expiry : {"99999999999999", "1e300", "18446744073709551615"}) {
    write_file(path, std::string(R"({"access_token":"tok-abcdef","expires_at":)") + expiry + "}");
    const auto tokens = store.load();
    ASSERT_TRUE(tokens && tokens->expires_at) << expiry;
    EXPECT_GT(*tokens->expires_at, std::chrono::system_clock::now() + std::chrono::hours(24 * 365))
        << expiry << ": wrapped into the past";
  }
  std::remove(path.c_str());
}

class HostileClientTest : public rr_test::ClientTest {};

TEST_F(HostileClientTest, NonUtf8TextInARecordIsAnInvalidArgumentAndNothingIsSent) {
  nlohmann::json fields = {{"name", std::string("bad \xff byte")}};
  try {
    (void)objects().create("customer", fields);
    FAIL() << "nothing thrown";
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("not valid UTF-8"), std::string::npos) << e.what();
  }
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(HostileClientTest, RetryAfterPast2262EndsTheRetriesInsteadOfSpinning) {
  rr::Headers headers;
  headers.add("Retry-After", "Fri, 01 Jan 2300 00:00:00 GMT");
  for (int i = 0; i < 5; ++i)
    mock->enqueue_json(503, {{"message", "busy"}}, headers);
  EXPECT_THROW((void)objects().get("c1"), rr::ServerError);
  EXPECT_EQ(mock->request_count(), 1u) << "a wrapped date read as 0 ms retried at once";
  EXPECT_TRUE(fake.sleeps.empty());
}
