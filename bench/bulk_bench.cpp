// Bulk upserts against rr-emulator with 20 ms latency: sequential, 16 threads sharing one
// blocking Client (what users hand-write today), and BulkEngine at 4/8/16/32/64 in flight, each
// with wall time, speed-up against the sequential run and CPU per request (getrusage of this
// process: the emulator runs in its own process and is not counted). Then a run against the
// emulator limited to 50 requests a second (time, failed items, records created twice), and
// HTTP/2 through Debian's nginx terminating TLS with a certificate made for the run.
//
// Every run upserts the same N external ids (the sequential run creates them, the others update
// them): the emulator's store stays the same size, so no run pays for the records of another.
//
// Usage: bulk_bench <path to rr-emulator> [N]   (N upserts per run, default 1000)

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/roserocket.hpp"
#include "support/emulator_demo_client.hpp"

namespace {

using bench::Child;
using bench::Emulator;
using bench::start_emulator;
namespace rr = roserocket;
using rr::Json;
using SteadyClock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

// Forwards to a CurlTransport: the engine then runs its worker-pool path over libcurl, for a
// comparison with its multi loop.
class Forwarding final : public rr::HttpTransport {
 public:
  rr::HttpResponse send(const rr::HttpRequest& request) override { return inner_.send(request); }

 private:
  rr::CurlTransport inner_{[] {
    rr::CurlTransportOptions o;
    o.max_idle_handles = 64;
    return o;
  }()};
};

rr::Client make_client(const std::string& base_url, const std::string& token_base,
                       const rr::CurlTransportOptions& transport = {}, bool forwarding = false) {
  rr::ClientOptions options;
  options.transport_options = transport;
  options.transport_options.max_idle_handles = 64;
  if (forwarding)
    options.transport = std::make_shared<Forwarding>();
  return rr_test::emulator_demo_client(base_url, std::move(options), token_base);
}

std::vector<Json> records(const std::string& prefix, int n) {
  std::vector<Json> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(Json{{"externalId", prefix + std::to_string(i)},
                       {"name", "Bench customer " + std::to_string(i)}});
  }
  return out;
}

struct Figures {
  double seconds = 0;
  double cpu = 0;
  std::size_t failed = 0;
  std::size_t connections = 0;
  std::size_t pauses = 0;
};

Figures sequential(const rr::Client& client, const std::vector<Json>& items) {
  const auto objects = client.objects();
  Figures f;
  const double cpu0 = cpu_seconds();
  const auto t0 = SteadyClock::now();
  for (const auto& item : items) {
    try {
      (void)objects.upsert_by_external_id("customer", item["externalId"].get<std::string>(), item);
    } catch (const rr::Error&) {
      ++f.failed;
    }
  }
  f.seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  f.cpu = cpu_seconds() - cpu0;
  return f;
}

Figures threads(const rr::Client& client, const std::vector<Json>& items, int n) {
  const auto objects = client.objects();
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed{0};
  Figures f;
  const double cpu0 = cpu_seconds();
  const auto t0 = SteadyClock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < n; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < items.size(); i = next++) {
        try {
          (void)objects.upsert_by_external_id("customer", items[i]["externalId"].get<std::string>(),
                                              items[i]);
        } catch (const rr::Error&) {
          ++failed;
        }
      }
    });
  }
  for (auto& t : pool)
    t.join();
  f.seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  f.cpu = cpu_seconds() - cpu0;
  f.failed = failed;
  return f;
}

Figures engine(const rr::Client& client, const std::vector<Json>& items, int n, bool http2 = true) {
  rr::BulkOptions o;
  o.max_in_flight = n;
  o.http2 = http2;
  Figures f;
  const double cpu0 = cpu_seconds();
  const auto t0 = SteadyClock::now();
  {
    rr::BulkEngine e(client, o);
    const auto results = e.upsert_many("customer", items);
    for (const auto& r : results)
      f.failed += r.ok() ? 0 : 1;
    f.connections = e.stats().connections;
    f.pauses = e.stats().pauses;
  }
  f.seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  f.cpu = cpu_seconds() - cpu0;
  return f;
}

void print(const char* label, const Figures& f, std::size_t n, double baseline) {
  std::printf("%-28s %8.2f s  %6.1fx  %7.1f us CPU/request  failed %zu", label, f.seconds,
              baseline / f.seconds, f.cpu / static_cast<double>(n) * 1e6, f.failed);
  if (f.connections > 0)
    std::printf("  connections %zu", f.connections);
  std::printf("\n");
  std::fflush(stdout);
}

