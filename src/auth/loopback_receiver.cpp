#include "roserocket/auth/loopback_receiver.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "http/url.hpp"
#include "platform/platform.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

namespace platform = detail::platform;

constexpr const char* kOperation = "auth.loopback_redirect";
constexpr std::size_t kMaxRequestHead = 16 * 1024;   // per connection
constexpr std::size_t kMaxConnections = 32;          // open at once; the oldest is dropped
constexpr std::chrono::seconds kConnectionIdle{10};  // one connection's time to send its head

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void respond(int fd, int status, const char* reason, const std::string& title,
             const std::string& text) {
  const std::string body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" +
                           html_escape(title) + "</title></head><body><h1>" + html_escape(title) +
                           "</h1><p>" + html_escape(text) + "</p></body></html>\n";
  const std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                           "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                           std::to_string(body.size()) +
                           "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
  platform::send_all(fd, head + body);
}

// Closes the descriptor when the scope ends, however it ends.
struct FdCloser {
  int fd;
  ~FdCloser() { platform::close_socket(fd); }
};

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

// One browser (or other local) connection being read; the receiver serves many at once, so an
// idle or slow one never blocks the real redirect.
struct Pending {
  int fd = -1;
  std::string head;
  std::chrono::steady_clock::time_point since;
};

// Reads what @p c has for us now; true once its request head is complete (or cannot grow).
enum class ReadState { kMore, kComplete, kTooLarge, kClosed };

ReadState read_some(Pending& c) {
  switch (platform::receive_some(c.fd, c.head, kMaxRequestHead)) {
    case platform::Receive::kNothingYet:
      return ReadState::kMore;
    case platform::Receive::kClosed:
      return ReadState::kClosed;
    case platform::Receive::kData:
      break;
  }
  if (c.head.find("\r\n\r\n") != std::string::npos)
    return ReadState::kComplete;
  return c.head.size() >= kMaxRequestHead ? ReadState::kTooLarge : ReadState::kMore;
}

}  // namespace

LoopbackRedirectReceiver::LoopbackRedirectReceiver(std::uint16_t port, std::string path)
    : path_(std::move(path)) {
  if (path_.empty() || path_.front() != '/' || path_.find_first_of("?# ") != std::string::npos) {
    throw InvalidArgumentError(
        "LoopbackRedirectReceiver: the path must start with '/' and "
        "have no query, e.g. /callback");
  }
  ErrorContext context;
  context.operation = kOperation;
  std::string error;
  fd_ = platform::listen_loopback(port, port_, error);
  if (fd_ == platform::kNoSocket) {
    throw TransportError("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + error,
                         context, false);
  }
}

LoopbackRedirectReceiver::~LoopbackRedirectReceiver() {
  platform::close_socket(fd_);
}

std::string LoopbackRedirectReceiver::redirect_uri() const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_;
}

