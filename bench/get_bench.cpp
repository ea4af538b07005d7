// CPU cost of ObjectsApi::get against plain libcurl + nlohmann::json::parse for the same GETs.
//
// Usage: get_bench <base_url> [N] [record_id]
//   base_url   e.g. http://127.0.0.1:8080 (see bench_server and bench/run.sh)
//   N          requests per side (default 2000)
//   record_id  id to get (default a uuid; bench_server answers any id)
//
// Both sides run in this process over one kept-alive connection each; CPU time is this
// process's user+sys (getrusage), so the server's work is not counted. Rounds alternate which
// side goes first so that neither profits from a warmer cache or a quieter machine.

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "roserocket/roserocket.hpp"

namespace {

constexpr const char* kToken = "bench-token-not-a-real-one";
constexpr int kRounds = 20;

// User and system CPU time of this process, in microseconds.
struct CpuTime {
  double user = 0;
  double sys = 0;
  double total() const { return user + sys; }
  CpuTime& operator+=(const CpuTime& o) {
    user += o.user;
    sys += o.sys;
    return *this;
  }
};

CpuTime cpu_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& tv) { return tv.tv_sec * 1e6 + static_cast<double>(tv.tv_usec); };
  return CpuTime{us(usage.ru_utime), us(usage.ru_stime)};
}

// The same GET done by hand: one reused easy handle, the SDK's headers, then a JSON parse.
class PlainGetter {
 public:
  PlainGetter(const std::string& url, const std::string& user_agent) {
    handle_ = curl_easy_init();
    if (handle_ == nullptr)
      throw std::runtime_error("curl_easy_init failed");
    headers_ = curl_slist_append(headers_, "Accept: application/json");
    headers_ = curl_slist_append(headers_, ("User-Agent: " + user_agent).c_str());
    headers_ =
        curl_slist_append(headers_, (std::string("Authorization: Bearer ") + kToken).c_str());
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &PlainGetter::on_body);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &body_);
  }
  PlainGetter(const PlainGetter&) = delete;
  PlainGetter& operator=(const PlainGetter&) = delete;
  ~PlainGetter() {
    curl_easy_cleanup(handle_);
    curl_slist_free_all(headers_);
  }

  std::size_t get() {
    body_.clear();
    const CURLcode code = curl_easy_perform(handle_);
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK || status != 200) {
      throw std::runtime_error(std::string("plain GET failed: ") + curl_easy_strerror(code) +
                               ", status " + std::to_string(status));
    }
    return nlohmann::json::parse(body_).size();
  }

  std::size_t body_size() const { return body_.size(); }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  }

  CURL* handle_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string body_;
};

// Runs @p n calls of @p get and returns the CPU microseconds they took.
template <typename F>
CpuTime measure(int n, F&& get, std::size_t& sink) {
  const CpuTime start = cpu_now();
  for (int i = 0; i < n; ++i)
    sink += get();
  const CpuTime end = cpu_now();
  return CpuTime{end.user - start.user, end.sys - start.sys};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <base_url> [N] [record_id]\n", argv[0]);
    return 2;
  }
  const std::string base_url = argv[1];
  const int n = argc > 2 ? std::atoi(argv[2]) : 2000;
  const std::string id = argc > 3 ? argv[3] : "e54225d7-3bc9-4803-992a-af107b0db8df";
  if (n < kRounds) {
    std::fprintf(stderr, "N must be at least %d\n", kRounds);
    return 2;
  }

  try {
    roserocket::ClientOptions options;
    options.base_url = base_url;
    options.token_provider = std::make_shared<roserocket::StaticTokenProvider>(kToken);
    roserocket::Client client(options);
    roserocket::ObjectsApi objects = client.objects();
    auto sdk_get = [&] { return objects.get(id).size(); };

    const std::string url =
        client.options().base_url + client.options().api_prefix + "/objects/" + id;
    PlainGetter plain(url, roserocket::default_user_agent());
    auto plain_get = [&] { return plain.get(); };

    std::size_t sink = 0;
    const int warmup = std::max(50, n / 10);
    measure(warmup, sdk_get, sink);
    measure(warmup, plain_get, sink);

    const int per_round = n / kRounds;
    CpuTime sdk_us;
    CpuTime plain_us;
    std::vector<double> round_ratios;
    for (int round = 0; round < kRounds; ++round) {
      CpuTime s;
      CpuTime p;
      if (round % 2 == 0) {
        s = measure(per_round, sdk_get, sink);
        p = measure(per_round, plain_get, sink);
      } else {
        p = measure(per_round, plain_get, sink);
        s = measure(per_round, sdk_get, sink);
      }
      sdk_us += s;
      plain_us += p;
      if (p.total() > 0)
        round_ratios.push_back(s.total() / p.total());
    }
    std::sort(round_ratios.begin(), round_ratios.end());
    const int total = per_round * kRounds;
    const double sdk_per = sdk_us.total() / total;
    const double plain_per = plain_us.total() / total;
    std::printf("get_bench: %d GETs per side of %s (%zu-byte record), %d rounds, warm-up %d\n",
                total, url.c_str(), plain.body_size(), kRounds, warmup);
    std::printf("  SDK   ObjectsApi::get              %8.1f us CPU/request (user %.1f, sys %.1f)\n",
                sdk_per, sdk_us.user / total, sdk_us.sys / total);
    std::printf("  plain libcurl + json::parse        %8.1f us CPU/request (user %.1f, sys %.1f)\n",
                plain_per, plain_us.user / total, plain_us.sys / total);
    std::printf("  ratio SDK/plain                    %8.3f (median of rounds %.3f)\n",
                sdk_per / plain_per,
                round_ratios.empty() ? 0.0 : round_ratios[round_ratios.size() / 2]);
    return sink == 0 ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "get_bench: %s\n", e.what());
    return 1;
  }
}