// Records per external id among those starting with @p prefix.
std::map<std::string, int> count_by_external_id(const rr::Client& client,
                                                const std::string& prefix) {
  const auto board = rr::Boards(client).first_for("customer");
  rr::SearchRequest search;
  search.board_id = board ? board->id : std::string();
  std::map<std::string, int> counts;
  for (const Json& r : client.objects().search_all(search)) {
    const std::string ext = r.value("externalId", "");
    if (ext.rfind(prefix, 0) == 0)
      ++counts[ext];
  }
  return counts;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// HTTP/2 through nginx: returns false (after saying why) when nginx or openssl cannot run.
bool run_nginx(const Emulator& emulator, int n) {
  const char* nginx = "/usr/sbin/nginx";
  if (access(nginx, X_OK) != 0) {
    std::printf("HTTP/2: skipped, %s not found\n", nginx);
    return false;
  }
  char dir_template[] = "/tmp/rr-bulk-nginx-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string openssl =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout " +
      dir + "/key.pem -out " + dir + "/cert.pem 2>" + dir + "/openssl.log";
  if (std::system(openssl.c_str()) != 0) {
    std::printf("HTTP/2: skipped, openssl could not make a certificate (see %s/openssl.log)\n",
                dir.c_str());
    return false;
  }
  const std::string upstream = emulator.base_url.substr(emulator.base_url.find("://") + 3);
  const int port = free_port();
  {
    std::ofstream conf(dir + "/nginx.conf");
    conf << "worker_processes 1;\npid " << dir << "/nginx.pid;\nerror_log " << dir
         << "/error.log;\nevents { worker_connections 1024; }\nhttp {\n  access_log " << dir
         << "/access.log;\n  client_body_temp_path " << dir << "/body;\n  proxy_temp_path " << dir
         << "/proxy;\n  fastcgi_temp_path " << dir << "/fcgi;\n  uwsgi_temp_path " << dir
         << "/uwsgi;\n  scgi_temp_path " << dir << "/scgi;\n  upstream emulator { server "
         << upstream << "; keepalive 64; }\n  server {\n    listen 127.0.0.1:" << port
         << " ssl http2;\n    http2_max_concurrent_streams 128;\n    ssl_certificate " << dir
         << "/cert.pem;\n    ssl_certificate_key " << dir
         << "/key.pem;\n    location / {\n      proxy_pass http://emulator;\n"
            "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n"
            "      proxy_set_header Host $host:$server_port;\n    }\n  }\n}\n";
  }
  Child proxy({nginx, "-p", dir, "-c", dir + "/nginx.conf", "-g", "daemon off;"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  if (!proxy.alive()) {
    std::printf("HTTP/2: skipped, nginx exited at start (see %s/error.log)\n", dir.c_str());
    return false;
  }
  rr::CurlTransportOptions tls;
  tls.ca_file = dir + "/cert.pem";
  const std::string base = "https://127.0.0.1:" + std::to_string(port);
  const rr::Client client = make_client(base, emulator.base_url, tls);
  const auto items = records("BULK-", n);
  const int small = std::max(1, n / 5);
  const auto first = std::vector<Json>(items.begin(), items.begin() + small);
  const Figures seq = sequential(client, first);
  const double baseline = seq.seconds * n / small;  // per N, from the shorter sequential run
  std::printf("through nginx (TLS, %d upserts; sequential timed on %d and scaled)\n", n, small);
  print("  sequential (scaled)", Figures{baseline, seq.cpu * n / small, seq.failed, 0, 0}, n,
        baseline);
  const Figures h1 = engine(client, items, 64, /*http2=*/false);
  print("  engine 64, HTTP/1.1", h1, items.size(), baseline);
  const Figures h2 = engine(client, items, 64, /*http2=*/true);
  print("  engine 64, HTTP/2", h2, items.size(), baseline);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <path to rr-emulator> [N]\n", argv[0]);
    return 2;
  }
  const std::string exe = argv[1];
  const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
  if (n < 1) {
    std::fprintf(stderr, "N must be a positive number\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  try {
    const Emulator slow = start_emulator(exe, {"--latency-ms", "20"});
    const rr::Client client = make_client(slow.base_url, slow.base_url);
    (void)client.options().token_provider->access_token();  // the token is not timed
    std::printf("%d upserts by external id, emulator latency 20 ms (%s)\n", n,
                slow.base_url.c_str());
    const Figures seq = sequential(client, records("BULK-", n));
    print("sequential", seq, n, seq.seconds);
    print("16 threads, one Client", threads(client, records("BULK-", n), 16), n, seq.seconds);
    for (int in_flight : {4, 8, 16, 32, 64}) {
      const std::string label = "engine " + std::to_string(in_flight) + " in flight";
      print(label.c_str(), engine(client, records("BULK-", n), in_flight), n, seq.seconds);
    }

    const rr::Client pooled = make_client(slow.base_url, slow.base_url, {}, /*forwarding=*/true);
    for (int in_flight : {16, 64}) {
      const std::string label = "engine " + std::to_string(in_flight) + ", worker pool";
      print(label.c_str(), engine(pooled, records("BULK-", n), in_flight), n, seq.seconds);
    }

    const Emulator limited = start_emulator(exe, {"--rate-limit", "50"});
    const rr::Client limited_client = make_client(limited.base_url, limited.base_url);
    const Figures rate = engine(limited_client, records("RATE-", n), 16);
    const auto counts = count_by_external_id(limited_client, "RATE-");
    std::size_t twice = 0;
    for (const auto& entry : counts)
      twice += entry.second > 1 ? 1 : 0;
    std::printf(
        "rate limit 50/s, engine 16: %.2f s, failed %zu, records %zu, created twice %zu, "
        "engine pauses %zu\n",
        rate.seconds, rate.failed, counts.size(), twice, rate.pauses);
    std::fflush(stdout);

    run_nginx(slow, n);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bulk_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
