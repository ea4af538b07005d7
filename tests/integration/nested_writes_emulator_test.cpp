// Issue 22, item 2, against the emulator over real HTTP: a write whose body creates nested
// records (an order's id-less tasks) loses its answer after the emulator committed it
// (the commitThenDrop fault). The SDK must not resend it; the idempotent nested upsert,
// repeated until acknowledged, must leave each task exactly once; the bulk engine likewise.
// Afterwards every task record of the account is counted.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "sdk_against_emulator.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;

const std::string kOrderWrites = "/api/v2/platformModel/objects/order/";

class NestedWritesEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>(rr_emulator::Options{});
    emulator_->start();
    provider_ = std::make_shared<rr::ClientCredentialsTokenProvider>(
        roserocket_test::frozen_demo_oauth(*emulator_));
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = provider_;
    options.retry.initial_backoff = std::chrono::milliseconds(1);
    options.retry.max_backoff = std::chrono::milliseconds(5);
    client_ = std::make_unique<rr::Client>(options);
  }

  void TearDown() override {
    client_.reset();
    provider_.reset();
    emulator_->stop();
  }

  // The next @p count order writes are committed, then their answers lost.
  void lose_answers(int count) {
    rr_emulator::Fault fault;
    fault.method = "PATCH";
    fault.path_prefix = kOrderWrites;
    fault.kind = rr_emulator::FaultKind::kCommitThenDrop;
    fault.count = count;
    emulator_->add_fault(fault);
  }

  std::uint64_t served(const std::string& method_and_path) const {
    const auto stats = emulator_->stats();
    const auto it = stats.api_requests.find(method_and_path);
    return it == stats.api_requests.end() ? 0 : it->second;
  }

  // Every task record of the account, by external id ("" for none).
  std::map<std::string, int> tasks_by_external_id() {
    const auto board = rr::Boards(*client_).first_for("task");
    EXPECT_TRUE(board.has_value());
    rr::SearchRequest search;
    search.board_id = board ? board->id : std::string();
    std::map<std::string, int> counts;
    for (const Json& task : client_->objects().search_all(search)) {
      const auto it = task.find("externalId");
      ++counts[it != task.end() && it->is_string() ? it->get<std::string>() : std::string()];
    }
    return counts;
  }

  int task_count() {
    int n = 0;
    for (const auto& [ext, count] : tasks_by_external_id())
      n += count;
    return n;
  }

  static Json order_with_tasks(bool keyed, const std::string& prefix = "T-") {
    Json pickup = {{"objectKey", "task"}, {"taskType", "pickup"}};
    Json delivery = {{"objectKey", "task"}, {"taskType", "delivery"}};
    if (keyed) {
      pickup["externalId"] = prefix + "1";
      delivery["externalId"] = prefix + "2";
    }
    return {{"poNum", "PO-22"}, {"tasks", Json::array({pickup, delivery})}};
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::shared_ptr<rr::ClientCredentialsTokenProvider> provider_;
  std::unique_ptr<rr::Client> client_;
};

TEST_F(NestedWritesEmulatorTest, HeldOutUpsertWithIdlessTasksIsNotResentAfterItsAnswerIsLost) {
  lose_answers(1);
  try {
    client_->objects().upsert_by_external_id("order", "ORD-22", order_with_tasks(false));
    FAIL() << "the lost answer was not reported";
  } catch (const rr::TransportError& e) {
    EXPECT_TRUE(e.request_may_have_been_sent());
    EXPECT_NE(std::string(e.what()).find("not sent again"), std::string::npos) << e.what();
  }
  EXPECT_EQ(served("PATCH " + kOrderWrites + "ORD-22/external"), 1u) << "the write was resent";
  EXPECT_EQ(task_count(), 2);
  rr::RequestOptions with_tasks;
  with_tasks.paths = {"tasks"};
  const Json order = client_->objects().get_by_external_id("order", "ORD-22", with_tasks);
  EXPECT_EQ(order["tasks"].size(), 2u);
}

TEST_F(NestedWritesEmulatorTest, RepeatingAPlainUpsertUntilAcknowledgedDuplicatesTasks) {
  // The failure upsert_nested exists for: even tasks with external ids are created again.
  lose_answers(1);
  EXPECT_THROW(client_->objects().upsert_by_external_id("order", "ORD-22", order_with_tasks(true)),
               rr::TransportError);
  client_->objects().upsert_by_external_id("order", "ORD-22", order_with_tasks(true));
  const auto tasks = tasks_by_external_id();
  EXPECT_EQ(tasks.at("T-1"), 2);
  EXPECT_EQ(tasks.at("T-2"), 2);
}

