// 200 upserts through the bulk engine over the default transport (WinHTTP on Windows: the
// engine's worker-pool path) against a server named in RR_* variables (scripts/ci_windows.sh
// starts the Linux rr-emulator and runs this under Wine). Afterwards every record is looked up:
// each external id must be on exactly one record, with the name this program sent. Prints what it
// found and exits 1 on any loss, 0 when nothing was lost.
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "roserocket/bulk.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/roserocket.hpp"

namespace {

namespace rr = roserocket;
using rr::Json;

constexpr int kRecords = 200;

int run() {
  const char* base_url = std::getenv("RR_BASE_URL");
  if (base_url == nullptr || *base_url == '\0') {
    std::cerr << "bulk_upserts: set RR_BASE_URL, RR_CLIENT_ID and RR_CLIENT_SECRET\n";
    return 2;
  }
  rr::Client client(rr::ClientOptions::from_env());
  // A prefix of this run's own, so that a second run against the same server counts its own.
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string prefix =
      "win-bulk-" +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "-";
  std::vector<Json> records;
  for (int i = 0; i < kRecords; ++i) {
    records.push_back(Json{{"externalId", prefix + std::to_string(i)},
                           {"name", "Windows bulk customer " + std::to_string(i)}});
  }
  rr::BulkOptions options;
  options.max_in_flight = 8;
  std::vector<rr::ItemResult<rr::UpsertResult>> results;
  rr::BulkStats stats;
  {
    rr::BulkEngine engine(client, options);
    results = engine.upsert_many("customer", records);
    stats = engine.stats();
  }
  int failed = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) {
      ++failed;
      std::cout << "upsert " << i << " failed: " << results[i].error_message << "\n";
    }
  }
  // Every record as the server has it now: one search over the customer board.
  const auto board = rr::Boards(client).first_for("customer");
  if (!board) {
    std::cout << "no customer board\n";
    return 1;
  }
  rr::SearchRequest search;
  search.board_id = board->id;
  std::map<std::string, std::vector<std::string>> names;  // external id -> names found
  for (const Json& record : client.objects().search_all(search)) {
    const auto ext = record.find("externalId");
    if (ext != record.end() && ext->is_string() && ext->get<std::string>().rfind(prefix, 0) == 0)
      names[ext->get<std::string>()].push_back(record.value("name", ""));
  }
  int lost = 0;
  for (int i = 0; i < kRecords; ++i) {
    const auto it = names.find(prefix + std::to_string(i));
    const std::string expected = "Windows bulk customer " + std::to_string(i);
    if (it == names.end() || it->second.size() != 1 || it->second.front() != expected) {
      ++lost;
      std::cout << "record " << i << ": found " << (it == names.end() ? 0 : it->second.size())
                << " copies\n";
    }
  }
  std::cout << "bulk_upserts: " << results.size() << " upserts, " << failed << " failed, "
            << names.size() << " records found, " << lost << " lost or wrong; " << stats.requests
            << " requests, concurrency " << stats.concurrency << "\n";
  return failed == 0 && lost == 0 && static_cast<int>(results.size()) == kRecords ? 0 : 1;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& e) {
    std::cerr << "bulk_upserts: failed: " << e.what() << "\n";
    return 1;
  }
}
