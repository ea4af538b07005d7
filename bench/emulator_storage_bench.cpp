// The emulator's write path with a data file (--data, SQLite) against the same writes in memory.
//
// Usage: emulator_storage_bench [creates] [workers] [dir]
//   creates  POST /objects per side (default 2000)
//   workers  threads, each with its own kept-alive libcurl connection (default 8)
//   dir      where the data file goes (default /tmp); it is removed afterwards
//
// The emulator runs in this process (roserocket::emulator); each side starts a fresh one. The
// figure is the wall time of all creates, with and without --data, and their ratio.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "rr_emulator/emulator.hpp"

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

/// @brief One kept-alive connection to the emulator.
class Connection {
 public:
  explicit Connection(int port) : base_("http://127.0.0.1:" + std::to_string(port)) {
    handle_ = curl_easy_init();
    if (handle_ == nullptr)
      throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &body_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    curl_easy_cleanup(handle_);
    curl_slist_free_all(headers_);
  }

  /// @brief POSTs @p body to @p path; returns the status and keeps the answer in body().
  long post(const std::string& path, const std::string& body, const std::string& type) {
    curl_slist_free_all(headers_);
    headers_ = curl_slist_append(nullptr, ("Content-Type: " + type).c_str());
    if (!token_.empty())
      headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token_).c_str());
    body_.clear();
    curl_easy_setopt(handle_, CURLOPT_URL, (base_ + path).c_str());
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    if (curl_easy_perform(handle_) != CURLE_OK)
      return 0;
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }

  void authenticate() {
    const long status =
        post("/oauth/token",
             "grant_type=client_credentials&client_id=" + std::string(rr_emulator::kDemoClientId) +
                 "&client_secret=" + rr_emulator::kDemoClientSecret,
             "application/x-www-form-urlencoded");
    if (status != 200)
      throw std::runtime_error("token request failed: " + std::to_string(status));
    token_ = nlohmann::json::parse(body_).at("access_token").get<std::string>();
  }

 private:
  std::string base_;
  CURL* handle_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string body_;
  std::string token_;
};

/// @brief Seconds for @p creates customer creates from @p workers threads; throws on a non-200.
double run_side(const std::string& data_file, int creates, int workers) {
  rr_emulator::Options options;
  options.data_file = data_file;
  rr_emulator::Emulator emulator(options);
  emulator.start();
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::vector<std::unique_ptr<Connection>> connections;
  for (int w = 0; w < workers; ++w) {
    connections.push_back(std::make_unique<Connection>(emulator.port()));
    connections.back()->authenticate();
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    Connection* c = connections[static_cast<std::size_t>(w)].get();
    threads.emplace_back([c, creates, &next, &failed] {
      for (int i = next++; i < creates; i = next++) {
        nlohmann::json body = {{"objectKey", "customer"},
                               {"json",
                                {{"name", "Bench customer " + std::to_string(i)},
                                 {"externalId", "bench-" + std::to_string(i)}}}};
        if (c->post("/api/v2/platformModel/objects", body.dump(), "application/json") != 200)
          ++failed;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  connections.clear();
  emulator.stop();
  if (failed != 0)
    throw std::runtime_error(std::to_string(failed.load()) + " creates failed");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const int creates = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int workers = argc > 2 ? std::atoi(argv[2]) : 8;
    const std::string dir = argc > 3 ? argv[3] : "/tmp";
    if (creates <= 0 || workers <= 0) {
      std::fprintf(stderr, "usage: %s [creates] [workers] [dir]\n", argv[0]);
      return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::string file = dir + "/emulator-storage-bench-" + std::to_string(::getpid()) + ".db";
    const double memory = run_side("", creates, workers);
    const double disk = run_side(file, creates, workers);
    for (const char* suffix : {"", "-wal", "-shm"})
      ::unlink((file + suffix).c_str());
    std::printf("%d creates from %d workers over HTTP\n", creates, workers);
    std::printf("  in memory:          %.2f s (%.0f creates/s)\n", memory, creates / memory);
    std::printf("  --data (SQLite):    %.2f s (%.0f creates/s)\n", disk, creates / disk);
    std::printf("  ratio --data / memory: %.2f\n", disk / memory);
    curl_global_cleanup();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "emulator_storage_bench: %s\n", e.what());
    return 1;
  }
}
