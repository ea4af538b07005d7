#pragma once

/// @file
/// @brief Receives the OAuth redirect on 127.0.0.1, as installed applications do (RFC 8252 §7.3).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/errors.hpp"
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

  /// @brief Waits for the redirect, serving many local connections at once (each may send at
  /// most 16 KiB of request head within 10 s), so an idle connection cannot hold it up.
  /// Requests for other paths get 404, and redirects whose `state` is missing or not
  /// @p expected_state (even ones carrying `error=`) get 400; all of these are ignored.
  /// @param expected_state the `state` of the `AuthorizationRequest`.
  /// @param timeout how long to wait for a valid redirect.
  /// @return the code and state of the redirect that carried @p expected_state.
  /// @throw TimeoutError when nothing valid arrives within @p timeout; AuthError when the
  /// redirect with @p expected_state carries an OAuth error or lacks the code.
  [[nodiscard]] AuthorizationResponse wait(std::chrono::milliseconds timeout,
                                           const std::string& expected_state);

 private:
  // Answers one complete request; the response when it is the redirect, nothing to keep waiting.
  std::optional<AuthorizationResponse> handle(int fd, const std::string& head,
                                              const std::string& expected_state,
                                              ErrorContext& context) const;

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string path_;
};

}  // namespace roserocket
