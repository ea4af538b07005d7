// ChangesFeed over the mock transport (exact requests, checkpoint only after the handler), the
// checkpoint stores, and the Webhooks facade's request shapes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "roserocket/webhooks/changes_feed.hpp"
#include "roserocket/webhooks/webhooks.hpp"
#include "unit/client_fixture.hpp"

namespace {

using Json = nlohmann::json;
using roserocket::ChangesFeed;
using roserocket::Event;

Json event(const std::string& id) {
  return {{"id", id},
          {"type", "mutate"},
          {"refId", "ord-1"},
          {"ownerId", "u"},
          {"createdAt", "2026-11-24T10:00:00.000Z"},
          {"json", Json::object()}};
}

Json page(std::initializer_list<const char*> ids) {
  Json results = Json::array();
  for (const char* id : ids)
    results.push_back(event(id));
  return {{"total", results.size()}, {"results", results}};
}

class Feed : public rr_test::ClientTest {
 protected:
  ChangesFeed feed(int page_size = 2) {
    roserocket::ChangesFeedOptions o;
    o.name = "orders-sync";
    o.page_size = page_size;
    return ChangesFeed(client(), roserocket::EventQuery::for_record("ord-1", "order"), store, o);
  }
  std::string url(std::size_t i) const { return mock->requests().at(i).url; }
  std::shared_ptr<roserocket::InMemoryCheckpointStore> store =
      std::make_shared<roserocket::InMemoryCheckpointStore>();
};

TEST_F(Feed, ReadsFromTheStartThenFromTheCheckpoint) {
  mock->enqueue_json(200, page({"e1", "e2"}));
  mock->enqueue_json(200, page({"e3"}));
  std::vector<std::string> handled;
  auto f = feed();
  EXPECT_EQ(f.run_once([&handled](const Event& e) { handled.push_back(e.id); }), 3u);
  EXPECT_THAT(handled, ::testing::ElementsAre("e1", "e2", "e3"));
  EXPECT_EQ(url(0), std::string(kBase) +
                        "/events?recordId=ord-1&objectKey=order&orderBy=createdAt&"
                        "orderByDirection=asc&limit=2");
  EXPECT_EQ(url(1), std::string(kBase) +
                        "/events?recordId=ord-1&objectKey=order&orderBy=createdAt&"
                        "orderByDirection=asc&limit=2&offset=1&bookmark=e2");
  EXPECT_EQ(f.checkpoint(), "e3");
  // The next pass asks only for what follows e3.
  mock->enqueue_json(200, page({}));
  EXPECT_EQ(f.run_once([](const Event&) { FAIL() << "nothing is new"; }), 0u);
  EXPECT_EQ(url(2), std::string(kBase) +
                        "/events?recordId=ord-1&objectKey=order&orderBy=createdAt&"
                        "orderByDirection=asc&limit=2&offset=1&bookmark=e3");
}

TEST_F(Feed, CheckpointStaysBeforeAnEventWhoseHandlerThrew) {
  mock->enqueue_json(200, page({"e1", "e2"}));
  auto f = feed();
  EXPECT_THROW(f.run_once([](const Event& e) {
    if (e.id == "e2")
      throw std::runtime_error("downstream refused");
  }),
               std::runtime_error);
  EXPECT_EQ(f.checkpoint(), "e1");
  // Resuming hands e2 over again, and nothing before it.
  mock->enqueue_json(200, page({"e2"}));
  std::vector<std::string> handled;
  f.run_once([&handled](const Event& e) { handled.push_back(e.id); });
  EXPECT_THAT(handled, ::testing::ElementsAre("e2"));
  EXPECT_THAT(url(1), ::testing::EndsWith("offset=1&bookmark=e1"));
}

TEST_F(Feed, StopSignalEndsAPassBetweenEvents) {
  mock->enqueue_json(200, page({"e1", "e2"}));
  roserocket::StopSignal stop;
  auto f = feed();
  std::vector<std::string> handled;
  f.run_once(
      [&](const Event& e) {
        handled.push_back(e.id);
        stop.request_stop();
      },
      &stop);
  EXPECT_THAT(handled, ::testing::ElementsAre("e1"));
  EXPECT_EQ(f.checkpoint(), "e1");
  // run() returns at once with a stop already requested. (The StopSignal overload is deprecated
  // in favour of the CancellationToken one; it must keep working.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  f.run([](const Event&) { FAIL(); }, stop);
#pragma GCC diagnostic pop
  EXPECT_EQ(mock->request_count(), 1u);
}

// Issue 23: ChangesFeed takes a CancellationToken like every other call.
TEST_F(Feed, CancellationTokenEndsAPassBetweenEventsAndRun) {
  mock->enqueue_json(200, page({"e1", "e2"}));
  roserocket::CancellationSource source;
  auto f = feed();
  std::vector<std::string> handled;
  EXPECT_EQ(f.run_once(
                [&](const Event& e) {
                  handled.push_back(e.id);
                  source.cancel();
                },
                source.token()),
            1u);
  EXPECT_THAT(handled, ::testing::ElementsAre("e1"));
  EXPECT_EQ(f.checkpoint(), "e1");
  f.run([](const Event&) { FAIL(); }, source.token());  // returns at once: already cancelled
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(Feed, RunPollsUntilTheTokensDeadline) {
  // Each poll finds nothing new and takes 1 s of test time; no pause between polls. The 2.5 s
  // deadline has passed after the third, and run returns normally.
  mock->set_fallback([this](const roserocket::HttpRequest&) {
    fake.steady += std::chrono::milliseconds(1000);
    return roserocket::HttpResponse{200, {}, page({}).dump()};
  });
  roserocket::CancellationSource source;
  source.cancel_after(std::chrono::milliseconds(2500), fake.clock().steady_now);
  roserocket::ChangesFeedOptions o;
  o.name = "orders-sync";
  o.poll_interval = std::chrono::milliseconds(0);
  ChangesFeed f(client(), roserocket::EventQuery::for_record("ord-1", "order"), store, o);
  f.run([](const Event&) { FAIL(); }, source.token());
  EXPECT_TRUE(source.token().deadline_exceeded());
  EXPECT_EQ(mock->request_count(), 3u);
  EXPECT_FALSE(f.checkpoint());
}

TEST_F(Feed, RefusesBadOptions) {
  roserocket::ChangesFeedOptions o;
  o.name = "x";
  o.page_size = 0;
  auto q = roserocket::EventQuery::for_record("ord-1", "order");
  EXPECT_THROW(ChangesFeed(client(), q, store, o), roserocket::InvalidArgumentError);
  o.page_size = 10;
  EXPECT_THROW(ChangesFeed(client(), q, nullptr, o), roserocket::InvalidArgumentError);
  o.name.clear();
  EXPECT_THROW(ChangesFeed(client(), q, store, o), roserocket::InvalidArgumentError);
  o.name = "x";
  EXPECT_THROW(ChangesFeed(client(), roserocket::EventQuery{}, store, o),
               roserocket::InvalidArgumentError);
}

class CheckpointFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("rr-ckpt-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "checkpoints.json").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
  std::string path;
};

TEST_F(CheckpointFile, KeepsEachFeedsPositionAcrossInstances) {
  {
    roserocket::FileCheckpointStore store(path);
    EXPECT_EQ(store.load("a"), std::nullopt);
    store.save("a", "e1");
    store.save("b", "e7");
    store.save("a", "e2");
  }
  roserocket::FileCheckpointStore again(path);
  EXPECT_EQ(again.load("a"), "e2");
  EXPECT_EQ(again.load("b"), "e7");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(CheckpointFile, ACorruptFileIsAnErrorNotAFreshStart) {
  std::ofstream(path) << "{\"a\": ";
  roserocket::FileCheckpointStore store(path);
  EXPECT_THROW(store.load("a"), roserocket::Error);
  EXPECT_THROW(store.save("a", "e1"), roserocket::Error);
  EXPECT_THROW(roserocket::FileCheckpointStore(""), roserocket::InvalidArgumentError);
}

class WebhooksFacade : public rr_test::ClientTest {};

TEST_F(WebhooksFacade, SubscribeCreatesTheDestinationWithItsSubscriptionsInOneRequest) {
  mock->enqueue_json(200, {{"id", "whd-1"},
                           {"objectKey", "webhookDestination"},
                           {"name", "erp"},
                           {"url", "https://erp.example.com/hooks/rr/secret"},
                           {"subscriptions",
                            {{{"id", "whs-1"},
                              {"objectKey", "webhookSubscription"},
                              {"eventName", "Order Status Changed"}}}}});
  auto dest = client().webhooks().subscribe("erp", "https://erp.example.com/hooks/rr/secret",
                                            {"Order Status Changed"});
  ASSERT_EQ(mock->request_count(), 1u);
  EXPECT_EQ(last().method, roserocket::HttpMethod::kPost);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects");
  EXPECT_EQ(
      last_body(),
      (Json{{"objectKey", "webhookDestination"},
            {"json",
             {{"name", "erp"},
              {"url", "https://erp.example.com/hooks/rr/secret"},
              {"subscriptions",
               {{{"objectKey", "webhookSubscription"}, {"eventName", "Order Status Changed"}}}}}},
            {"paths", {"subscriptions"}}}));
  EXPECT_EQ(dest.id(), "whd-1");
  ASSERT_EQ(dest.subscriptions().size(), 1u);
  EXPECT_EQ(dest.subscriptions()[0].event_name(), "Order Status Changed");
}

TEST_F(WebhooksFacade, SubscribeRefusesBadInputBeforeAnyRequest) {
  auto hooks = client().webhooks();
  EXPECT_THROW(hooks.subscribe("", "https://x", {"A"}), roserocket::InvalidArgumentError);
  EXPECT_THROW(hooks.subscribe("n", "ftp://x", {"A"}), roserocket::InvalidArgumentError);
  EXPECT_THROW(hooks.subscribe("n", "https://x", {}), roserocket::InvalidArgumentError);
  EXPECT_THROW(hooks.subscribe("n", "https://x", {"A", "A"}), roserocket::InvalidArgumentError);
  EXPECT_THROW(hooks.subscribe("n", "https://x", {""}), roserocket::InvalidArgumentError);
  EXPECT_THROW(hooks.remove(""), roserocket::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(WebhooksFacade, RemoveDeletesTheDestinationThenItsSubscriptions) {
  mock->enqueue_json(200, {{"id", "whd-1"},
                           {"objectKey", "webhookDestination"},
                           {"subscriptions",
                            {{{"id", "whs-1"}, {"objectKey", "webhookSubscription"}},
                             {{"id", "whs-2"}, {"objectKey", "webhookSubscription"}}}}});
  mock->enqueue_json(200, {{"id", "whd-1"}, {"objectKey", "webhookDestination"}});
  mock->enqueue_empty(204);
  client().webhooks().remove("whd-1");
  auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, roserocket::HttpMethod::kGet);
  EXPECT_EQ(requests[0].url, std::string(kBase) + "/objects/whd-1?paths=subscriptions");
  EXPECT_EQ(requests[1].method, roserocket::HttpMethod::kDelete);
  EXPECT_EQ(requests[1].url, std::string(kBase) + "/objects/whd-1");
  EXPECT_EQ(requests[2].method, roserocket::HttpMethod::kPost);
  EXPECT_EQ(requests[2].url, std::string(kBase) + "/objects/bulk_delete");
  EXPECT_EQ(Json::parse(requests[2].body)["ids"], (Json{"whs-1", "whs-2"}));
}

}  // namespace
