#pragma once

/// @file
/// @brief The SDK's one exception hierarchy, rooted in `roserocket::Error`.
///
/// ```
/// Error
/// ├── InvalidArgumentError        caught before any request (empty key, bad id, ...)
/// │   └── ReadOnlyFieldError      a write to a server-written or derived field
/// ├── TransportError              no complete response (refused, reset, TLS, ...)
/// │   └── TimeoutError
/// │       └── DeadlineExceededError   the call's overall deadline ran out (attempts included)
/// ├── CancelledError              the caller cancelled the call (CancellationSource::cancel)
/// ├── MalformedResponseError      a response the SDK cannot read (non-JSON, truncated)
/// ├── AuthError                   the token endpoint refused (OAuth error/error_description)
/// └── ApiError                    the API answered with a non-2xx status
///     ├── BadRequestError         400, 422
///     ├── UnauthorizedError       401
///     ├── ForbiddenError          403
///     ├── NotFoundError           404
///     ├── ConflictError           409
///     ├── RateLimitedError        429
///     └── ServerError             5xx
/// ```
///
/// No message built by the SDK ever contains a token, secret, code or code verifier.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace roserocket {

/// @brief Where a failure happened: what the SDK was doing and what the server said.
struct ErrorContext {
  /// SDK operation, e.g. "objects.get".
  std::string operation;
  /// HTTP method, e.g. "GET"; empty before any request was formed.
  std::string method;
  /// Request path without host or query, e.g. "/api/v2/platformModel/objects/<id>".
  std::string path;
  /// HTTP status; 0 when none was received.
  int status = 0;
  /// The server's message(s): NestJS `message` (string or list) or OAuth `error_description`.
  std::vector<std::string> messages;
  /// The server's short error name: NestJS `error` ("Bad Request") or OAuth `error`
  /// ("invalid_grant").
  std::string error_code;
  /// The request id header the server sent (x-request-id and similar), if any.
  std::string request_id;
};

/// @brief Base of every exception the SDK throws.
class Error : public std::runtime_error {
 public:
  Error(const std::string& summary, ErrorContext context);
  /// @brief The structured details behind `what()`.
  [[nodiscard]] const ErrorContext& context() const noexcept { return context_; }
  [[nodiscard]] const std::string& operation() const noexcept { return context_.operation; }
  [[nodiscard]] int status() const noexcept { return context_.status; }
  [[nodiscard]] const std::vector<std::string>& messages() const noexcept {
    return context_.messages;
  }
  [[nodiscard]] const std::string& request_id() const noexcept { return context_.request_id; }
  /// @brief The one-line summary, without the context `what()` adds.
  [[nodiscard]] const std::string& summary() const noexcept { return summary_; }

 private:
  std::string summary_;
  ErrorContext context_;
};

/// @brief Bad input caught before any request was sent.
class InvalidArgumentError : public Error {
 public:
  InvalidArgumentError(const std::string& summary, ErrorContext context = {});
};

/// @brief A write to a field the server writes or derives (`fullId`, `version`, `subTotal`, ...).
class ReadOnlyFieldError : public InvalidArgumentError {
 public:
  ReadOnlyFieldError(std::string object_key, std::string field, std::string reason);
  [[nodiscard]] const std::string& object_key() const noexcept { return object_key_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string object_key_;
  std::string field_;
  std::string reason_;
};

/// @brief No complete response arrived: connection refused, reset, TLS failure, ...
class TransportError : public Error {
 public:
  TransportError(const std::string& summary, ErrorContext context, bool request_may_have_been_sent);
  /// @brief False only when the request certainly never reached the server (e.g. connect refused),
  /// so that even a create may be sent again.
  [[nodiscard]] bool request_may_have_been_sent() const noexcept { return maybe_sent_; }

