// Webhooks end to end: the emulator delivers over loopback HTTP to a listener (cpp-httplib
// around a roserocket::WebhookReceiver). A duplicate is dispatched once, a wrong secret is
// refused, deliveries that arrive out of order still see the latest record through the re-read,
// and the admin API shows every delivery.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;

constexpr const char* kSecret = "e2e-secret-0123456789abcdef";
constexpr const char* kPath = "/hooks/rr";
constexpr auto kWait = std::chrono::seconds(20);

// What the listener saw arrive, in order, and what its handler was called with.
struct Seen {
  std::string event_id;
  int delivered_version = 0;
  int status = 0;
};

class WebhooksEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    rr_emulator::Options eo;
    eo.webhooks.max_attempts = 3;
    eo.webhooks.initial_backoff = std::chrono::milliseconds(20);
    emulator_ = std::make_unique<rr_emulator::Emulator>(eo);
    emulator_->start();
    rr::OAuthOptions oauth;
    oauth.token_url = emulator_->token_url();
    oauth.client_id = rr_emulator::kDemoClientId;
    oauth.client_secret = rr_emulator::kDemoClientSecret;
    rr::ClientOptions co;
    co.base_url = emulator_->base_url();
    co.token_provider = std::make_shared<rr::ClientCredentialsTokenProvider>(oauth);
    client_ = std::make_unique<rr::Client>(co);

    rr::WebhookReceiverOptions ro;
    ro.secret = kSecret;
    ro.path = kPath;
    ro.reread_client = *client_;
    receiver_ = std::make_unique<rr::WebhookReceiver>(ro);
    receiver_->on("Order Status Changed", "order", [this](const rr::WebhookEvent& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      handled_.push_back(e);
      cv_.notify_all();
    });
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      rr::Headers headers;
      for (const auto& field : req.headers)
        headers.add(field.first, field.second);
      const auto answer = receiver_->handle(req.method, req.target, headers, req.body);
      res.status = answer.status;
      res.set_content(answer.body, answer.content_type.c_str());
      const Json body = Json::parse(req.body, nullptr, false);
      std::lock_guard<std::mutex> lock(mutex_);
      arrivals_.push_back(Seen{body.is_object() ? body.value("id", std::string()) : "",
                               body.is_object() ? body["json"].value("version", 0) : 0,
                               answer.status});
      cv_.notify_all();
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    listener_ = std::thread([this] { server_.listen_after_bind(); });
  }

  // The listener goes first (no handler may run on a destroyed receiver), then the clients,
  // whose pooled connections would hold the emulator's stop.
  void TearDown() override {
    server_.stop();
    listener_.join();
    client_.reset();
    receiver_.reset();
    emulator_->stop();
  }

  std::string url(const std::string& secret = kSecret) const {
    return "http://127.0.0.1:" + std::to_string(port_) + kPath + "/" + secret;
  }

  std::string new_order() {
    return client_->objects().create("order", {{"status", "new"}})["id"].get<std::string>();
  }

  void set_status(const std::string& id, const std::string& status) {
    client_->objects().update("order", id, {{"status", status}});
  }

  // Waits (bounded) until @p done holds over the emulator's delivery log.
  bool wait_for_deliveries(
      const std::function<bool(const std::vector<rr_emulator::WebhookDelivery>&)>& done) {
    const auto until = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < until) {
      if (done(emulator_->webhook_deliveries()))
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  static bool all_settled(const std::vector<rr_emulator::WebhookDelivery>& ds, std::size_t n) {
    if (ds.size() < n)
      return false;
    for (const auto& d : ds) {
      if (d.state == "pending")
        return false;
    }
    return true;
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::unique_ptr<rr::Client> client_;
  std::unique_ptr<rr::WebhookReceiver> receiver_;
  httplib::Server server_;
  std::thread listener_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<rr::WebhookEvent> handled_;
  std::vector<Seen> arrivals_;
};

TEST_F(WebhooksEndToEnd, StatusChangeReachesTheHandlerWithTheEnvelope) {
  auto destination = client_->webhooks().subscribe("e2e", url(), {"Order Status Changed"});
  const std::string order = new_order();
  set_status(order, "booked");
  {
    std::unique_lock<std::mutex> lock(mutex_);
    ASSERT_TRUE(cv_.wait_for(lock, kWait, [this] { return !handled_.empty(); }));
    const auto& e = handled_.front();
    EXPECT_EQ(e.type, "Order Status Changed");
    EXPECT_EQ(e.ref_id, order);
    EXPECT_EQ(e.object_key, "order");
    EXPECT_EQ(e.org_id, rr_emulator::kDemoOrgId);
    EXPECT_EQ(e.owner_id, rr_emulator::kDemoUserId);
    EXPECT_FALSE(e.created_at.empty());
    EXPECT_EQ(e.json["status"], "booked");
    ASSERT_TRUE(e.current.has_value());
    EXPECT_EQ(e.record<rr::model::Order>().status()->value(), "booked");
  }
  ASSERT_TRUE(wait_for_deliveries([](const auto& ds) { return all_settled(ds, 1); }));
  const auto ds = emulator_->webhook_deliveries();
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].state, "delivered");
  EXPECT_EQ(ds[0].attempts, 1);
  EXPECT_EQ(ds[0].last_status, 200);
  EXPECT_EQ(ds[0].destination_id, destination.id());
  // The admin API shows the same.
  httplib::Client admin("127.0.0.1", emulator_->port());
  auto res = admin.Get("/__emulator/webhooks");
  ASSERT_TRUE(res);
  const Json log = Json::parse(res->body);
  ASSERT_EQ(log["deliveries"].size(), 1u);
  EXPECT_EQ(log["deliveries"][0]["state"], "delivered");
  EXPECT_EQ(log["deliveries"][0]["body"]["refId"], order);
}

