#pragma once

// The hard case of issue 25 (item 5), shared by the file store's soak test (tests/sync) and the
// PostgreSQL store's (tests/postgresql): 10,000 orders seeded an hour ago (four to a millisecond),
// a writer updating 1,000 of them (some several times) over HTTP while the stream runs, and a
// search index that shows each write 2 s late. The stream's overlap (5 s) is above the lag.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "roserocket/model/values.hpp"
#include "rr_emulator/emulator.hpp"
#include "support/change_writer.hpp"

namespace rr_soak {

inline constexpr int kOrders = 10000;
inline constexpr std::size_t kChangedOrders = 1000;
inline constexpr std::size_t kUpdates = 1600;
inline constexpr std::chrono::milliseconds kSearchLag{2000};
inline constexpr std::chrono::milliseconds kOverlap{5000};
/// Wait between two updates of the writer: about 5 s of writing in all.
inline constexpr std::chrono::milliseconds kWriterPause{2};

/// @brief The emulator of the scenario: every write reaches the search kSearchLag late.
inline rr_emulator::Options emulator_options() {
  rr_emulator::Options options;
  options.search_lag = kSearchLag;
  return options;
}

/// @brief kOrders orders created and updated an hour ago, four per millisecond (ties on
/// updatedAt), searchable at once; their ids in order.
inline std::vector<std::string> seed_orders(rr_emulator::Emulator& emulator) {
  const auto base = std::chrono::system_clock::now() - std::chrono::hours(1);
  std::vector<nlohmann::json> records;
  records.reserve(kOrders);
  for (int i = 0; i < kOrders; ++i) {
    const std::string stamp =
        roserocket::model::format_timestamp(base + std::chrono::milliseconds(i / 4));
    records.push_back({{"createdAt", stamp}, {"updatedAt", stamp}});
  }
  return emulator.seed_records("order", records);
}

/// @brief The seed of a run: RR_SOAK_SEED when set (to replay a failure), else a random one.
inline unsigned run_seed() {
  if (const char* fixed = std::getenv("RR_SOAK_SEED"))
    return static_cast<unsigned>(std::strtoul(fixed, nullptr, 10));
  return std::random_device{}();
}

/// @brief The writer of the scenario.
inline rr_test::ChangeWriterOptions writer_options(unsigned seed) {
  rr_test::ChangeWriterOptions options;
  options.records = kChangedOrders;
  options.updates = kUpdates;
  options.pause = kWriterPause;
  options.seed = seed;
  return options;
}

/// @brief (id, version) -> how many times it was handled.
using Handled = std::map<std::pair<std::string, long long>, int>;

/// @brief The "ID VERSION" lines of a worker's output file.
inline Handled read_handled(const std::string& path, std::size_t* lines = nullptr) {
  Handled out;
  std::ifstream in(path);
  std::string id;
  long long version = 0;
  std::size_t count = 0;
  while (in >> id >> version) {
    ++out[{id, version}];
    ++count;
  }
  if (lines != nullptr)
    *lines = count;
  return out;
}

}  // namespace rr_soak
