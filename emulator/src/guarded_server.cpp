#include "guarded_server.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

namespace rr_emulator::detail {
namespace {

using Clock = std::chrono::steady_clock;

int ms_until(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  while (true) {
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready < 0 && errno == EINTR)
      continue;
    return ready > 0;
  }
}

// The socket as httplib's Stream, with one deadline for everything read of the current request.
class DeadlineStream final : public httplib::Stream {
 public:
  explicit DeadlineStream(int fd) : fd_(fd) {}
  // Starts a request: reads end at @p deadline or after @p budget bytes.
  void begin(Clock::time_point deadline, std::size_t budget) {
    deadline_ = deadline;
    budget_ = budget;
  }

  bool is_readable() const override { return wait_for(fd_, POLLIN, ms_until(deadline_)); }
  bool is_writable() const override { return wait_for(fd_, POLLOUT, 5000); }
  ssize_t read(char* ptr, size_t size) override {
    // httplib reads a head one byte at a time: serve those from a buffer, not a syscall each.
    if (begin_ == end_) {
      if (budget_ == 0 || !wait_for(fd_, POLLIN, ms_until(deadline_)))
        return -1;
      ssize_t n = 0;
      do {
        n = ::recv(fd_, buffer_, std::min(sizeof buffer_, budget_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0)
        return n;
      budget_ -= static_cast<std::size_t>(n);
      begin_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
    const std::size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable())
      return -1;
    ssize_t n = 0;
    do {
      n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address(::getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address(::getsockname, ip, port);
  }
  socket_t socket() const override { return fd_; }
  // Bytes read from the socket but not yet by httplib (a pipelined next request).
  [[nodiscard]] bool has_buffered() const { return begin_ != end_; }

 private:
  template <class F>
  void address(F get, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (get(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  int fd_;
  Clock::time_point deadline_{};
  std::size_t budget_ = 0;
  char buffer_[4096];
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

enum class Head { kComplete, kClosed, kTooLarge, kTooSlow };

// Waits, without consuming anything, until a whole request head is in the socket's buffer.
Head await_head(int fd, std::size_t max_bytes, Clock::time_point deadline) {
  std::string peeked(max_bytes + 4, '\0');
  std::size_t last = 0;
  while (true) {
    if (!wait_for(fd, POLLIN, ms_until(deadline)))
      return Head::kTooSlow;
    const ssize_t n = ::recv(fd, peeked.data(), peeked.size(), MSG_PEEK);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return Head::kClosed;
    const std::string_view seen(peeked.data(), static_cast<std::size_t>(n));
    if (seen.find("\r\n\r\n") != std::string_view::npos)
      return Head::kComplete;
    if (seen.size() > max_bytes)
      return Head::kTooLarge;
    if (static_cast<std::size_t>(n) == last) {
      // Nothing new since the last look: poll would report the same bytes again at once.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (Clock::now() >= deadline)
        return Head::kTooSlow;
    }
    last = static_cast<std::size_t>(n);
  }
}

void answer_and_close(int fd, const char* status_line) {
  const std::string body = std::string(R"({"statusCode":)") + std::string(status_line, 3) +
                           R"(,"message":"request head too large or too slow"})";
  const std::string reply = std::string("HTTP/1.1 ") + status_line +
                            "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                            "Content-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
  (void)::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  // FIN after the answer, then a short, bounded drain: closing with unread input would send a
  // reset, which can destroy the answer before the client reads it.
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  std::size_t drained = 0;
  const auto until = Clock::now() + std::chrono::milliseconds(200);
  while (drained < 256 * 1024 && wait_for(fd, POLLIN, ms_until(until))) {
    const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
    if (n <= 0)
      break;
    drained += static_cast<std::size_t>(n);
  }
}

// A request in memory as httplib's Stream: reads from the input, collects what is written.
class MemoryStream final : public httplib::Stream {
 public:
  explicit MemoryStream(std::string_view in) : in_(in) {}
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, in_.size());
    std::memcpy(ptr, in_.data(), n);
    in_.remove_prefix(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 3000;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  std::string& out() { return out_; }

 private:
  std::string_view in_;
  std::string out_;
};

}  // namespace

std::string GuardedServer::serve_bytes(std::string_view request) {
  MemoryStream stream(request);
  bool connection_closed = false;
  (void)process_request(stream, /*close_connection=*/true, connection_closed, nullptr);
  return std::move(stream.out());
}

bool GuardedServer::wait_for_request(socket_t sock) const {
  const auto until = Clock::now() + limits_.keep_alive_idle;
  while (svr_sock_ != INVALID_SOCKET) {
    const int left = ms_until(until);
    if (left <= 0)
      return false;
    if (wait_for(sock, POLLIN, std::min(left, 100)))
      return true;
  }
  return false;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  DeadlineStream stream(sock);
  bool connection_closed = false;
  for (std::size_t served = 0; served < limits_.keep_alive_max && !connection_closed; ++served) {
    // A kept-alive connection may idle this long before its next request starts; a server
    // being stopped ends it at once (stop() waits for every worker).
    const bool pipelined = stream.has_buffered();
    if (served > 0 && !pipelined && !wait_for_request(sock))
      break;
    if (svr_sock_ == INVALID_SOCKET)
      break;
    const auto start = Clock::now();
    // A pipelined request is partly read already; the request deadline bounds it instead.
    const Head head = pipelined
                          ? Head::kComplete
                          : await_head(sock, limits_.max_head_bytes, start + limits_.head_deadline);
    if (head == Head::kTooLarge) {
      answer_and_close(sock, "431 Request Header Fields Too Large");
      break;
    }
    if (head == Head::kTooSlow) {
      answer_and_close(sock, "408 Request Timeout");
      break;
    }
    if (head == Head::kClosed)
      break;
    stream.begin(start + limits_.request_deadline, limits_.max_request_bytes);
    const bool last = served + 1 == limits_.keep_alive_max;
    if (!process_request(stream, last, connection_closed, nullptr))
      break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return true;
}

}  // namespace rr_emulator::detail
