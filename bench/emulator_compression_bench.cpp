// Bytes on the wire and CPU for one 1,000-record search answer, compressed (gzip) and not.
//
// Usage: emulator_compression_bench [rounds]
//   rounds  searches per side (default 50); sides alternate each round
//
// The emulator runs in this process with 1,000 seeded customers. Each side is plain libcurl on one
// kept-alive handle plus nlohmann::json::parse; one sets CURLOPT_ACCEPT_ENCODING "" (as the SDK
// does by default), the other sends no Accept-Encoding. "client CPU" is the calling thread's
// user+sys (getrusage RUSAGE_THREAD): decoding and parsing. "process CPU" adds the emulator's
// threads, which compress.

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "rr_emulator/emulator.hpp"

namespace {

double cpu_us(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto us = [](const timeval& tv) { return tv.tv_sec * 1e6 + static_cast<double>(tv.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct Side {
  const char* name;
  bool compressed;
  CURL* handle = nullptr;
  double wire = 0;
  double decoded = 0;
  double client_cpu = 0;
  double process_cpu = 0;
};

std::string post(CURL* c, const std::string& url, const std::string& body, curl_slist* headers) {
  std::string out;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
  const CURLcode code = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK || status != 200) {
    throw std::runtime_error(std::string("request failed: ") + curl_easy_strerror(code) +
                             ", status " + std::to_string(status));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 50;
    if (rounds <= 0) {
      std::fprintf(stderr, "usage: %s [rounds]\n", argv[0]);
      return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rr_emulator::Emulator emulator;
    emulator.start();
    std::vector<nlohmann::json> customers;
    for (int i = 0; i < 1000; ++i) {
      customers.push_back({{"name", "Customer number " + std::to_string(i)},
                           {"externalId", "bench-" + std::to_string(i)},
                           {"email", "customer" + std::to_string(i) + "@example.com"}});
    }
    emulator.seed_records("customer", customers);
    const std::string base = "http://127.0.0.1:" + std::to_string(emulator.port());

    CURL* setup = curl_easy_init();
    curl_slist* form =
        curl_slist_append(nullptr, "Content-Type: application/x-www-form-urlencoded");
    const std::string token =
        nlohmann::json::parse(post(setup, base + "/oauth/token",
                                   std::string("grant_type=client_credentials&client_id=") +
                                       rr_emulator::kDemoClientId +
                                       "&client_secret=" + rr_emulator::kDemoClientSecret,
                                   form))
            .at("access_token")
            .get<std::string>();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    std::string board;
    {
      curl_easy_setopt(setup, CURLOPT_HTTPGET, 1L);
      std::string out;
      curl_easy_setopt(setup, CURLOPT_URL, (base + "/api/v2/platformModel/boards/nav").c_str());
      curl_easy_setopt(setup, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(setup, CURLOPT_WRITEFUNCTION, &on_body);
      curl_easy_setopt(setup, CURLOPT_WRITEDATA, &out);
      curl_easy_perform(setup);
      for (const auto& b : nlohmann::json::parse(out)) {
        if (b.at("objectKey") == "customer")
          board = b.at("id").get<std::string>();
      }
    }
    curl_easy_cleanup(setup);
    curl_slist_free_all(form);
    const std::string url = base + "/api/v2/platformModel/objects/search";
    const std::string query = nlohmann::json{{"boardId", board}, {"limit", 1000}}.dump();

    std::vector<Side> sides = {{"uncompressed", false}, {"gzip", true}};
    for (auto& side : sides) {
      side.handle = curl_easy_init();
      curl_easy_setopt(side.handle, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(side.handle, CURLOPT_ACCEPT_ENCODING, side.compressed ? "" : nullptr);
      // A warm-up request opens the connection.
      post(side.handle, url, query, headers);
    }
    for (int round = 0; round < rounds; ++round) {
      for (int k = 0; k < 2; ++k) {
        Side& side = sides[static_cast<std::size_t>((round + k) % 2)];
        const double thread0 = cpu_us(RUSAGE_THREAD);
        const double process0 = cpu_us(RUSAGE_SELF);
        const std::string body = post(side.handle, url, query, headers);
        const auto doc = nlohmann::json::parse(body);
        side.client_cpu += cpu_us(RUSAGE_THREAD) - thread0;
        side.process_cpu += cpu_us(RUSAGE_SELF) - process0;
        if (doc.at("results").size() != 1000)
          throw std::runtime_error("the search did not answer 1,000 records");
        curl_off_t wire = 0;
        curl_easy_getinfo(side.handle, CURLINFO_SIZE_DOWNLOAD_T, &wire);
        side.wire += static_cast<double>(wire);
        side.decoded += static_cast<double>(body.size());
      }
    }
    std::printf("one search answer of 1,000 customers, %d rounds per side\n", rounds);
    for (const auto& side : sides) {
      std::printf(
          "  %-13s wire %9.0f B  decoded %9.0f B  client CPU %7.0f us  process CPU %7.0f us\n",
          side.name, side.wire / rounds, side.decoded / rounds, side.client_cpu / rounds,
          side.process_cpu / rounds);
    }
    const Side& plain = sides[0];
    const Side& gzip = sides[1];
    std::printf("  ratio gzip / uncompressed: wire %.3f, client CPU %.2f, process CPU %.2f\n",
                gzip.wire / plain.wire, gzip.client_cpu / plain.client_cpu,
                gzip.process_cpu / plain.process_cpu);
    for (auto& side : sides)
      curl_easy_cleanup(side.handle);
    curl_slist_free_all(headers);
    emulator.stop();
    curl_global_cleanup();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "emulator_compression_bench: %s\n", e.what());
    return 1;
  }
}