TEST_F(WebhooksEndToEnd, ADuplicateDeliveryIsDispatchedOnce) {
  client_->webhooks().subscribe("e2e", url(), {"Order Status Changed"});
  const std::string order = new_order();
  httplib::Client admin("127.0.0.1", emulator_->port());
  auto fault =
      admin.Post("/__emulator/webhooks/faults", R"({"kind":"duplicate"})", "application/json");
  ASSERT_TRUE(fault);
  ASSERT_EQ(fault->status, 201);
  set_status(order, "booked");
  ASSERT_TRUE(wait_for_deliveries([](const auto& ds) { return all_settled(ds, 2); }));
  const auto ds = emulator_->webhook_deliveries();
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].event_id, ds[1].event_id);
  EXPECT_TRUE(ds[1].duplicate);
  std::lock_guard<std::mutex> lock(mutex_);
  ASSERT_EQ(arrivals_.size(), 2u);
  EXPECT_EQ(arrivals_[0].event_id, arrivals_[1].event_id);
  EXPECT_EQ(arrivals_[0].status, 200);
  EXPECT_EQ(arrivals_[1].status, 200);  // acknowledged, so the platform stops
  EXPECT_EQ(handled_.size(), 1u);
}

TEST_F(WebhooksEndToEnd, AWrongSecretIsRefusedAndNeverDispatched) {
  client_->webhooks().subscribe("intruder", url("not-the-secret-0123456789"),
                                {"Order Status Changed"});
  set_status(new_order(), "booked");
  ASSERT_TRUE(wait_for_deliveries([](const auto& ds) { return all_settled(ds, 1); }));
  const auto ds = emulator_->webhook_deliveries();
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].state, "failed");
  EXPECT_EQ(ds[0].attempts, 3);  // retried with backoff, refused every time
  EXPECT_EQ(ds[0].last_status, 401);
  std::lock_guard<std::mutex> lock(mutex_);
  EXPECT_EQ(arrivals_.size(), 3u);
  EXPECT_TRUE(handled_.empty());
}

