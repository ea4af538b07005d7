// WebhookReceiver: every answer it can give, dedupe stores (expiry, restarts), re-read through
// the mock transport, and WebhookEvent's typed access.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "roserocket/webhooks/seen_event_store.hpp"
#include "roserocket/webhooks/webhook_receiver.hpp"
#include "support/threads.hpp"
#include "unit/client_fixture.hpp"

namespace {

using roserocket::Headers;
using roserocket::WebhookEvent;
using roserocket::WebhookReceiver;
using roserocket::WebhookReceiverOptions;
using Json = nlohmann::json;

constexpr const char* kSecret = "s3cret-0123456789abcdef";

Json envelope(const std::string& id = "evt-1", const std::string& type = "Order Status Changed",
              const std::string& object_key = "order") {
  return {{"id", id},
          {"type", type},
          {"refId", "ord-1"},
          {"ownerId", "user-1"},
          {"orgId", "org-1"},
          {"objectKey", object_key},
          {"createdAt", "2026-11-24T10:00:00.000Z"},
          {"json",
           {{"id", "ord-1"}, {"objectKey", "order"}, {"status", "dispatched"}, {"version", 3}}}};
}

WebhookReceiverOptions receiver_options() {
  WebhookReceiverOptions o;
  o.secret = kSecret;
  o.path = "/hooks/rr";
  return o;
}

const Headers kJson{{"Content-Type", "application/json"}};
const std::string kPathTarget = std::string("/hooks/rr/") + kSecret;

class Receiver : public ::testing::Test {
 protected:
  Receiver() : receiver(receiver_options()) {
    receiver.on("Order Status Changed", "order", [this](const WebhookEvent& e) {
      ++calls;
      last = e;
    });
  }
  roserocket::WebhookResponse post(const std::string& body,
                                   const std::string& target = kPathTarget) {
    return receiver.handle("POST", target, kJson, body);
  }
  WebhookReceiver receiver;
  std::atomic<int> calls{0};
  WebhookEvent last;
};

TEST(ConstantTimeEquals, EqualOnlyForTheSameBytes) {
  EXPECT_TRUE(roserocket::constant_time_equals("abcdef", "abcdef"));
  EXPECT_FALSE(roserocket::constant_time_equals("abcdef", "abcdeg"));
  EXPECT_FALSE(roserocket::constant_time_equals("abcdef", "abcde"));
  EXPECT_FALSE(roserocket::constant_time_equals("abcdef", "abcdefg"));
  EXPECT_FALSE(roserocket::constant_time_equals("abcdef", ""));
  EXPECT_TRUE(roserocket::constant_time_equals("", ""));
}

TEST_F(Receiver, SecretInPathDispatchesOnceWithTheEnvelope) {
  auto r = post(envelope().dump());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["status"], "handled");
  ASSERT_EQ(calls, 1);
  EXPECT_EQ(last.id, "evt-1");
  EXPECT_EQ(last.type, "Order Status Changed");
  EXPECT_EQ(last.ref_id, "ord-1");
  EXPECT_EQ(last.owner_id, "user-1");
  EXPECT_EQ(last.org_id, "org-1");
  EXPECT_EQ(last.object_key, "order");
  EXPECT_EQ(last.created_at, "2026-11-24T10:00:00.000Z");
  EXPECT_FALSE(last.current.has_value());
  auto order = last.record<roserocket::model::Order>();
  EXPECT_EQ(order.version(), 3);
  EXPECT_EQ(order.get("status"), "dispatched");
}

TEST_F(Receiver, SecretInQueryTokenIsAccepted) {
  auto r = post(envelope().dump(), std::string("/hooks/rr?a=1&token=") + kSecret);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(calls, 1);
}

TEST_F(Receiver, WrongOrMissingSecretIs401AndDispatchesNothing) {
  const std::string body = envelope().dump();
  for (const std::string& target :
       {std::string("/hooks/rr/wrong-secret-0123456789"), std::string("/hooks/rr/") + kSecret + "x",
        std::string("/hooks/rr/") + std::string(kSecret).substr(0, 10), std::string("/hooks/rr"),
        std::string("/hooks/rr?token="), std::string("/hooks/rr?token=nope")}) {
    auto r = post(body, target);
    EXPECT_EQ(r.status, 401) << target;
    EXPECT_EQ(r.body.find(kSecret), std::string::npos);
  }
  EXPECT_EQ(calls, 0);
}

TEST_F(Receiver, OtherPathsAre404) {
  EXPECT_EQ(post(envelope().dump(), std::string("/other/") + kSecret).status, 404);
  EXPECT_EQ(post(envelope().dump(), std::string("/hooks/rr/x/") + kSecret).status, 404);
  EXPECT_EQ(calls, 0);
}

