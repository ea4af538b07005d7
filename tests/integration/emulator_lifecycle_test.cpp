// The Emulator object itself: start/stop, addresses, options, restarts, bind failures, and
// concurrent use from many threads.

#include <set>
#include <thread>

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

TEST(EmulatorLifecycle, StartReportsPortAndUrls) {
  rr_emulator::Emulator emulator;
  EXPECT_FALSE(emulator.running());
  emulator.start();
  EXPECT_TRUE(emulator.running());
  const int port = emulator.port();
  ASSERT_GT(port, 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(emulator.base_url(), base);
  EXPECT_EQ(emulator.api_base_url(), base + "/api/v2/platformModel");
  EXPECT_EQ(emulator.token_url(), base + "/oauth/token");
  EXPECT_EQ(emulator.options().client_id, rr_emulator::kDemoClientId);
  EXPECT_EQ(emulator.options().client_secret, rr_emulator::kDemoClientSecret);
  EXPECT_EQ(emulator.options().token_ttl, std::chrono::seconds(3600));
  emulator.stop();
  EXPECT_FALSE(emulator.running());
  emulator.stop();  // idempotent
}

TEST(EmulatorLifecycle, StartTwiceThrows) {
  rr_emulator::Emulator emulator;
  emulator.start();
  EXPECT_THROW(emulator.start(), std::runtime_error);
}

TEST(EmulatorLifecycle, BusyPortFailsStart) {
  rr_emulator::Emulator first;
  first.start();
  rr_emulator::Options options;
  options.port = first.port();
  rr_emulator::Emulator second(options);
  EXPECT_THROW(second.start(), std::runtime_error);
}

TEST(EmulatorLifecycle, RestartKeepsInMemoryData) {
  rr_emulator::Emulator emulator;
  emulator.start();
  httplib::Client c1("127.0.0.1", emulator.port());
  const std::string form =
      "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret";
  auto token =
      Json::parse(
          c1.Post("/oauth/token", form, "application/x-www-form-urlencoded")->body)["access_token"]
          .get<std::string>();
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto created = c1.Post((kApi + "/objects").c_str(), auth,
                         R"({"objectKey":"tag","json":{"name":"x"}})", "application/json");
  ASSERT_EQ(created->status, 200);
  const std::string id = Json::parse(created->body)["id"];
  emulator.stop();
  emulator.start();
  httplib::Client c2("127.0.0.1", emulator.port());
  auto got = c2.Get((kApi + "/objects/" + id).c_str(), auth);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
}

class ConcurrencyTest : public EmulatorTest {};

TEST_F(ConcurrencyTest, ParallelCreatesGetDistinctFullIds) {
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  std::vector<std::vector<std::string>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &seen] {
      auto c = client();
      c.set_keep_alive(true);
      for (int i = 0; i < kEach; ++i) {
        auto r = c.Post((kApi + "/objects").c_str(), {{"Authorization", "Bearer " + token_}},
                        R"({"objectKey":"order","json":{}})", "application/json");
        if (r && r->status == 200)
          seen[t].push_back(Json::parse(r->body)["fullId"]);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  std::set<std::string> ids;
  for (const auto& list : seen)
    ids.insert(list.begin(), list.end());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(ids.count("O-1"), 1u);
  EXPECT_EQ(ids.count("O-" + std::to_string(kThreads * kEach)), 1u);
}

TEST_F(ConcurrencyTest, WebhookDestinationWithNestedSubscriptions) {
  // The reference's webhook example: subscriptions are created inside the destination.
  Reply r = api("POST", "/objects",
                {{"objectKey", "webhookDestination"},
                 {"json",
                  {{"name", "orders"},
                   {"url", "http://127.0.0.1:9/hook"},
                   {"subscriptions", Json::array({{{"objectKey", "webhookSubscription"},
                                                   {"eventName", "Order Status Changed"}}})}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["subscriptions"].size(), 1u);
  EXPECT_EQ(r.json["subscriptions"][0]["objectKey"], "webhookSubscription");
  EXPECT_EQ(r.json["subscriptions"][0]["eventName"], "Order Status Changed");
  Reply wrong = api("POST", "/objects",
                    {{"objectKey", "webhookDestination"},
                     {"json", {{"subscriptions", Json::array({{{"objectKey", "tag"}}})}}}});
  EXPECT_EQ(wrong.status, 400);
}

}  // namespace
}  // namespace rr_emulator_test
