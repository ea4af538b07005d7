#pragma once

/// @file
/// @brief Loopback servers for the libcurl transport's integration tests: a cpp-httplib server
/// that counts connections, and a raw-socket server that can misbehave (truncate, drop, stall).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

namespace roserocket::curl_test {

/// @brief A cpp-httplib server on 127.0.0.1 and a free port, run on its own thread.
///
/// Counts requests and the distinct client ports they came from (one per TCP connection). Add
/// routes with `http()` before `start()`. Thread-safe counters; start/stop from one thread.
class LoopbackHttpServer {
 public:
  /// @brief Plain HTTP, or HTTPS with the PEM certificate and key at the given paths.
  explicit LoopbackHttpServer(const char* cert_path = nullptr, const char* key_path = nullptr)
      : owned_(make_server(cert_path, key_path)), server_(*owned_) {
    // More workers than client threads, so that kept-alive connections never queue.
    server_.new_task_queue = [] { return new httplib::ThreadPool(24); };
    // httplib closes a connection after 5 requests by default; the reuse test needs thousands.
    server_.set_keep_alive_max_count(1000000);
    server_.set_keep_alive_timeout(30);
    // httplib writes head and body separately; without this, Nagle plus delayed ACKs add 40 ms.
    server_.set_tcp_nodelay(true);
    server_.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response&) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++requests_;
      client_ports_.insert(request.remote_port);
      return httplib::Server::HandlerResponse::Unhandled;
    });
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;
  ~LoopbackHttpServer() { stop(); }

  /// @brief The server, to add routes to before `start()`.
  httplib::Server& http() { return server_; }

  /// @brief Binds 127.0.0.1 on a free port and serves on a thread.
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0)
      throw std::runtime_error("could not bind a loopback port");
    // The socket listens already: connections made before the loop runs wait in the backlog.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  /// @brief Stops serving and joins the thread.
  void stop() {
    if (!thread_.joinable())
      return;
    // stop() is a no-op until the loop runs, so wait for that first.
    while (!server_.is_running())
      std::this_thread::yield();
    server_.stop();
    thread_.join();
  }

  [[nodiscard]] int port() const { return port_; }
  /// @brief "http://127.0.0.1:<port>"; a TLS server is reached with https:// instead.
  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// @brief Requests seen so far.
  [[nodiscard]] int requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// @brief Distinct client ports seen so far: one per TCP connection the client opened.
  [[nodiscard]] std::size_t connections() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return client_ports_.size();
  }

 private:
  static std::unique_ptr<httplib::Server> make_server(const char* cert_path, const char* key_path) {
    if (cert_path == nullptr)
      return std::make_unique<httplib::Server>();
    auto tls = std::make_unique<httplib::SSLServer>(cert_path, key_path);
    if (!tls->is_valid())
      throw std::runtime_error("the test certificate or key did not load");
    return tls;
  }

  std::unique_ptr<httplib::Server> owned_;
  httplib::Server& server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  int requests_ = 0;
  std::set<int> client_ports_;
};

