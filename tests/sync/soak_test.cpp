// Soak test of the change stream with the file store (issue 25, item 5): while a writer changes
// 1,000 of 10,000 orders and the search shows each write 2 s late, a stream worker process
// (stream_worker.cpp) is killed with SIGKILL three times at random points and started again; a last
// pass runs once the writes have reached the search. The handler's output must then hold every
// order, the final version of every changed one, and no repeat but the record in flight at a kill.
// POSIX only (fork, exec, SIGKILL); built where the emulator is, never on Windows.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "soak_paths.hpp"
#include "support/change_writer.hpp"
#include "support/child_process.hpp"
#include "support/emulator_demo_client.hpp"
#include "sync/soak_scenario.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The last "ID VERSION" line of @p path ("" for none): the record in flight if a kill came
// between its handler and its checkpoint.
std::pair<std::string, long long> last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string id;
  long long version = 0;
  std::pair<std::string, long long> last;
  while (in >> id >> version)
    last = {id, version};
  return last;
}

// The complete lines of @p path so far (0 when it does not exist yet).
std::size_t count_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST(StreamSoakFileStore, ThreeKillsWhileAWriterChangesOrdersBehindASearchLag) {
  const auto started = Clock::now();
  const unsigned seed = rr_soak::run_seed();
  std::printf("seed %u (RR_SOAK_SEED=%u replays the choices)\n", seed, seed);
  std::mt19937 random(seed);

  const fs::path dir = fs::temp_directory_path() / ("rr-soak-file-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string checkpoints = (dir / "checkpoints.json").string();
  const std::string output = (dir / "handled.txt").string();

  rr_emulator::Emulator emulator(rr_soak::emulator_options());
  emulator.start();
  const auto ids = rr_soak::seed_orders(emulator);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(rr_soak::kOrders));

  rr_test::ChangeWriter writer(rr_test::emulator_demo_client(emulator.base_url()), ids,
                               rr_soak::writer_options(seed));
  writer.start();

  const std::vector<std::string> follow = {"follow", emulator.base_url(), checkpoints, output,
                                           std::to_string(rr_soak::kOverlap.count())};
  // Each worker is killed once it has handled a random number of further records (so that the
  // kills land at random points of the catch-up and of the following however fast this machine
  // is), or after 20 s without getting there.
  constexpr int kKills = 3;
  std::set<std::pair<std::string, long long>> in_flight_at_kill;
  std::uniform_int_distribution<std::size_t> kill_after_lines(1, 4000);
  std::size_t lines_before = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    const std::size_t target = lines_before + kill_after_lines(random);
    rr_test::ChildProcess worker(rr_soak_paths::stream_worker, follow);
    ASSERT_GT(worker.pid(), 0);
    const auto until = Clock::now() + std::chrono::seconds(20);
    std::size_t lines = lines_before;
    while (lines < target && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      lines = count_lines(output);
    }
    worker.kill_hard();
    (void)rr_soak::read_handled(output, &lines);
    in_flight_at_kill.insert(last_line_of(output));
    std::printf("kill %d: %zu lines handled (aimed at %zu), %zu updates made\n", kill + 1, lines,
                target, writer.updates_made());
    lines_before = lines;
  }
  writer.wait();
  // Everything written is searchable once the lag has passed; then one last pass catches up.
  std::this_thread::sleep_for(rr_soak::kSearchLag + std::chrono::milliseconds(500));
  std::vector<std::string> once = follow;
  once[0] = "once";
  rr_test::ChildProcess last(rr_soak_paths::stream_worker, once);
  ASSERT_EQ(last.wait_exit(std::chrono::seconds(150)), 0);

  std::size_t lines = 0;
  const auto handled = rr_soak::read_handled(output, &lines);
  std::set<std::string> seen_ids;
  for (const auto& [key, count] : handled)
    seen_ids.insert(key.first);
  // Every seeded order, once at least.
  std::size_t missing_orders = 0;
  for (const auto& id : ids)
    missing_orders += seen_ids.count(id) == 0 ? 1 : 0;
  EXPECT_EQ(missing_orders, 0u) << "orders never handed to the handler";
  // The final version of every changed order.
  const auto finals = writer.final_versions();
  EXPECT_EQ(finals.size(), rr_soak::kChangedOrders);
  std::size_t missing_finals = 0;
  for (const auto& [id, version] : finals) {
    if (handled.count({id, version}) == 0) {
      ++missing_finals;
      ADD_FAILURE() << "order " << id << " was not handed over at its final version " << version;
      if (missing_finals > 10)
        break;
    }
  }
  // Repeats: only the record in flight at a kill, at most once per kill.
  std::size_t repeats = 0;
  for (const auto& [key, count] : handled) {
    if (count < 2)
      continue;
    repeats += static_cast<std::size_t>(count - 1);
    EXPECT_EQ(count, 2) << key.first << " " << key.second << " was handled " << count << " times";
    EXPECT_EQ(in_flight_at_kill.count(key), 1u)
        << key.first << " " << key.second << " was repeated but was not in flight at a kill";
  }
  EXPECT_LE(repeats, static_cast<std::size_t>(kKills));
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf(
      "soak (file store): %d orders, %zu updates of %zu orders (%zu several times), search lag "
      "%lld ms, overlap %lld ms, %d kills, %zu lines handled, %zu repeats, %.1f s\n",
      rr_soak::kOrders, writer.updates_made(), finals.size(), writer.changed_several_times(),
      static_cast<long long>(rr_soak::kSearchLag.count()),
      static_cast<long long>(rr_soak::kOverlap.count()), kKills, lines, repeats, seconds);
  emulator.stop();
  fs::remove_all(dir);
}
