// Requests per poll of a change stream (sync::ChangeStream) against 10,000 orders in an
// in-process emulator, after 0, 10 and 1,000 changes: the cost follows the changes, not the
// data (docs/sync.md). The plain baseline, measured in the same run: one full rescan of the
// orders with search_all at the same page size (what a loop without a checkpoint costs per poll);
// each poll's requests are printed as a ratio against it. Prints figures; never run as a test.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::uint64_t searches(const rr_emulator::Emulator& emulator) {
  const auto stats = emulator.stats();
  const auto it = stats.api_requests.find("POST /api/v2/platformModel/objects/search");
  return it == stats.api_requests.end() ? 0 : it->second;
}

}  // namespace

int main() {
  constexpr int kOrders = 10000;
  constexpr auto kOverlap = 500ms;
  rr_emulator::Emulator emulator;
  emulator.start();
  roserocket::OAuthOptions oauth;
  oauth.token_url = emulator.token_url();
  oauth.client_id = rr_emulator::kDemoClientId;
  oauth.client_secret = rr_emulator::kDemoClientSecret;
  roserocket::ClientOptions options;
  options.base_url = emulator.base_url();
  options.token_provider = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
  // The emulator's first answers after a 10,000-record seed can take long on a busy machine.
  options.request_timeout = std::chrono::minutes(5);
  roserocket::Client client(options);

  const auto base = std::chrono::system_clock::now() - 24h;
  std::vector<Json> seed;
  for (int i = 0; i < kOrders; ++i) {
    const std::string stamp = roserocket::model::format_timestamp(base + std::chrono::seconds(i));
    seed.push_back({{"createdAt", stamp}, {"updatedAt", stamp}});
  }
  const auto ids = emulator.seed_records("order", seed);

  const auto dir = std::filesystem::temp_directory_path() /
                   ("rr-change-stream-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const int page_size : {100, 200}) {
    auto store = std::make_shared<roserocket::sync::FileCheckpointStore>(
        (dir / ("p" + std::to_string(page_size) + ".json")).string());
    roserocket::sync::ChangeStreamOptions o;
    o.object_key = "order";
    o.stream = "bench";
    o.overlap = kOverlap;
    o.page_size = page_size;
    roserocket::sync::ChangeStream stream(client, store, o);
    auto ignore = [](const Json&, roserocket::sync::CheckpointTransaction&) {};
    const auto start = std::chrono::steady_clock::now();
    const auto first = stream.run_once(ignore);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::printf("page size %d: first pass %zu records, %zu requests, %lld ms\n", page_size,
                first.delivered, first.requests, static_cast<long long>(ms));
    // The plain baseline: every order again, page by page, sorted by updatedAt.
    roserocket::SearchRequest rescan;
    rescan.board_id = client.objects().board_for("order");
    rescan.object_key = "order";
    rescan.order_by_path = "updatedAt";
    roserocket::SearchAllOptions all;
    all.page_size = page_size;
    const auto rescan_before = searches(emulator);
    std::size_t rescanned = 0;
    for (const Json& record : client.objects().search_all(rescan, {}, all)) {
      (void)record;
      ++rescanned;
    }
    const auto rescan_requests = searches(emulator) - rescan_before;
    std::printf("page size %d: baseline full rescan (search_all) %zu records, %llu requests\n",
                page_size, rescanned, static_cast<unsigned long long>(rescan_requests));
    int next = 0;
    for (const int changes : {0, 10, 1000}) {
      const auto objects = client.objects();
      for (int i = 0; i < changes; ++i, ++next) {
        objects.update(
            "order", ids[static_cast<std::size_t>((next * 7) % kOrders)],
            {{"refNum", "bench " + std::to_string(page_size) + "-" + std::to_string(next)}});
      }
      const auto before = searches(emulator);
      const auto poll = stream.run_once(ignore);
      std::printf(
          "page size %d, %4d changes: %zu delivered, %zu requests (emulator counted %llu "
          "searches), %.3fx the baseline's %llu\n",
          page_size, changes, poll.delivered, poll.requests,
          static_cast<unsigned long long>(searches(emulator) - before),
          rescan_requests == 0
              ? 0.0
              : static_cast<double>(poll.requests) / static_cast<double>(rescan_requests),
          static_cast<unsigned long long>(rescan_requests));
      // Past the overlap: the next poll no longer reads these changes again.
      std::this_thread::sleep_for(kOverlap + 100ms);
      (void)stream.run_once(ignore);
    }
  }
  std::filesystem::remove_all(dir);
  emulator.stop();
  return 0;
}
