#pragma once

/// @file
/// @brief `WinHttpTransport`: the `HttpTransport` of Windows builds, on WinHTTP.
///
/// Declared on Windows only (`_WIN32`); on other platforms this header declares nothing and
/// `CurlTransport` is the transport. See docs/transport.md, "WinHttpTransport (Windows)", for
/// what differs from `CurlTransport`.

#if defined(_WIN32)

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "roserocket/export.hpp"
#include "roserocket/http/transport.hpp"

namespace roserocket {

/// @brief Settings of a `WinHttpTransport`; the defaults match `CurlTransportOptions`'.
struct ROSEROCKET_API WinHttpTransportOptions {
  /// Limit for resolving the name and connecting (WinHTTP's resolve and connect timeouts).
  std::chrono::milliseconds connect_timeout{10000};
  /// Default limit for sending the request and receiving the whole response, when
  /// `HttpRequest::timeout` is zero. Enforced as WinHTTP's send and receive timeouts plus a
  /// check between reads.
  std::chrono::milliseconds request_timeout{30000};
  /// Verify the server's certificate and name (on by default; off only for local tests).
  bool verify_peer = true;
  /// A proxy as "host:port" (WinHTTP's named-proxy form); empty means the system's settings:
  /// WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY on Windows 8.1 and later, else the default proxy.
  std::string proxy;
  /// Hosts that bypass `proxy` (WinHTTP's bypass list, e.g. "<local>;*.example.test").
  std::string no_proxy;
  /// User-Agent header when the request sets none; empty means "roserocket-cpp".
  std::string user_agent;
  /// Most decoded body bytes accepted; a larger response fails with MalformedResponseError.
  std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;
  /// Ask for gzip/deflate and let WinHTTP decode it (WINHTTP_OPTION_DECOMPRESSION).
  bool accept_compressed = true;
};

/// @brief An `HttpTransport` on WinHTTP: one session per transport (its connections are
/// reused across calls), one request handle per call.
///
/// Redirects are never followed (WINHTTP_OPTION_REDIRECT_POLICY never): the 3xx is returned,
/// as OAuth requires. Failures map as `CurlTransport`'s do: `TimeoutError`, `TransportError`
/// (with whether the request may have reached the server), `CancelledError` (the request handle
/// is closed within about 50 ms of the token's cancellation; Wine's WinHTTP ends the blocked
/// call only when the answer arrives), `MalformedResponseError` for a response over
/// `max_response_bytes`.
///
/// Thread safety: `send` may be called from many threads at once.
class ROSEROCKET_API WinHttpTransport final : public HttpTransport {
 public:
  /// @brief Opens the WinHTTP session. @throw InvalidArgumentError for unusable options;
  /// TransportError when WinHTTP cannot open a session.
  explicit WinHttpTransport(WinHttpTransportOptions options = {});
  ~WinHttpTransport() override;
  WinHttpTransport(const WinHttpTransport&) = delete;
  WinHttpTransport& operator=(const WinHttpTransport&) = delete;

  /// @brief Sends @p request and waits for the whole response.
  /// @throw TransportError, TimeoutError, CancelledError, MalformedResponseError.
  HttpResponse send(const HttpRequest& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roserocket

#endif  // _WIN32
