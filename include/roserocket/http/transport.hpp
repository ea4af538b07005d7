#pragma once

/// @file
/// @brief The one seam between the SDK and the network: `HttpTransport::send`.

#include <chrono>
#include <string>
#include <string_view>

#include "roserocket/cancellation.hpp"
#include "roserocket/export.hpp"
#include "roserocket/http/headers.hpp"

namespace roserocket {

/// @brief HTTP request methods the platform API uses.
enum class HttpMethod { kGet, kPost, kPut, kPatch, kDelete };

/// @brief "GET", "POST", ...
[[nodiscard]] ROSEROCKET_API std::string_view to_string(HttpMethod method) noexcept;

/// @brief One HTTP request, fully formed: absolute URL, headers and body.
struct ROSEROCKET_API HttpRequest {
  /// HTTP method.
  HttpMethod method = HttpMethod::kGet;
  /// Absolute URL including the query string.
  std::string url;
  /// Request headers (the bearer token among them: never log them).
  Headers headers;
  /// Raw body; empty for none.
  std::string body;
  /// Limit for this attempt, from connect to last byte; zero means the transport's default.
  std::chrono::milliseconds timeout{0};
  /// When cancelled, a transport aborts the transfer as soon as it can (`CurlTransport`: within
  /// about 100 ms) and throws `CancelledError`. A default token is never cancelled.
  CancellationToken cancellation;
};

/// @brief One HTTP response as received.
struct ROSEROCKET_API HttpResponse {
  /// HTTP status.
  int status = 0;
  /// Response headers.
  Headers headers;
  /// Response body, as received.
  std::string body;
};

/// @brief Sends HTTP requests. Implementations must be safe to call from many threads at once.
///
/// Returns any response the server sent, whatever its status. Throws `TransportError` (or its
/// subclass `TimeoutError`) when no complete response arrived; the error says whether the
/// request may have reached the server (see `TransportError::request_may_have_been_sent`).
/// Throws `CancelledError` when `HttpRequest::cancellation` was cancelled during the transfer.
class ROSEROCKET_API HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// @brief Sends @p request and waits for the whole response.
  /// @throw TransportError when no complete response arrived; CancelledError when cancelled.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace roserocket