TEST_F(Receiver, NotAPostIs405AndNotJsonIs415) {
  EXPECT_EQ(receiver.handle("GET", kPathTarget, {}, "").status, 405);
  EXPECT_EQ(
      receiver
          .handle("POST", kPathTarget, Headers{{"Content-Type", "text/plain"}}, envelope().dump())
          .status,
      415);
  // A JSON media type with parameters, and no Content-Type at all, are fine.
  EXPECT_EQ(
      receiver
          .handle("POST", kPathTarget, Headers{{"Content-Type", "application/json; charset=utf-8"}},
                  envelope("a").dump())
          .status,
      200);
  EXPECT_EQ(receiver.handle("POST", kPathTarget, {}, envelope("b").dump()).status, 200);
  EXPECT_EQ(calls, 2);
}

TEST_F(Receiver, MalformedOversizedOrTooDeepBodiesAre400) {
  EXPECT_EQ(post("{not json").status, 400);
  EXPECT_EQ(post("[]").status, 400);
  Json no_id = envelope();
  no_id.erase("id");
  EXPECT_EQ(post(no_id.dump()).status, 400);
  Json bad_id = envelope("line\nbreak");
  EXPECT_EQ(post(bad_id.dump()).status, 400);
  Json numeric_type = envelope();
  numeric_type["type"] = 7;
  EXPECT_EQ(post(numeric_type.dump()).status, 400);
  // Nesting that would exhaust a recursive parser's stack is refused while parsing.
  EXPECT_EQ(post(std::string(200000, '[') + std::string(200000, ']')).status, 400);
  Json deep = envelope();
  Json nested = Json::object();
  for (int i = 0; i < 70; ++i)
    nested = Json{{"n", nested}};
  deep["json"]["extra"] = nested;
  EXPECT_EQ(post(deep.dump()).status, 400);
  Json big = envelope();
  big["json"]["notes"] = std::string(2 * 1024 * 1024, 'x');
  auto r = post(big.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_LT(r.body.size(), 100u);  // never echoes the body
  EXPECT_EQ(calls, 0);
}

TEST_F(Receiver, DuplicateIsAnswered200WithoutDispatch) {
  EXPECT_EQ(post(envelope().dump()).status, 200);
  auto again = post(envelope().dump());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Json::parse(again.body)["status"], "duplicate");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(post(envelope("evt-2").dump()).status, 200);
  EXPECT_EQ(calls, 2);
}

TEST(ReceiverHandlers, AThrowingHandlerIs500AndTheRedeliveryRunsAgain) {
  WebhookReceiverOptions o = receiver_options();
  int reported = 0;
  o.on_handler_error = [&reported](const WebhookEvent& e, std::exception_ptr error) {
    EXPECT_EQ(e.id, "evt-1");
    EXPECT_THROW(std::rethrow_exception(error), std::runtime_error);
    ++reported;
  };
  WebhookReceiver receiver(o);
  int attempts = 0;
  receiver.on("*", "*", [&attempts](const WebhookEvent&) {
    if (++attempts == 1)
      throw std::runtime_error("database down: password=hunter2");
  });
  auto first = receiver.handle("POST", kPathTarget, kJson, envelope().dump());
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(first.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(reported, 1);
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status, 200);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status, 200);
  EXPECT_EQ(attempts, 2);
}

TEST(ReceiverHandlers, RoutesByTypeAndObjectKey) {
  WebhookReceiver receiver(receiver_options());
  std::vector<std::string> seen;
  receiver.on("Order Status Changed", "order",
              [&seen](const WebhookEvent& e) { seen.push_back("status:" + e.id); });
  receiver.on("*", "order",
              [&seen](const WebhookEvent& e) { seen.push_back("any-order:" + e.id); });
  receiver.on("Order Created", "*",
              [&seen](const WebhookEvent& e) { seen.push_back("created:" + e.id); });
  auto send = [&receiver](const Json& body) {
    return receiver.handle("POST", kPathTarget, kJson, body.dump());
  };
  EXPECT_EQ(send(envelope("1")).status, 200);
  EXPECT_EQ(send(envelope("2", "Order Created")).status, 200);
  auto ignored = send(envelope("3", "Customer Changed", "customer"));
  EXPECT_EQ(ignored.status, 200);
  EXPECT_EQ(Json::parse(ignored.body)["status"], "ignored");
  EXPECT_THAT(seen, ::testing::ElementsAre("status:1", "any-order:1", "any-order:2", "created:2"));
  EXPECT_THROW(receiver.on("", "order", [](const WebhookEvent&) {}),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(receiver.on("x", "order", nullptr), roserocket::InvalidArgumentError);
}

TEST(ReceiverOptions, RefusesWeakSecretsAndBadPaths) {
  WebhookReceiverOptions o = receiver_options();
  o.secret = "short";
  EXPECT_THROW(WebhookReceiver{o}, roserocket::InvalidArgumentError);
  o.secret = "has space in it 0123456789";
  EXPECT_THROW(WebhookReceiver{o}, roserocket::InvalidArgumentError);
  o = receiver_options();
  o.path = "hooks";
  EXPECT_THROW(WebhookReceiver{o}, roserocket::InvalidArgumentError);
  try {
    o = receiver_options();
    o.secret = std::string(kSecret) + " ";
    WebhookReceiver bad(o);
    FAIL() << "accepted a secret with a space";
  } catch (const roserocket::InvalidArgumentError& e) {
    EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos);
  }
}

