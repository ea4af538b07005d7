// The emulator's hard cases for change streams (issue 25, item 4) over loopback: a search index
// that lags behind writes (Options::search_lag, PUT /__emulator/search-lag), a coarse clock that
// puts bursts of writes on one updatedAt (Options::timestamp_resolution), and a ChangeStream that
// follows both while rr_test::ChangeWriter keeps changing records.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "support/build_paths.hpp"
#include "support/change_writer.hpp"
#include "support/emulator_demo_client.hpp"
#include "support/process.hpp"

namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
namespace sync = roserocket::sync;

// An emulator with @p options and a client of its demo account.
class LagEmulator {
 public:
  explicit LagEmulator(rr_emulator::Options options) : emulator(std::move(options)) {
    emulator.start();
    client =
        std::make_unique<roserocket::Client>(rr_test::emulator_demo_client(emulator.base_url()));
  }
  ~LagEmulator() {
    client.reset();  // its kept-alive connections would hold the server's stop
    emulator.stop();
  }

  roserocket::ObjectsApi objects() const { return roserocket::ObjectsApi(*client); }

  // id -> version of the orders among @p ids that the search answers.
  std::map<std::string, int> searched(const std::vector<std::string>& ids) const {
    roserocket::SearchRequest request;
    request.board_id = objects().board_for("order");
    request.object_key = "order";
    request.filters.push_back(roserocket::SearchFilter::in("id", Json(ids)));
    request.limit = 1000;
    std::map<std::string, int> out;
    for (const auto& r : objects().search(request).results)
      out[r.at("id").get<std::string>()] = r.at("version").get<int>();
    return out;
  }

  rr_emulator::Emulator emulator;
  std::unique_ptr<roserocket::Client> client;
};

rr_emulator::Options with_lag(std::chrono::milliseconds lag) {
  rr_emulator::Options options;
  options.search_lag = lag;
  return options;
}

// Seeded orders an hour ago (searchable at once whatever the lag).
std::vector<std::string> seed_orders(rr_emulator::Emulator& emulator, int n) {
  const std::string stamp =
      roserocket::model::format_timestamp(std::chrono::system_clock::now() - 1h);
  return emulator.seed_records("order",
                               std::vector<Json>(static_cast<std::size_t>(n),
                                                 Json{{"createdAt", stamp}, {"updatedAt", stamp}}));
}

}  // namespace

TEST(EmulatorSearchLag, SearchShowsThePreviousVersionUntilTheLagPassesGetByIdIsAtOnce) {
  // A lag far longer than the test: nothing written here reaches the search.
  LagEmulator e(with_lag(10min));
  const auto seeded = seed_orders(e.emulator, 3);
  EXPECT_EQ(e.searched(seeded).size(), 3u) << "seeded records are searchable at once";
  const auto api = e.objects();

  const std::string created = api.create("order", {{"refNum", "new"}}).at("id").get<std::string>();
  api.update("order", seeded[0], {{"refNum", "changed"}});
  api.upsert_by_id("order", seeded[1], {{"refNum", "upserted"}});
  api.remove(seeded[2]);

  const auto found = e.searched({created, seeded[0], seeded[1], seeded[2]});
  EXPECT_EQ(found.count(created), 0u) << "a create is not searchable before the lag";
  EXPECT_EQ(found.at(seeded[0]), 1) << "an update shows the previous version";
  EXPECT_EQ(found.at(seeded[1]), 1) << "an upsert shows the previous version";
  EXPECT_EQ(found.count(seeded[2]), 1u) << "a deleted record is still found";
  // A GET by id is authoritative.
  EXPECT_EQ(api.get(created).at("refNum"), "new");
  EXPECT_EQ(api.get(seeded[0]).at("version"), 2);
  EXPECT_EQ(api.get(seeded[1]).at("refNum"), "upserted");
  EXPECT_THROW(api.get(seeded[2]), roserocket::NotFoundError);
}

TEST(EmulatorSearchLag, WritesReachTheSearchOnceTheLagHasPassed) {
  LagEmulator e(with_lag(200ms));
  const auto seeded = seed_orders(e.emulator, 2);
  const auto api = e.objects();
  const std::string created = api.create("order", {{"refNum", "new"}}).at("id").get<std::string>();
  api.update("order", seeded[0], {{"refNum", "a"}});
  api.update("order", seeded[0], {{"refNum", "b"}});
  api.remove(seeded[1]);
  const std::map<std::string, int> settled = {{created, 1}, {seeded[0], 3}};
  std::map<std::string, int> found;
  // Polled with a bound, not timed: the writes are due 200 ms after they were made.
  for (int i = 0; i < 500 && found != settled; ++i) {
    std::this_thread::sleep_for(20ms);
    found = e.searched({created, seeded[0], seeded[1]});
  }
  EXPECT_EQ(found, settled);
}

