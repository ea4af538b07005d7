#pragma once

/// @file
/// @brief `HttpTransport` over libcurl.

#include <chrono>
#include <memory>
#include <string>

#include "roserocket/export.hpp"
#include "roserocket/http/transport.hpp"

namespace roserocket {

/// @brief Settings of the libcurl transport. Defaults are safe: TLS peer and host verification on.
struct ROSEROCKET_API CurlTransportOptions {
  /// Limit on establishing a connection (TCP + TLS).
  std::chrono::milliseconds connect_timeout{10000};
  /// Limit on one whole attempt when a request names none.
  std::chrono::milliseconds request_timeout{30000};
  /// Verify the server's certificate chain and host name. Turn off only for a test server.
  bool verify_peer = true;
  /// CA bundle file (PEM) instead of the system default; empty for the default.
  std::string ca_file;
  /// Directory of CA certificates instead of the system default; empty for the default.
  std::string ca_path;
  /// Proxy URL such as "http://proxy:3128"; empty uses libcurl's environment defaults
  /// (`https_proxy`, `no_proxy`, ...).
  std::string proxy;
  /// "user:password" for the proxy; never logged.
  std::string proxy_credentials;
  /// Hosts that bypass the proxy, comma-separated ("localhost,127.0.0.1").
  std::string no_proxy;
  /// Send TCP keep-alive probes on idle connections.
  bool tcp_keepalive = true;
  /// Most idle connections (one per libcurl handle) kept for reuse across threads.
  std::size_t max_idle_handles = 16;
  /// User agent when a request carries none.
  std::string user_agent;
  /// Most bytes of one response (body plus header lines) kept in memory; a response that
  /// announces or sends more fails with `MalformedResponseError` as soon as the limit is passed.
  /// The limit applies to the body as the SDK receives it (after any decoding), so a small
  /// compressed answer that decodes past it fails the same way.
  std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;
  /// Ask for compressed answers: `Accept-Encoding` lists every coding this libcurl decodes (gzip,
  /// deflate, and br or zstd where built in), and answers are decoded before the SDK sees them.
  /// Off sends no `Accept-Encoding` (the server then answers uncompressed).
  bool accept_compressed = true;
};

/// @brief Sends requests with libcurl; keeps connections alive for reuse.
///
/// Thread safety: `send` may be called from any number of threads at once. Each call borrows a
/// libcurl easy handle from a small pool (each handle keeps its own connection), so sequential
/// requests from one thread reuse one TCP/TLS connection. libcurl's global initialisation happens
/// once, inside, on first construction.
///
/// Failures throw `TimeoutError` (a limit ran out) or `TransportError`; a response larger than
/// `max_response_bytes` throws `MalformedResponseError` naming the limit;
/// `request_may_have_been_sent()` is false only when the request never reached a connection.
/// libcurl's silent re-send after a reused connection died is stopped for POST and PATCH, which
/// may create records. See docs/transport.md.
class ROSEROCKET_API CurlTransport final : public HttpTransport {
 public:
  /// @brief A transport with its own connection pool.
  /// @param options timeouts, TLS and proxy settings.
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// @copydoc HttpTransport::send
  HttpResponse send(const HttpRequest& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roserocket
