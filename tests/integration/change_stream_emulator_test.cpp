// sync::ChangeStream against the emulator over loopback: a catch-up of seeded orders (ties on one
// millisecond included), idle polls of one request, changes handed over once across a restart,
// a webhook delivery as a hint, and reconcile finding deleted records.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "sdk_against_emulator.hpp"

namespace {

using Json = nlohmann::json;
namespace sync = roserocket::sync;
using namespace std::chrono_literals;

constexpr int kStreamOrders = 1500;

class StreamAgainstEmulator : public roserocket_test::EmulatorClientTest {
 protected:
  void SetUp() override {
    EmulatorClientTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() /
           ("rr-stream-it-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    EmulatorClientTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  // kStreamOrders orders an hour ago, one per 10 ms, except 40 that share one millisecond.
  std::vector<std::string> seed() {
    const auto base = std::chrono::system_clock::now() - 1h;
    std::vector<Json> records;
    for (int i = 0; i < kStreamOrders; ++i) {
      const auto when = i < 40 ? base : base + std::chrono::milliseconds(10 * i);
      const std::string stamp = roserocket::model::format_timestamp(when);
      records.push_back({{"createdAt", stamp}, {"updatedAt", stamp}});
    }
    return emulator().seed_records("order", records);
  }

  std::uint64_t searches() const { return served("POST /api/v2/platformModel/objects/search"); }

  std::unique_ptr<sync::ChangeStream> open(const std::string& file) {
    sync::ChangeStreamOptions o;
    o.object_key = "order";
    o.stream = "it-orders";
    o.overlap = 30s;
    o.page_size = 100;
    auto store = std::make_shared<sync::FileCheckpointStore>(
        (dir_ / file).string(), sync::FileCheckpointStoreOptions{false});
    return std::make_unique<sync::ChangeStream>(client(), store, o);
  }

  sync::ChangeStream::Handler count_into(std::map<std::string, std::vector<int>>& seen) {
    return [&seen](const Json& r, sync::CheckpointTransaction&) {
      seen[r.at("id").get<std::string>()].push_back(r.at("version").get<int>());
    };
  }

  std::filesystem::path dir_;
};

TEST_F(StreamAgainstEmulator, CatchesUpThenPollsIdleInOneRequestAndHandsOverEachChangeOnce) {
  const auto ids = seed();
  std::map<std::string, std::vector<int>> seen;
  {
    auto stream = open("checkpoints.json");
    const auto first = stream->run_once(count_into(seen));
    EXPECT_EQ(first.delivered, static_cast<std::size_t>(kStreamOrders));
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kStreamOrders));
    const auto before = searches();
    const auto idle = stream->run_once(count_into(seen));
    EXPECT_EQ(idle.delivered, 0u);
    EXPECT_EQ(idle.requests, 1u);
    EXPECT_EQ(searches() - before, 1u);
  }
  // Ten orders change (two of them twice); a new process (a new store and stream on the file)
  // hands over exactly those, at their newest versions, in one search.
  const auto objects = client().objects();
  for (int i = 0; i < 10; ++i)
    objects.update("order", ids[static_cast<std::size_t>(i * 100)],
                   {{"refNum", "changed " + std::to_string(i)}});
  for (int i = 0; i < 2; ++i)
    objects.update("order", ids[static_cast<std::size_t>(i * 100)], {{"refNum", "again"}});
  std::map<std::string, std::vector<int>> changed;
  auto restarted = open("checkpoints.json");
  const auto poll = restarted->run_once(count_into(changed));
  EXPECT_EQ(poll.delivered, 10u);
  EXPECT_EQ(poll.requests, 1u);
  EXPECT_EQ(changed.at(ids[0]), std::vector<int>({3}));
  EXPECT_EQ(changed.at(ids[500]), std::vector<int>({2}));
  // Inside the overlap they come back from the search, and are not handed over again.
  const auto again = restarted->run_once(count_into(changed));
  EXPECT_EQ(again.delivered, 0u);
  EXPECT_EQ(again.repeats_skipped, 10u);
  for (const auto& [id, versions] : changed)
    EXPECT_EQ(versions.size(), 1u) << id;
}

TEST_F(StreamAgainstEmulator, AWebhookDeliveryMakesTheStreamReadTheRecordAtOnce) {
  const auto ids = seed();
  auto stream = open("hints.json");
  std::map<std::string, std::vector<int>> seen;
  stream->run_once(count_into(seen));
  const auto objects = client().objects();
  objects.update("order", ids[7], {{"status", "booked"}});

  roserocket::WebhookReceiverOptions options;
  options.secret = "stream-hint-secret-0123456789";
  options.path = "/hooks";
  roserocket::WebhookReceiver receiver(options);
  receiver.on("Order Status Changed", "order",
              [&stream](const roserocket::WebhookEvent& e) { stream->hint(e.ref_id); });
  const Json envelope = {{"id", "evt-1"},
                         {"type", "Order Status Changed"},
                         {"refId", ids[7]},
                         {"objectKey", "order"},
                         {"json", Json::object()}};
  const auto answer = receiver.handle("POST", "/hooks/stream-hint-secret-0123456789",
                                      {{"Content-Type", "application/json"}}, envelope.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;

  std::map<std::string, std::vector<int>> after;
  const auto summary = stream->run_once(count_into(after));
  EXPECT_EQ(summary.hints, 1u);
  EXPECT_EQ(summary.delivered, 1u);
  EXPECT_EQ(summary.repeats_skipped, 1u);  // the scan found it too
  EXPECT_EQ(after.at(ids[7]), std::vector<int>({2}));
}

TEST_F(StreamAgainstEmulator, ReconcileFindsTheDeletedRecordsAndALeaseIsOneProcessAtATime) {
  const auto ids = seed();
  const auto objects = client().objects();
  objects.remove(ids[3]);
  objects.remove(ids[1200]);
  auto stream = open("reconcile.json");
  std::vector<std::string> held(ids.begin(), ids.begin() + 300);
  held.push_back(ids[1200]);
  EXPECT_THAT(stream->reconcile(held), ::testing::UnorderedElementsAre(ids[3], ids[1200]));

  std::map<std::string, std::vector<int>> seen;
  stream->run_once(count_into(seen));
  auto second = open("reconcile.json");
  EXPECT_THROW(second->run_once(count_into(seen)), roserocket::Error);
}

}  // namespace