TEST(EmulatorSearchLag, ControlEndpointSetsTheLagAndResetKeepsIt) {
  LagEmulator e(rr_emulator::Options{});
  const auto seeded = seed_orders(e.emulator, 1);
  httplib::Client admin("127.0.0.1", e.emulator.port());
  auto res = admin.Put("/__emulator/search-lag", R"({"lagMs": 600000})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Json::parse(res->body), Json({{"lagMs", 600000}}));
  e.objects().update("order", seeded[0], {{"refNum", "late"}});
  EXPECT_EQ(e.searched(seeded).at(seeded[0]), 1);

  for (const char* bad : {R"({"lagMs": -1})", R"({"lagMs": "2s"})", R"({})"}) {
    res = admin.Put("/__emulator/search-lag", bad, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_NE(res->body.find("lagMs must be an integer from 0 to 600000"), std::string::npos)
        << res->body;
  }

  // A reset forgets the records, not the lag.
  e.emulator.reset();
  const auto again = seed_orders(e.emulator, 1);
  e.objects().update("order", again[0], {{"refNum", "late again"}});
  EXPECT_EQ(e.searched(again).at(again[0]), 1);
  // Back to 0: later writes are searchable at once.
  e.emulator.set_search_lag(0ms);
  const std::string created =
      e.objects().create("order", {{"refNum", "now"}}).at("id").get<std::string>();
  EXPECT_EQ(e.searched({created}).count(created), 1u);
  EXPECT_THROW(e.emulator.set_search_lag(-1ms), std::invalid_argument);
}

TEST(EmulatorTimestampResolution, BurstsOfWritesShareOneUpdatedAt) {
  rr_emulator::Options options;
  options.timestamp_resolution = 60s;
  LagEmulator e(options);
  const auto api = e.objects();
  std::set<std::string> stamps;
  for (int i = 0; i < 20; ++i) {
    const Json created = api.create("order", {{"refNum", std::to_string(i)}});
    const Json updated =
        api.update("order", created.at("id").get<std::string>(), {{"refNum", "again"}});
    for (const Json* r : {&created, &updated}) {
      const std::string text = r->at("updatedAt").get<std::string>();
      const auto when = roserocket::model::parse_timestamp(text);
      ASSERT_TRUE(when) << text;
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(when->time_since_epoch()).count();
      EXPECT_EQ(ms % 60000, 0) << text << " is not on a minute";
      stamps.insert(text);
    }
  }
  // 40 writes in well under a minute cross at most one minute's boundary.
  EXPECT_LE(stamps.size(), 2u);
}

TEST(EmulatorTimestampResolution, BadOptionsAreRefusedAtConstruction) {
  rr_emulator::Options coarse;
  coarse.timestamp_resolution = 0ms;
  EXPECT_THROW(rr_emulator::Emulator{coarse}, std::invalid_argument);
  rr_emulator::Options lag;
  lag.search_lag = -1ms;
  EXPECT_THROW(rr_emulator::Emulator{lag}, std::invalid_argument);
}

// The stream against both hard cases at once while a writer changes records: every changed
// record's final version arrives, and no (id, version) twice.
TEST(EmulatorHardCases, ChangeStreamFollowsAWriterBehindALagOnACoarseClock) {
  rr_emulator::Options options;
  options.search_lag = 300ms;
  options.timestamp_resolution = 1000ms;
  LagEmulator e(options);
  const auto ids = seed_orders(e.emulator, 300);
  rr_test::ChangeWriterOptions w;
  w.records = 100;
  w.updates = 160;
  w.pause = 5ms;
  w.seed = 25;
  rr_test::ChangeWriter writer(*e.client, ids, w);

  const auto dir =
      std::filesystem::temp_directory_path() / ("rr-hard-cases-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  sync::ChangeStreamOptions o;
  o.object_key = "order";
  o.stream = "hard-cases";
  o.overlap = 3s;  // above the lag plus the clock's step
  auto store = std::make_shared<sync::FileCheckpointStore>((dir / "cp.json").string(),
                                                           sync::FileCheckpointStoreOptions{false});
  sync::ChangeStream stream(*e.client, store, o);
  std::map<std::pair<std::string, int>, int> handled;
  const auto handler = [&](const Json& r, sync::CheckpointTransaction&) {
    ++handled[{r.at("id").get<std::string>(), r.at("version").get<int>()}];
  };
  writer.start();
  while (writer.updates_made() < w.updates)
    stream.run_once(handler);
  writer.wait();
  std::this_thread::sleep_for(options.search_lag + 100ms);
  stream.run_once(handler);

  for (const auto& [id, version] : writer.final_versions())
    EXPECT_EQ(handled.count({id, static_cast<int>(version)}), 1u) << id << " v" << version;
  for (const auto& [key, count] : handled)
    EXPECT_EQ(count, 1) << key.first << " v" << key.second;
  std::set<std::string> seen;
  for (const auto& entry : handled)
    seen.insert(entry.first.first);
  EXPECT_EQ(seen.size(), ids.size());
  std::filesystem::remove_all(dir);
}

#ifdef RR_EMULATOR_EXE
TEST(EmulatorSearchLag, CommandLineFlagsAreListedAndBadValuesNamed) {
  const std::string exe = RR_EMULATOR_EXE;
  const auto help = rr_test::run_command(exe + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--search-lag-ms MS"), std::string::npos) << help.output;
  EXPECT_NE(help.output.find("--timestamp-resolution-ms MS"), std::string::npos) << help.output;
  const auto lag = rr_test::run_command(exe + " --search-lag-ms -5");
  EXPECT_EQ(lag.exit_code, 2);
  EXPECT_NE(lag.output.find("--search-lag-ms must be a number from 0 to 600000"), std::string::npos)
      << lag.output;
  const auto step = rr_test::run_command(exe + " --timestamp-resolution-ms 0");
  EXPECT_EQ(step.exit_code, 2);
  EXPECT_NE(step.output.find("--timestamp-resolution-ms must be a number from 1 to 3600000"),
            std::string::npos)
      << step.output;
}
#endif
