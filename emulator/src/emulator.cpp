#include "rr_emulator/emulator.hpp"

#include <atomic>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <sys/socket.h>

#include "core.hpp"
#include "faults.hpp"
#include "guarded_server.hpp"
#include "http_util.hpp"
#include "oauth.hpp"
#include "persistence.hpp"
#include "records.hpp"
#include "server.hpp"
#include "util.hpp"

namespace rr_emulator {
namespace {

// httplib holds a worker per open connection; enough that idle keep-alive clients of parallel
// tests, or a few dozen connections trickling their headers, cannot starve a new connection
// (GuardedServer also ends a head that takes more than 5 s).
constexpr std::size_t kWorkerThreads = 128;

// Sequential calls of one SDK client should stay on one connection (httplib's default is 5).
constexpr std::size_t kKeepAliveMaxRequests = 100000;

}  // namespace

class Emulator::Impl {
 public:
  explicit Impl(Options options)
      : core_{std::move(options), {}, {}, {}},
        oauth_(core_.options),
        webhooks_(core_.options.webhooks),
        pacing_(0, 0),
        services_{core_, oauth_, faults_, stats_, webhooks_, pacing_} {
    if (core_.options.search_lag.count() < 0)
      throw std::invalid_argument("Options::search_lag must not be negative");
    if (core_.options.timestamp_resolution.count() < 1)
      throw std::invalid_argument("Options::timestamp_resolution must be at least 1 ms");
    core_.state.search_index.lag = core_.options.search_lag;
  }

  void start() {
    std::lock_guard<std::mutex> lock(lifecycle_);
    if (thread_.joinable())
      throw std::runtime_error("the emulator is already running");
    if (!core_.options.data_file.empty()) {
      std::lock_guard<std::mutex> state_lock(core_.mutex);
      // Opening creates the file if needed: an unwritable path is a start failure, not a 500 later.
      core_.file.reset();
      core_.file = std::make_unique<detail::DataFile>(core_.options.data_file);
      const auto lag = core_.state.search_index.lag;
      core_.state = core_.file->load();
      core_.state.search_index.lag = lag;
    }
    detail::ConnectionLimits limits;
    limits.keep_alive_max = kKeepAliveMaxRequests;
    // A chunked body is framed; twice the body limit leaves room for any sane framing.
    limits.max_request_bytes = limits.max_head_bytes + 2 * detail::kMaxBodyBytes;
    server_ = std::make_unique<detail::GuardedServer>(limits);
    detail::harden(*server_);
    server_->new_task_queue = [this] {
      return new detail::CountingTaskQueue(kWorkerThreads, [this] { stats_.count_connection(); });
    };
    server_->set_keep_alive_max_count(kKeepAliveMaxRequests);
    // Headers and body go out in separate writes; with Nagle on, the body waits for the
    // client's delayed ACK (~40 ms a request).
    server_->set_tcp_nodelay(true);
    // httplib's default adds SO_REUSEPORT, which would let a second emulator share a busy port
    // silently; SO_REUSEADDR alone still allows a quick restart on the same port.
    // The socket is remembered so that its listen backlog can be raised after the bind.
    listen_socket_ = -1;
    server_->set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_socket_ = sock;
    });
    detail::install_routes(*server_, services_);
    webhooks_.start(core_);
    const auto& o = core_.options;
    if (o.port == 0) {
      port_ = server_->bind_to_any_port(o.host);
      if (port_ < 0)
        throw std::runtime_error("cannot bind " + o.host + " to any port");
    } else {
      if (!server_->bind_to_port(o.host, o.port)) {
        throw std::runtime_error("cannot bind " + o.host + ":" + std::to_string(o.port));
      }
      port_ = o.port;
    }
    // RFC 9207 and discovery name the issuer: the base URL clients reach the emulator at.
    oauth_.set_issuer("http://" + o.host + ":" + std::to_string(port_));
    // cpp-httplib listens with a backlog of 5 (compiled into Debian's libcpp-httplib): a client
    // that opens dozens of connections at once (the bulk engine) would see the kernel drop
    // connection attempts and retry them a second later. Listening again on a listening socket
    // only changes its backlog (Linux), to the system's maximum here.
    if (listen_socket_ >= 0)
      ::listen(listen_socket_, SOMAXCONN);
    // The socket already listens, so connections queue up; wait for the accept loop anyway so
    // stop() right after start() is well defined.
    listen_returned_ = false;
    thread_ = std::thread([this, server = server_.get()] {
      server->listen_after_bind();
      listen_returned_ = true;
    });
    while (!server_->is_running() && !listen_returned_)
      std::this_thread::yield();
  }

  void stop() {
    std::lock_guard<std::mutex> lock(lifecycle_);
    if (!thread_.joinable())
      return;
    server_->stop();
    thread_.join();
    server_.reset();
    webhooks_.stop();
  }

  bool running() const {
    std::lock_guard<std::mutex> lock(lifecycle_);
    return thread_.joinable();
  }

  int port() const { return port_; }
  const Options& options() const { return core_.options; }

  void reset() { detail::reset_everything(services_); }

  void set_search_lag(std::chrono::milliseconds lag) {
    if (lag.count() < 0)
      throw std::invalid_argument("set_search_lag: the lag must not be negative");
    std::lock_guard<std::mutex> lock(core_.mutex);
    core_.state.search_index.lag = lag;
  }

  std::vector<std::string> seed(const std::string& object_key,
                                const std::vector<nlohmann::json>& records) {
    std::lock_guard<std::mutex> lock(core_.mutex);
    detail::Caller who{core_.options.user_id, core_.options.org_id,
                       detail::iso_now(core_.options.timestamp_resolution)};
    detail::RecordStore store(core_.state, who);
    std::vector<std::string> ids;
    ids.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      nlohmann::json fields = records[i];
      if (!fields.is_object())
        throw std::invalid_argument("seed_records: item " + std::to_string(i) +
                                    " is not an object");
      nlohmann::json stamps = nlohmann::json::object();
      for (const char* key : {"createdAt", "updatedAt"}) {
        if (auto it = fields.find(key); it != fields.end()) {
          stamps[key] = *it;
          fields.erase(it);
        }
      }
      std::string id;
      try {
        store.validate(object_key, fields);
        id = store.create(object_key, fields, {}).value("id", std::string());
      } catch (const detail::ApiError& e) {
        core_.persist();
        throw std::invalid_argument("seed_records: item " + std::to_string(i) + ": " +
                                    e.message().dump());
      }
      if (detail::Record* record = store.find(id))
        record->fields.update(stamps);
      // Seeded records count as indexed already: searchable at once, whatever the lag.
      core_.state.search_index.entries.erase(id);
      ids.push_back(std::move(id));
    }
    core_.persist();
    return ids;
  }

  detail::FaultTable& faults() { return faults_; }
  detail::StatsCounter& stats() { return stats_; }
  detail::WebhookDispatcher& webhooks() { return webhooks_; }

 private:
  detail::Core core_;
  detail::OAuthServer oauth_;
  detail::FaultTable faults_;
  detail::StatsCounter stats_;
  detail::WebhookDispatcher webhooks_;
  detail::Pacing pacing_;
  detail::Services services_;
  mutable std::mutex lifecycle_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<int> port_{0};
  std::atomic<bool> listen_returned_{false};
  socket_t listen_socket_ = -1;  // the bound socket, set by the socket-options callback
};

