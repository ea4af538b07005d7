// ChangesFeed against the emulator's events API: a feed killed with SIGKILL in the middle of a
// stream resumes from its file checkpoint, loses no event, and hands over again at most the one
// event it had not acknowledged.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

namespace rr = roserocket;

class ChangesFeedEmulator : public ::testing::Test {
 protected:
  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>();
    emulator_->start();
    dir_ = std::filesystem::temp_directory_path() /
           ("rr-feed-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    client_ = std::make_unique<rr::Client>(client_options());
  }

  void TearDown() override {
    client_.reset();
    emulator_->stop();
    std::filesystem::remove_all(dir_);
  }

  rr::ClientOptions client_options() const {
    rr::OAuthOptions oauth;
    oauth.token_url = emulator_->token_url();
    oauth.client_id = rr_emulator::kDemoClientId;
    oauth.client_secret = rr_emulator::kDemoClientSecret;
    rr::ClientOptions co;
    co.base_url = emulator_->base_url();
    co.token_provider = std::make_shared<rr::ClientCredentialsTokenProvider>(oauth);
    return co;
  }

  // An order with @p changes status changes: 1 + changes events.
  std::string order_with_events(int changes) {
    const std::string id =
        client_->objects().create("order", {{"status", "new"}})["id"].get<std::string>();
    for (int i = 0; i < changes; ++i)
      client_->objects().update("order", id, {{"status", i % 2 == 0 ? "booked" : "in transit"}});
    return id;
  }

  rr::ChangesFeed feed(rr::Client client, const std::string& order_id) const {
    rr::ChangesFeedOptions o;
    o.name = "orders";
    o.page_size = 4;  // several pages, so the crash can land between pages too
    o.poll_interval = std::chrono::milliseconds(10);
    return rr::ChangesFeed(std::move(client), rr::EventQuery::for_record(order_id, "order"),
                           std::make_shared<rr::FileCheckpointStore>(checkpoint_path()), o);
  }

  std::string checkpoint_path() const { return (dir_ / "checkpoint.json").string(); }
  std::string output_path() const { return (dir_ / "handled.txt").string(); }

  std::vector<std::string> handled_ids() const {
    std::ifstream in(output_path());
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty())
        out.push_back(line);
    }
    return out;
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::unique_ptr<rr::Client> client_;
  std::filesystem::path dir_;
};

TEST_F(ChangesFeedEmulator, KilledMidStreamResumesWithoutLosingAnEvent) {
  const std::string order = order_with_events(24);
  std::vector<std::string> all;
  for (const auto& e : client_->events().list_all(rr::EventQuery::for_record(order, "order")))
    all.push_back(e.id);
  ASSERT_EQ(all.size(), 25u);

  const rr::ClientOptions options = client_options();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child: a feed whose handler records each event durably, then takes its time.
    int code = 0;
    try {
      const int fd = ::open(output_path().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      auto f = feed(rr::Client(options), order);
      f.run_once([fd](const rr::Event& e) {
        const std::string line = e.id + "\n";
        if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
          std::_Exit(4);
        ::fsync(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      });
    } catch (...) {
      code = 3;
    }
    std::_Exit(code);
  }
  // Kill it once it is well into the stream, without warning.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (handled_ids().size() < 7 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child finished before it was killed";
  const std::vector<std::string> before = handled_ids();
  ASSERT_GE(before.size(), 7u);
  ASSERT_LT(before.size(), all.size());

  // Restart: the same checkpoint file, in this process.
  std::vector<std::string> after;
  auto f = feed(*client_, order);
  f.run_once([&after](const rr::Event& e) { after.push_back(e.id); });
  ASSERT_FALSE(after.empty());

  // Nothing lost, in order: before + after, with at most the last unacknowledged one twice.
  std::vector<std::string> combined = before;
  if (after.front() == before.back())
    combined.pop_back();  // the one duplicate allowed
  combined.insert(combined.end(), after.begin(), after.end());
  EXPECT_EQ(combined, all);
  std::set<std::string> distinct(after.begin(), after.end());
  for (std::size_t i = 0; i + 1 < before.size(); ++i)
    EXPECT_EQ(distinct.count(before[i]), 0u) << "acknowledged event handed over again";
  EXPECT_EQ(f.checkpoint(), all.back());

  // New events after a complete pass are picked up, and only those.
  client_->objects().update("order", order, {{"status", "new"}});
  std::vector<std::string> later;
  EXPECT_EQ(f.run_once([&later](const rr::Event& e) { later.push_back(e.id); }), 1u);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(distinct.count(later[0]), 0u);
}

TEST_F(ChangesFeedEmulator, RunPollsUntilStopped) {
  const std::string order = order_with_events(2);
  rr::CancellationSource stop;
  std::atomic<int> seen{0};
  auto f = feed(*client_, order);
  std::thread runner([&] {
    f.run(
        [&](const rr::Event&) {
          if (++seen == 4)
            stop.cancel();
        },
        stop.token());
  });
  // Three events exist; the fourth arrives while the feed polls.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (seen < 3 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  client_->objects().update("order", order, {{"status", "new"}});
  while (seen < 4 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop.cancel();  // bounded even if the fourth never came
  runner.join();
  EXPECT_EQ(seen, 4);
}

}  // namespace
