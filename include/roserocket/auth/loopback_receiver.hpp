#pragma once

/// @file
/// @brief Receives the OAuth redirect on 127.0.0.1, as installed applications do (RFC 8252 §7.3).

#include <chrono>
#include <cstdint>
#include <string>

#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief A one-shot HTTP listener on 127.0.0.1 for `GET <path>?code=..&state=..`.
///
/// Listens from construction on; `redirect_uri()` is the URI to register and to pass to
/// `AuthorizationCodeFlow::begin`. `wait` answers the browser with a small HTML page.
/// Plain POSIX sockets: no HTTP library needed.
///
/// Thread safety: `redirect_uri()` and `port()` may be called from any thread; `wait` from one
/// thread at a time.
class ROSEROCKET_API LoopbackRedirectReceiver {
 public:
  /// @param port 0 picks any free port.
  /// @param path the callback path, starting with '/'.
  /// @throw TransportError when the port cannot be bound.
  explicit LoopbackRedirectReceiver(std::uint16_t port = 0, std::string path = "/callback");
  ~LoopbackRedirectReceiver();
  LoopbackRedirectReceiver(const LoopbackRedirectReceiver&) = delete;
  LoopbackRedirectReceiver& operator=(const LoopbackRedirectReceiver&) = delete;

  /// @brief "http://127.0.0.1:<port><path>".
  [[nodiscard]] std::string redirect_uri() const;
  /// @brief The bound port.
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

  /// @brief Waits for the redirect. Requests for other paths get 404 and are ignored.
  /// @param expected_state the `state` of the `AuthorizationRequest`.
  /// @param timeout how long to wait for a valid redirect.
  /// @throw TimeoutError when nothing valid arrives within @p timeout; AuthError when the
  /// redirect carries an OAuth error, lacks the code, or has another state ("state_mismatch").
  [[nodiscard]] AuthorizationResponse wait(std::chrono::milliseconds timeout,
                                           const std::string& expected_state);

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string path_;
};

}  // namespace roserocket