TEST(ReceiverConcurrency, SimultaneousRedeliveriesDispatchOnce) {
  WebhookReceiver receiver(receiver_options());
  std::atomic<int> calls{0};
  std::atomic<bool> release{false};
  receiver.on("*", "*", [&](const WebhookEvent&) {
    ++calls;
    while (!release)
      std::this_thread::yield();
  });
  std::atomic<int> ok{0};
  std::atomic<int> busy{0};
  std::thread first([&] {
    if (receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status == 200)
      ++ok;
  });
  while (calls == 0)
    std::this_thread::yield();
  // While the first is in its handler, every other copy is told to come back later.
  rr_test::run_together(4, [&](int) {
    const int status = receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status;
    if (status == 409)
      ++busy;
    return status == 409;
  });
  release = true;
  first.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(busy, 4);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status, 200);
  EXPECT_EQ(calls, 1);
}

class ReceiverReread : public rr_test::ClientTest {};

TEST_F(ReceiverReread, HandlerSeesTheRecordAsItIsNow) {
  WebhookReceiverOptions o = receiver_options();
  o.reread_client = client();
  WebhookReceiver receiver(o);
  std::optional<roserocket::model::Order> seen;
  receiver.on("*", "order",
              [&seen](const WebhookEvent& e) { seen = e.record<roserocket::model::Order>(); });
  mock->enqueue_json(
      200, {{"id", "ord-1"}, {"objectKey", "order"}, {"status", "delivered"}, {"version", 5}});
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status, 200);
  ASSERT_EQ(mock->request_count(), 1u);
  EXPECT_EQ(last().method, roserocket::HttpMethod::kGet);
  EXPECT_EQ(last().url, std::string(kBase) + "/objects/ord-1");
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->version(), 5);
  EXPECT_EQ(seen->get("status"), "delivered");
}

TEST_F(ReceiverReread, DeletedRecordIsFlaggedAndFailedReadIs503) {
  WebhookReceiverOptions o = receiver_options();
  auto no_retries = options();
  no_retries.retry.max_attempts = 1;
  o.reread_client = roserocket::Client(no_retries);
  WebhookReceiver receiver(o);
  int calls = 0;
  bool deleted = false;
  receiver.on("*", "*", [&](const WebhookEvent& e) {
    ++calls;
    deleted = e.record_deleted && !e.current;
  });
  mock->enqueue_json(404, {{"statusCode", 404}, {"message", "not found"}});
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope("gone").dump()).status, 200);
  EXPECT_TRUE(deleted);
  mock->enqueue_json(500, {{"statusCode", 500}, {"message", "boom"}});
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope("later").dump()).status, 503);
  EXPECT_EQ(calls, 1);
  // Not marked as seen: the redelivery is handled.
  mock->enqueue_json(200, {{"id", "ord-1"}, {"objectKey", "order"}});
  EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope("later").dump()).status, 200);
  EXPECT_EQ(calls, 2);
}

// --- stores ---

struct SeenStoreClock {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::from_time_t(1800000000);
  roserocket::SeenClock fn() {
    return [this] { return now; };
  }
};

TEST(InMemorySeenStore, ForgetsIdsAfterTheirTtl) {
  SeenStoreClock clock;
  roserocket::InMemorySeenEventStore store(std::chrono::seconds(60), 1000, clock.fn());
  store.mark_seen("a");
  clock.now += std::chrono::seconds(30);
  store.mark_seen("b");
  EXPECT_TRUE(store.seen("a"));
  EXPECT_TRUE(store.seen("b"));
  clock.now += std::chrono::seconds(31);
  EXPECT_FALSE(store.seen("a"));
  EXPECT_TRUE(store.seen("b"));
  EXPECT_EQ(store.size(), 1u);
  clock.now += std::chrono::seconds(30);
  EXPECT_FALSE(store.seen("b"));
  EXPECT_EQ(store.size(), 0u);
}

