// Soak: one Client, many requests against rr-emulator while random faults are injected.
//
// Usage: soak_bench <path to rr-emulator> [requests] [fault_percent] [seed]
//   requests       total SDK calls (default 100000)
//   fault_percent  chance, per call, that one fault is queued for the next API request (default 5)
//   seed           random seed (default 14)
//
// The emulator runs in its own process, so this process holds the client alone and its memory
// figures are the client's. The call mix: 70% get by id, 10% search (one page of 50), 10% create
// (POST, never retried once sent) and 10% upsert by external id (PATCH, retried). Faults (queued
// through the emulator's admin API): connection drop, 503, 429, 500, truncated body, non-JSON
// body, 20 ms delay. Printed: failures by exception type, duplicate creates (records sharing an
// external id, counted by walking all customers afterwards), and this process's resident memory
// (VmRSS), heap in use (mallinfo2: what the program holds, not what the allocator keeps for reuse)
// and open file descriptors, at start and at end.

#include <cxxabi.h>
#include <dirent.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <typeinfo>
#include <vector>

#include "bench_support.hpp"
#include "roserocket/roserocket.hpp"

namespace rr = roserocket;

namespace {

// Bytes the program holds in allocations (every arena, and large mmap'd blocks): unlike VmRSS,
// memory freed but kept by the allocator for reuse does not count.
long heap_in_use_kib() {
  const struct mallinfo2 info = ::mallinfo2();
  return static_cast<long>((info.uordblks + info.hblkhd) / 1024);
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atol(line.c_str() + 6);
  }
  return -1;
}

int open_fds() {
  int n = 0;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (const dirent* e = ::readdir(dir)) {
      if (e->d_name[0] != '.')
        ++n;
    }
    ::closedir(dir);
  }
  return n - 1;  // the directory stream's own descriptor
}

std::string type_name(const std::exception& e) {
  int status = 0;
  char* name = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name != nullptr ? name : typeid(e).name();
  std::free(name);
  return out;
}

// One fault for the next API request, as the admin API's JSON.
nlohmann::json random_fault(std::mt19937& rng) {
  nlohmann::json f = {{"pathPrefix", "/api/v2/platformModel/objects"}};
  switch (std::uniform_int_distribution<int>(0, 6)(rng)) {
    case 0:
      f["kind"] = "drop";
      break;
    case 1:
      f["status"] = 503;
      break;
    case 2:
      f["status"] = 429;
      break;
    case 3:
      f["status"] = 500;
      break;
    case 4:
      f["kind"] = "truncated";
      break;
    case 5:
      f["kind"] = "nonJson";
      break;
    default:
      f["kind"] = "delay";
      f["delayMs"] = 20;
      break;
  }
  return f;
}

// The emulator's admin API (/__emulator/...), over its own connection.
class Admin {
 public:
  explicit Admin(std::string base_url) : base_(std::move(base_url)) {}
  void call(rr::HttpMethod method, const std::string& path, const nlohmann::json& body = nullptr) {
    rr::HttpRequest request;
    request.method = method;
    request.url = base_ + "/__emulator" + path;
    if (!body.is_null()) {
      request.headers.set("Content-Type", "application/json");
      request.body = body.dump();
    }
    const rr::HttpResponse response = transport_.send(request);
    if (response.status >= 300)
      throw std::runtime_error("emulator admin " + path + ": " + std::to_string(response.status));
  }