AuthorizationResponse LoopbackRedirectReceiver::wait(std::chrono::milliseconds timeout,
                                                     const std::string& expected_state) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  ErrorContext context;
  context.operation = kOperation;
  std::vector<Pending> pending;
  // Closes every connection still open when wait() ends, however it ends.
  struct CloseAll {
    std::vector<Pending>& list;
    ~CloseAll() {
      for (auto& c : list)
        platform::close_socket(c.fd);
    }
  } close_all{pending};

  while (true) {
    const int left = remaining_ms(deadline);
    if (left <= 0) {
      throw TimeoutError("no redirect arrived at " + redirect_uri() + " within " +
                             std::to_string(timeout.count()) + " ms",
                         context, false);
    }
    std::vector<platform::Socket> sockets{fd_};
    for (const auto& c : pending)
      sockets.push_back(c.fd);
    std::vector<bool> readable;
    std::string error;
    if (!platform::wait_readable(sockets, std::min(left, 1000), readable, error)) {
      throw TransportError("waiting for the redirect failed: " + error, context, false);
    }
    const auto now = std::chrono::steady_clock::now();
    std::vector<Pending> complete;
    // Reads every connection that has data; drops idle, closed and oversized ones.
    for (std::size_t i = pending.size(); i-- > 0;) {
      Pending& c = pending[i];
      ReadState state = ReadState::kMore;
      if (readable[i + 1])
        state = read_some(c);
      bool drop = false;
      if (state == ReadState::kComplete) {
        complete.push_back(c);
        drop = true;
      } else if (state == ReadState::kTooLarge) {
        respond(c.fd, 431, "Request Header Fields Too Large", "Bad request",
                "The request is too large.");
        platform::close_socket(c.fd);
        drop = true;
      } else if (state == ReadState::kClosed || now - c.since > kConnectionIdle) {
        platform::close_socket(c.fd);
        drop = true;
      }
      if (drop)
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (readable[0]) {
      const platform::Socket client = platform::accept_connection(fd_);
      if (client != platform::kNoSocket) {
        if (pending.size() >= kMaxConnections) {
          platform::close_socket(pending.front().fd);
          pending.erase(pending.begin());
        }
        pending.push_back(Pending{client, {}, now});
      }
    }
    // Oldest first; each one is answered, and all are closed when this scope ends.
    CloseAll close_complete{complete};
    for (auto it = complete.rbegin(); it != complete.rend(); ++it) {
      if (auto response = handle(it->fd, it->head, expected_state, context))
        return std::move(*response);
    }
  }
}

std::optional<AuthorizationResponse> LoopbackRedirectReceiver::handle(
    int fd, const std::string& head, const std::string& expected_state,
    ErrorContext& context) const {
  const auto line_end = head.find("\r\n");
  const std::string line = head.substr(0, line_end);
  const auto sp1 = line.find(' ');
  const auto sp2 = line.find(' ', sp1 == std::string::npos ? 0 : sp1 + 1);
  if (line_end == std::string::npos || sp1 == std::string::npos || sp2 == std::string::npos) {
    respond(fd, 400, "Bad Request", "Bad request", "This is not an HTTP request.");
    return std::nullopt;
  }
  const std::string method = line.substr(0, sp1);
  const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto question = target.find('?');
  const std::string path = target.substr(0, question);
  if (method != "GET" || path != path_) {
    // Browsers also ask for /favicon.ico and the like: answer and keep waiting.
    respond(fd, 404, "Not Found", "Not found", "Nothing here.");
    return std::nullopt;
  }
  std::string code;
  std::string state;
  std::string iss;
  std::string error;
  std::string description;
  if (question != std::string::npos) {
    for (auto& [key, value] : detail::parse_query(target.substr(question + 1))) {
      if (key == "code")
        code = std::move(value);
      if (key == "state")
        state = std::move(value);
      if (key == "iss")
        iss = std::move(value);
      if (key == "error")
        error = std::move(value);
      if (key == "error_description")
        description = std::move(value);
    }
  }
  // Only a redirect carrying this request's state can end the sign-in, for better or worse:
  // anything else (a stray local process, a stale tab, a forged link) is answered and ignored.
  if (state.empty() || state != expected_state) {
    respond(fd, 400, "Bad Request", "Sign-in failed",
            "The sign-in response does not belong to this application's request.");
    return std::nullopt;
  }
  if (!error.empty()) {
    respond(fd, 200, "OK", "Sign-in failed",
            "The authorization server answered " + error + ". You may close this window.");
    context.error_code = error;
    if (!description.empty())
      context.messages.push_back(description);
    throw AuthError("the authorization server refused the authorization", context);
  }
  if (code.empty()) {
    respond(fd, 400, "Bad Request", "Sign-in failed", "No authorization code arrived.");
    context.error_code = "invalid_response";
    throw AuthError("the redirect carries no authorization code", context);
  }
  respond(fd, 200, "OK", "Signed in", "You may close this window and return to the app.");
  return AuthorizationResponse{std::move(code), std::move(state), std::move(iss)};
}

}  // namespace roserocket