TEST(InMemorySeenStore, KeepsAtMostMaxEntriesDroppingTheOldest) {
  SeenStoreClock clock;
  roserocket::InMemorySeenEventStore store(std::chrono::seconds(60), 2, clock.fn());
  store.mark_seen("a");
  clock.now += std::chrono::seconds(1);
  store.mark_seen("b");
  clock.now += std::chrono::seconds(1);
  store.mark_seen("c");
  EXPECT_FALSE(store.seen("a"));
  EXPECT_TRUE(store.seen("b"));
  EXPECT_TRUE(store.seen("c"));
  EXPECT_THROW(roserocket::InMemorySeenEventStore(std::chrono::seconds(0)),
               roserocket::InvalidArgumentError);
}

class FileSeenStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("rr-seen-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "seen.log").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
  std::string path;
  SeenStoreClock clock;
};

TEST_F(FileSeenStore, SurvivesARestart) {
  {
    roserocket::FileSeenEventStore store(path, std::chrono::seconds(60), clock.fn());
    store.mark_seen("evt-1");
    store.mark_seen("evt-2");
  }
  roserocket::FileSeenEventStore reopened(path, std::chrono::seconds(60), clock.fn());
  EXPECT_TRUE(reopened.seen("evt-1"));
  EXPECT_TRUE(reopened.seen("evt-2"));
  EXPECT_FALSE(reopened.seen("evt-3"));
  EXPECT_EQ(reopened.size(), 2u);
}

TEST_F(FileSeenStore, DropsExpiredIdsAndATornLastLineOnOpen) {
  {
    roserocket::FileSeenEventStore store(path, std::chrono::seconds(60), clock.fn());
    store.mark_seen("old");
    clock.now += std::chrono::seconds(50);
    store.mark_seen("new");
  }
  {
    std::ofstream torn(path, std::ios::app);
    torn << "99999999999999 half-writ";  // a crash in the middle of an append
  }
  clock.now += std::chrono::seconds(20);
  roserocket::FileSeenEventStore reopened(path, std::chrono::seconds(60), clock.fn());
  EXPECT_FALSE(reopened.seen("old"));
  EXPECT_TRUE(reopened.seen("new"));
  EXPECT_FALSE(reopened.seen("half-writ"));
  // The rewrite on open kept only the live id.
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents.find("old"), std::string::npos);
  EXPECT_NE(contents.find("new"), std::string::npos);
}

TEST_F(FileSeenStore, CompactsWhenMostLinesAreStale) {
  {
    roserocket::FileSeenEventStore store(path, std::chrono::seconds(10), clock.fn());
    for (int i = 0; i < 200; ++i) {
      store.mark_seen("evt-" + std::to_string(i));
      clock.now += std::chrono::seconds(1);
    }
    std::ifstream in(path);
    int lines = 0;
    for (std::string line; std::getline(in, line);)
      ++lines;
    EXPECT_LT(lines, 100);
    EXPECT_TRUE(store.seen("evt-199"));
  }
  // A restart: the reopen rewrites the file, which Windows allows only once no one else has it
  // open (one store per file at a time, as the store's documentation says).
  roserocket::FileSeenEventStore reopened(path, std::chrono::seconds(10), clock.fn());
  EXPECT_TRUE(reopened.seen("evt-199"));
  EXPECT_FALSE(reopened.seen("evt-0"));
}

TEST_F(FileSeenStore, ReceiverWithAFileStoreDropsADuplicateAfterARestart) {
  int calls = 0;
  for (int run = 0; run < 2; ++run) {
    WebhookReceiverOptions o = receiver_options();
    o.seen_store = std::make_shared<roserocket::FileSeenEventStore>(path);
    WebhookReceiver receiver(o);
    receiver.on("*", "*", [&calls](const WebhookEvent&) { ++calls; });
    EXPECT_EQ(receiver.handle("POST", kPathTarget, kJson, envelope().dump()).status, 200);
  }
  EXPECT_EQ(calls, 1);
}

TEST(WebhookEventType, RecordOfAnotherObjectIsRefused) {
  auto e = WebhookEvent::from_json(envelope());
  EXPECT_NO_THROW((void)e.record<roserocket::model::Record>());
  EXPECT_THROW((void)e.record<roserocket::model::Customer>(), roserocket::InvalidArgumentError);
  EXPECT_THROW(WebhookEvent::from_json(Json::array()), roserocket::InvalidArgumentError);
}

}  // namespace