 private:
  std::string base_;
  rr::CurlTransport transport_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <path to rr-emulator> [requests] [fault_percent] [seed]\n",
                 argv[0]);
    return 2;
  }
  const std::string exe = argv[1];
  const long requests = argc > 2 ? std::atol(argv[2]) : 100000;
  const int fault_percent = argc > 3 ? std::atoi(argv[3]) : 5;
  const unsigned seed = argc > 4 ? static_cast<unsigned>(std::atol(argv[4])) : 14u;
  if (requests <= 0 || fault_percent < 0 || fault_percent > 100) {
    std::fprintf(stderr, "usage: %s <path to rr-emulator> [requests] [fault_percent] [seed]\n",
                 argv[0]);
    return 2;
  }
  try {
    const bench::Emulator emulator = bench::start_emulator(exe, {});
    Admin admin(emulator.base_url);
    std::string board;
    {
      rr::OAuthOptions oauth;
      oauth.token_url = emulator.base_url + "/oauth/token";
      // rr-emulator's built-in demo client.
      oauth.client_id = "demo-client-id";
      oauth.client_secret = "demo-client-secret";
      rr::ClientOptions options;
      options.base_url = emulator.base_url;
      options.token_provider = std::make_shared<rr::ClientCredentialsTokenProvider>(oauth);
      // Short waits, so that the run measures the client, not the backoff.
      options.retry.initial_backoff = std::chrono::milliseconds(1);
      options.retry.max_backoff = std::chrono::milliseconds(10);
      options.retry.max_retry_after = std::chrono::milliseconds(100);
      rr::Client client(options);
      board = client.boards().first_for("customer").value().id;
      std::vector<std::string> ids;
      for (int i = 0; i < 200; ++i)
        ids.push_back(
            client.objects().create("customer", {{"name", "Seeded"}})["id"].get<std::string>());

      admin.call(rr::HttpMethod::kDelete, "/faults");  // its connection is open from here on
      const long rss_start = rss_kib();
      const long heap_start = heap_in_use_kib();
      const int fds_start = open_fds();
      std::mt19937 rng(seed);
      std::map<std::string, long> failures;
      std::map<std::string, std::string> first_message;
      long faults = 0;
      long ok = 0;
      const auto started = std::chrono::steady_clock::now();
      for (long i = 0; i < requests; ++i) {
        if (std::uniform_int_distribution<int>(0, 99)(rng) < fault_percent) {
          admin.call(rr::HttpMethod::kPost, "/faults", random_fault(rng));
          ++faults;
        }
        try {
          switch (i % 10) {
            case 0: {
              const std::string ext = "soak-c-" + std::to_string(i);
              (void)client.objects().create("customer", {{"name", ext}, {"externalId", ext}});
              break;
            }
            case 1: {
              const std::string ext = "soak-u-" + std::to_string(i);
              (void)client.objects().upsert_by_external_id("customer", ext, {{"name", ext}});
              break;
            }
            case 2: {
              rr::SearchRequest search;
              search.board_id = board;
              search.limit = 50;
              (void)client.objects().search(search);
              break;
            }
            default:
              (void)client.objects().get(ids[static_cast<std::size_t>(i) % ids.size()]);
              break;
          }
          ++ok;
        } catch (const std::exception& e) {
          const std::string kind = type_name(e);
          if (++failures[kind] == 1)
            first_message[kind] = e.what();
        }
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      admin.call(rr::HttpMethod::kDelete, "/faults");
      const long rss_end = rss_kib();
      const long heap_end = heap_in_use_kib();
      const int fds_end = open_fds();

      // Duplicates: customers sharing an external id. The map is gone before memory is measured.
      long records = 0;
      long duplicates = 0;
      std::size_t external_ids = 0;
      {
        std::map<std::string, int> by_external;
        rr::SearchRequest all;
        all.board_id = board;
        for (const nlohmann::json& r : client.objects().search_all(all)) {
          ++records;
          if (r.contains("externalId") && r["externalId"].is_string())
            ++by_external[r["externalId"].get<std::string>()];
        }
        for (const auto& entry : by_external)
          duplicates += entry.second - 1;
        external_ids = by_external.size();
      }

      std::printf("soak: %ld requests in %.1f s, %ld faults queued (%d%%), seed %u\n", requests,
                  seconds, faults, fault_percent, seed);
      std::printf("  succeeded: %ld\n", ok);
      for (const auto& entry : failures)
        std::printf("  failed with %s: %ld (first: %.160s)\n", entry.first.c_str(), entry.second,
                    first_message[entry.first].c_str());
      std::printf("  duplicate creates (records sharing an external id): %ld of %zu external ids\n",
                  duplicates, external_ids);
      std::printf("  customers in the emulator afterwards: %ld\n", records);
      std::printf("  VmRSS: %ld KiB at start, %ld KiB at end\n", rss_start, rss_end);
      std::printf("  heap in use: %ld KiB at start, %ld KiB at end\n", heap_start, heap_end);
      std::printf("  open file descriptors: %d at start, %d at end\n", fds_start, fds_end);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "soak_bench: %s\n", e.what());
    return 1;
  }
}