 private:
  bool maybe_sent_;
};

/// @brief The connect or per-attempt timeout ran out.
class TimeoutError : public TransportError {
 public:
  TimeoutError(const std::string& summary, ErrorContext context, bool request_may_have_been_sent);
};

/// @brief The overall deadline of a call (`RequestOptions::deadline`) ran out, during an attempt
/// or before the next one could start; `attempts()` says how many were made.
class DeadlineExceededError : public TimeoutError {
 public:
  /// @param attempts attempts sent before the deadline ran out (0 when none could start).
  DeadlineExceededError(const std::string& summary, ErrorContext context,
                        bool request_may_have_been_sent, int attempts);
  /// @brief How many attempts were sent.
  [[nodiscard]] int attempts() const noexcept { return attempts_; }

 private:
  int attempts_;
};

/// @brief The call was cancelled through its `CancellationToken`: an attempt in flight was
/// aborted or a backoff wait was cut short. `attempts()` says how many attempts were sent.
class CancelledError : public Error {
 public:
  /// @param attempts attempts sent before the cancellation (0 when none had started).
  /// @param request_may_have_been_sent whether the last attempt may have reached the server.
  CancelledError(const std::string& summary, ErrorContext context, int attempts,
                 bool request_may_have_been_sent);
  /// @brief How many attempts were sent.
  [[nodiscard]] int attempts() const noexcept { return attempts_; }
  /// @brief Whether the last attempt may have reached the server (so a create may exist).
  [[nodiscard]] bool request_may_have_been_sent() const noexcept { return maybe_sent_; }

 private:
  int attempts_;
  bool maybe_sent_;
};

/// @brief The server answered something the SDK cannot read: not JSON, truncated, wrong shape.
class MalformedResponseError : public Error {
 public:
  MalformedResponseError(const std::string& summary, ErrorContext context);
};

/// @brief The OAuth token endpoint refused or failed; `context().error_code` is the OAuth `error`.
class AuthError : public Error {
 public:
  AuthError(const std::string& summary, ErrorContext context);
  /// @brief The OAuth `error` value, e.g. "invalid_grant"; empty if none was sent.
  [[nodiscard]] const std::string& oauth_error() const noexcept { return context().error_code; }
};

/// @brief The API answered with a non-2xx status.
class ApiError : public Error {
 public:
  ApiError(const std::string& summary, ErrorContext context);
};

/// @brief 400 or 422: the server rejected the request's content.
class BadRequestError : public ApiError {
 public:
  using ApiError::ApiError;
};

/// @brief 401: missing, malformed or expired token (after one refresh and retry).
class UnauthorizedError : public ApiError {
 public:
  using ApiError::ApiError;
};

/// @brief 403: the token's user lacks the permission.
class ForbiddenError : public ApiError {
 public:
  using ApiError::ApiError;
};

/// @brief 404: no record (or route) with that id.
class NotFoundError : public ApiError {
 public:
  using ApiError::ApiError;
};

/// @brief 409: the write conflicts with the current state (e.g. a user group name in use).
class ConflictError : public ApiError {
 public:
  using ApiError::ApiError;
};

/// @brief 429: too many requests, after the retry policy gave up.
class RateLimitedError : public ApiError {
 public:
  RateLimitedError(const std::string& summary, ErrorContext context,
                   std::optional<std::chrono::milliseconds> retry_after);
  /// @brief The server's `Retry-After`, when it sent one.
  [[nodiscard]] std::optional<std::chrono::milliseconds> retry_after() const noexcept {
    return retry_after_;
  }

 private:
  std::optional<std::chrono::milliseconds> retry_after_;
};

/// @brief 5xx: the server failed, after the retry policy gave up.
class ServerError : public ApiError {
 public:
  using ApiError::ApiError;
};

/// @brief Throws the `ApiError` subclass that matches @p context.status (or `ApiError`).
/// @param retry_after the parsed `Retry-After`, kept on `RateLimitedError`.
[[noreturn]] void throw_api_error(ErrorContext context,
                                  std::optional<std::chrono::milliseconds> retry_after = {});

}  // namespace roserocket