TEST_F(NestedWritesEmulatorTest, UpsertNestedRepeatedUntilAcknowledgedWritesEachTaskOnce) {
  lose_answers(2);
  int attempts = 0;
  std::optional<rr::NestedUpsertResult> result;
  while (!result && attempts < 5) {
    ++attempts;
    try {
      result = client_->objects().upsert_nested("order", "ORD-22", order_with_tasks(true));
    } catch (const rr::TransportError& e) {
      EXPECT_TRUE(e.request_may_have_been_sent());
    }
  }
  ASSERT_TRUE(result.has_value());
  // The first write created the tasks and was not resent. The second found them, so its write
  // created nothing and the SDK itself sent it again after the second lost answer.
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(served("PATCH " + kOrderWrites + "ORD-22/external"), 3u);
  EXPECT_EQ(served("GET /api/v2/platformModel/objects/task/T-1/external"), 2u);
  EXPECT_FALSE(result->created);  // the first, lost, write created the order
  EXPECT_EQ(result->linked, (std::vector<std::string>{"json.tasks[0]", "json.tasks[1]"}));
  EXPECT_TRUE(result->repeatable());
  EXPECT_EQ(tasks_by_external_id(), (std::map<std::string, int>{{"T-1", 1}, {"T-2", 1}}));
  rr::RequestOptions with_tasks;
  with_tasks.paths = {"tasks"};
  EXPECT_EQ(client_->objects().get_by_external_id("order", "ORD-22", with_tasks)["tasks"].size(),
            2u);
}

TEST_F(NestedWritesEmulatorTest, TypedUpsertNestedRepeatedUntilAcknowledgedWritesEachTaskOnce) {
  using namespace rr::model;
  Task pickup;
  pickup.set_external_id("T-1").set_task_type(TaskType::kPickup);
  Task delivery;
  delivery.set_external_id("T-2").set_task_type(TaskType::kDelivery);
  Order order;
  order.set_external_id("ORD-22").set_po_num("PO-22").set_tasks({pickup, delivery});
  lose_answers(1);
  EXPECT_THROW(client_->orders().upsert_nested(order), rr::TransportError);
  const auto result = client_->orders().upsert_nested(order);
  EXPECT_EQ(result.record.external_id().value_or(""), "ORD-22");
  EXPECT_EQ(result.linked.size(), 2u);
  EXPECT_EQ(tasks_by_external_id(), (std::map<std::string, int>{{"T-1", 1}, {"T-2", 1}}));
}

TEST_F(NestedWritesEmulatorTest, BulkEngineNeverResendsAndUpsertNestedManyConverges) {
  std::vector<Json> plain;
  for (int i = 0; i < 3; ++i) {
    Json record = order_with_tasks(false);
    record["externalId"] = "ORD-P" + std::to_string(i);
    plain.push_back(record);
  }
  rr::BulkOptions one_at_a_time;
  one_at_a_time.max_in_flight = 1;  // the fault then meets the first order, and only it
  rr::BulkEngine engine(*client_, one_at_a_time);
  lose_answers(1);
  const auto first = engine.upsert_many("order", plain);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_FALSE(first[0].ok());
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_NE(first[0].error_message.find("not sent again"), std::string::npos)
      << first[0].error_message;
  EXPECT_TRUE(first[1].ok() && first[2].ok());
  EXPECT_EQ(task_count(), 6) << "each order's two tasks, once";

  std::vector<Json> keyed;
  for (int i = 0; i < 3; ++i) {
    Json record = order_with_tasks(true, "K" + std::to_string(i) + "-");
    record["externalId"] = "ORD-K" + std::to_string(i);
    keyed.push_back(record);
  }
  lose_answers(2);
  std::vector<bool> done(keyed.size(), false);
  for (int round = 0; round < 4; ++round) {
    std::vector<Json> pending;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      if (!done[i]) {
        pending.push_back(keyed[i]);
        which.push_back(i);
      }
    }
    if (pending.empty())
      break;
    const auto results = engine.upsert_nested_many("order", pending);
    for (std::size_t j = 0; j < results.size(); ++j)
      done[which[j]] = results[j].ok();
  }
  for (std::size_t i = 0; i < done.size(); ++i)
    EXPECT_TRUE(done[i]) << i;
  const auto tasks = tasks_by_external_id();
  for (int i = 0; i < 3; ++i) {
    for (const char* n : {"1", "2"}) {
      const std::string ext = "K" + std::to_string(i) + "-" + n;
      EXPECT_EQ(tasks.count(ext) ? tasks.at(ext) : 0, 1) << ext;
    }
  }
  EXPECT_EQ(task_count(), 6 + 6);
}

}  // namespace