Emulator::Emulator(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Emulator::~Emulator() {
  stop();
}

void Emulator::start() {
  impl_->start();
}

void Emulator::stop() {
  impl_->stop();
}

bool Emulator::running() const {
  return impl_->running();
}

int Emulator::port() const {
  return impl_->port();
}

std::string Emulator::base_url() const {
  return "http://" + impl_->options().host + ":" + std::to_string(port());
}

std::string Emulator::api_base_url() const {
  return base_url() + detail::kApiPrefix;
}

std::string Emulator::token_url() const {
  return base_url() + "/oauth/token";
}

std::string Emulator::jwks_url() const {
  return base_url() + "/.well-known/jwks.json";
}

const Options& Emulator::options() const noexcept {
  return impl_->options();
}

void Emulator::add_fault(const Fault& fault) {
  impl_->faults().add(fault);
}

void Emulator::clear_faults() {
  impl_->faults().clear();
}

Stats Emulator::stats() const {
  return impl_->stats().snapshot();
}

void Emulator::add_delivery_fault(const DeliveryFault& fault) {
  impl_->webhooks().add_fault(fault);
}

std::vector<WebhookDelivery> Emulator::webhook_deliveries() const {
  return impl_->webhooks().deliveries();
}

void Emulator::reset() {
  impl_->reset();
}

void Emulator::set_search_lag(std::chrono::milliseconds lag) {
  impl_->set_search_lag(lag);
}

std::vector<std::string> Emulator::seed_records(const std::string& object_key,
                                                const std::vector<nlohmann::json>& records) {
  return impl_->seed(object_key, records);
}

}  // namespace rr_emulator