TEST_F(WebhooksEndToEnd, OutOfOrderDeliveriesStillSeeTheLatestVersion) {
  client_->webhooks().subscribe("e2e", url(), {"Order Status Changed"});
  const std::string order = new_order();
  // The first change's delivery is held back, so the second one overtakes it.
  rr_emulator::DeliveryFault hold;
  hold.kind = rr_emulator::DeliveryFaultKind::kDelay;
  hold.delay_ms = 3000;
  emulator_->add_delivery_fault(hold);
  set_status(order, "booked");
  set_status(order, "in transit");
  ASSERT_TRUE(wait_for_deliveries([](const auto& ds) { return all_settled(ds, 2); }));
  const Json latest = client_->objects().get(order);
  std::lock_guard<std::mutex> lock(mutex_);
  ASSERT_EQ(arrivals_.size(), 2u);
  // Delivered newest first...
  EXPECT_GT(arrivals_[0].delivered_version, arrivals_[1].delivered_version);
  ASSERT_EQ(handled_.size(), 2u);
  // ...yet the older delivery's handler still sees the record as it is now, not as delivered.
  for (const auto& e : handled_) {
    ASSERT_TRUE(e.current.has_value());
    EXPECT_EQ((*e.current)["version"], latest["version"]);
    EXPECT_EQ(e.record<rr::model::Order>().status()->value(), "in transit");
  }
  EXPECT_EQ(handled_[1].json["status"], "booked");  // what the late delivery carried
}

TEST_F(WebhooksEndToEnd, SubscriptionsAreListedAndRemoved) {
  auto hooks = client_->webhooks();
  auto a = hooks.subscribe("a", url(), {"Order Status Changed", "Order Created"});
  auto b = hooks.subscribe("b", url(), {"Order Status Changed"});
  auto listed = hooks.list();
  ASSERT_EQ(listed.size(), 2u);
  std::size_t subscriptions = 0;
  for (const auto& d : listed)
    subscriptions += d.subscriptions().size();
  EXPECT_EQ(subscriptions, 3u);
  hooks.remove(*a.id());
  listed = hooks.list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id(), b.id());
  EXPECT_THROW(client_->objects().get(*a.subscriptions()[0].id()), rr::NotFoundError);
  EXPECT_THROW(hooks.remove(*a.id()), rr::NotFoundError);
  // Nothing is delivered to a removed destination.
  hooks.remove(*b.id());
  set_status(new_order(), "booked");
  EXPECT_TRUE(emulator_->webhook_deliveries().empty());
}

TEST_F(WebhooksEndToEnd, UnreachableOrNonLoopbackDestinationsFailWithoutSlowingTheApi) {
  client_->webhooks().subscribe("remote", "https://example.com/hooks", {"Order Status Changed"});
  client_->webhooks().subscribe("closed", "http://127.0.0.1:1/hooks", {"Order Status Changed"});
  set_status(new_order(), "booked");
  ASSERT_TRUE(wait_for_deliveries([](const auto& ds) { return all_settled(ds, 2); }));
  for (const auto& d : emulator_->webhook_deliveries()) {
    EXPECT_EQ(d.state, "failed") << d.url;
    EXPECT_EQ(d.attempts, d.url.rfind("https://", 0) == 0 ? 1 : 3) << d.url;
  }
}

TEST_F(WebhooksEndToEnd, BadDeliveryFaultsAre400AndStopEndsPendingRetries) {
  httplib::Client admin("127.0.0.1", emulator_->port());
  auto bad = admin.Post("/__emulator/webhooks/faults", R"({"kind":"explode"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  // A destination that never answers well keeps a retry pending; stop() still returns.
  client_->webhooks().subscribe("closed", "http://127.0.0.1:1/hooks", {"Order Status Changed"});
  set_status(new_order(), "booked");
  client_.reset();
  emulator_->stop();
  EXPECT_FALSE(emulator_->running());
}

}  // namespace