/// @brief A blocking gate: handlers wait on it until the test opens it (or a safety limit passes).
class Gate {
 public:
  /// @brief Waits until `open()` or @p limit; returns whether it was opened.
  bool wait(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

/// @brief One request as the raw server read it.
struct RawRequest {
  std::string method;
  std::string target;
  /// The request line and header fields, as received.
  std::string head;
  std::string body;
  /// Which accepted connection it came on (0, 1, ...).
  int connection = 0;
};

/// @brief What the raw server does with one request.
struct RawReply {
  /// Bytes written back verbatim (may be empty, truncated or malformed).
  std::string bytes;
  /// Close the connection after writing.
  bool close_after = true;
};

/// @brief A one-thread HTTP/1.1 server over plain sockets on 127.0.0.1, for behaviour httplib
/// cannot produce: short bodies, closing without a reply, closing a kept-alive connection.
///
/// Serves one connection at a time. `handler` gets each request and its index (from 0) and says
/// what to write. Counters are thread-safe.
class RawSocketServer {
 public:
  using Handler = std::function<RawReply(const RawRequest&, int index)>;

  explicit RawSocketServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0)
      throw std::runtime_error("socket() failed");
    const int yes = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("bind/listen on loopback failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  RawSocketServer(const RawSocketServer&) = delete;
  RawSocketServer& operator=(const RawSocketServer&) = delete;

  ~RawSocketServer() {
    stopping_ = true;
    // shutdown() wakes a blocked accept() or recv() at once.
    ::shutdown(listen_fd_, SHUT_RDWR);
    {
      // Under the lock the connection cannot be closed (and its number reused) meanwhile.
      std::lock_guard<std::mutex> lock(fd_mutex_);
      if (current_fd_ >= 0)
        ::shutdown(current_fd_, SHUT_RDWR);
    }
    thread_.join();
    ::close(listen_fd_);
  }

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  [[nodiscard]] int connections() const { return connections_.load(); }
  /// @brief Every request received so far.
  [[nodiscard]] std::vector<RawRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// @brief How many requests used @p method.
  [[nodiscard]] int count(const std::string& method) const {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& r : requests_)
      n += r.method == method ? 1 : 0;
    return n;
  }

 private:
  void serve() {
    while (!stopping_) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        if (errno == EINTR)
          continue;
        return;
      }
      {
        std::lock_guard<std::mutex> lock(fd_mutex_);
        current_fd_ = fd;
      }
      const int index = connections_++;
      serve_connection(fd, index);
      std::lock_guard<std::mutex> lock(fd_mutex_);
      current_fd_ = -1;
      ::close(fd);
    }
  }

  void serve_connection(int fd, int connection) {
    std::string buffer;
    while (!stopping_) {
      RawRequest request;
      request.connection = connection;
      if (!read_request(fd, buffer, request))
        return;
      int index = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        index = static_cast<int>(requests_.size());
        requests_.push_back(request);
      }
      const RawReply reply = handler_(request, index);
      std::size_t sent = 0;
      while (sent < reply.bytes.size()) {
        const auto n =
            ::send(fd, reply.bytes.data() + sent, reply.bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
          return;
        sent += static_cast<std::size_t>(n);
      }
      if (reply.close_after)
        return;
    }
  }

  // Reads one request (head, then a Content-Length body) from @p fd; false on EOF or error.
  static bool read_request(int fd, std::string& buffer, RawRequest& out) {
    std::size_t head_end = std::string::npos;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(fd, buffer))
        return false;
    }
    out.head = buffer.substr(0, head_end + 2);
    out.method = out.head.substr(0, out.head.find(' '));
    const auto target_start = out.method.size() + 1;
    out.target = out.head.substr(target_start, out.head.find(' ', target_start) - target_start);
    std::size_t length = 0;
    std::string lower = out.head;
    for (auto& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::stoul(lower.substr(at + 17));
    }
    buffer.erase(0, head_end + 4);
    while (buffer.size() < length) {
      if (!read_more(fd, buffer))
        return false;
    }
    out.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
  }

  static bool read_more(int fd, std::string& buffer) {
    char chunk[4096];
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0)
      return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex fd_mutex_;
  int current_fd_ = -1;  // guarded by fd_mutex_
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<RawRequest> requests_;
  std::thread thread_;
};

/// @brief A complete HTTP/1.1 response with a JSON body.
inline std::string raw_json_response(int status, const std::string& body, bool keep_alive) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) +
         "\r\nConnection: " + (keep_alive ? "keep-alive" : "close") + "\r\n\r\n" + body;
}

/// @brief A loopback port with nothing listening on it: bound (so no one else takes it) but not
/// listening, so connecting is refused at once.
class ClosedPort {
 public:
  ClosedPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("could not reserve a loopback port");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  ~ClosedPort() { ::close(fd_); }
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace roserocket::curl_test
