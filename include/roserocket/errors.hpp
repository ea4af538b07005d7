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
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Where a failure happened: what the SDK was doing and what the server said.
struct ROSEROCKET_API ErrorContext {
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
class ROSEROCKET_API Error : public std::runtime_error {
 public:
  /// @brief An error whose `what()` is @p summary followed by @p context.
  /// @param summary one line saying what went wrong; never holds a secret.
  /// @param context where it happened and what the server said.
  Error(const std::string& summary, ErrorContext context);
  /// @brief The structured details behind `what()`.
  [[nodiscard]] const ErrorContext& context() const noexcept { return context_; }
  /// @brief The SDK operation, e.g. "objects.get".
  [[nodiscard]] const std::string& operation() const noexcept { return context_.operation; }
  /// @brief The HTTP status; 0 when none was received.
  [[nodiscard]] int status() const noexcept { return context_.status; }
  /// @brief The server's messages.
  [[nodiscard]] const std::vector<std::string>& messages() const noexcept {
    return context_.messages;
  }
  /// @brief The server's request id, to quote to support; empty when none.
  [[nodiscard]] const std::string& request_id() const noexcept { return context_.request_id; }
  /// @brief The one-line summary, without the context `what()` adds.
  [[nodiscard]] const std::string& summary() const noexcept { return summary_; }

 private:
  std::string summary_;
  ErrorContext context_;
};

/// @brief Bad input caught before any request was sent.
class ROSEROCKET_API InvalidArgumentError : public Error {
 public:
  /// @brief @p summary says which input is wrong and why.
  /// @param summary what is wrong.
  /// @param context the operation, when known.
  InvalidArgumentError(const std::string& summary, ErrorContext context = {});
};

/// @brief A write to a field the server writes or derives (`fullId`, `version`, `subTotal`, ...).
class ROSEROCKET_API ReadOnlyFieldError : public InvalidArgumentError {
 public:
  /// @brief A refused write of @p field of @p object_key records.
  /// @param object_key the object, e.g. "invoice".
  /// @param field the wire name, e.g. "subTotal".
  /// @param reason why it is read-only (server-written, or derived from what).
  ReadOnlyFieldError(std::string object_key, std::string field, std::string reason);
  /// @brief The object whose field was written.
  [[nodiscard]] const std::string& object_key() const noexcept { return object_key_; }
  /// @brief The read-only field's wire name.
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// @brief Why the field is read-only.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string object_key_;
  std::string field_;
  std::string reason_;
};

/// @brief A connection read from a stored record that the record was read without: the get,
/// search or write did not name it in `paths`, so the server did not send it. Not the same as a
/// connection that holds no records (an empty list, or null), which reads as empty.
/// See docs/connected-objects.md; `Record::loaded` tests for it first.
class ROSEROCKET_API NotLoadedError : public InvalidArgumentError {
 public:
  /// @brief The connection @p connection of a record of @p object_key, not in the record.
  /// @param object_key the record's object, e.g. "order" (may be empty when unknown).
  /// @param connection the connection's wire name, e.g. "tasks".
  /// @param record_id the record's id, or "" when unknown.
  NotLoadedError(std::string object_key, std::string connection, const std::string& record_id);
  /// @brief The record's object, e.g. "order".
  [[nodiscard]] const std::string& object_key() const noexcept { return object_key_; }
  /// @brief The connection that was not loaded, e.g. "tasks": the `paths` entry to add.
  [[nodiscard]] const std::string& connection() const noexcept { return connection_; }

 private:
  std::string object_key_;
  std::string connection_;
};

/// @brief No complete response arrived: connection refused, reset, TLS failure, ...
class ROSEROCKET_API TransportError : public Error {
 public:
  /// @brief A failure with no complete response.
  /// @param summary what failed, e.g. "connection reset".
  /// @param context the operation and request.
  /// @param request_may_have_been_sent false only when the request certainly never left.
  TransportError(const std::string& summary, ErrorContext context, bool request_may_have_been_sent);
  /// @brief False only when the request certainly never reached the server (e.g. connect refused),
  /// so that even a create may be sent again.
  [[nodiscard]] bool request_may_have_been_sent() const noexcept { return maybe_sent_; }

 private:
  bool maybe_sent_;
};

/// @brief The connect or per-attempt timeout ran out.
class ROSEROCKET_API TimeoutError : public TransportError {
 public:
  /// @brief A timeout.
  /// @param summary which timeout ran out.
  /// @param context the operation and request.
  /// @param request_may_have_been_sent false when it ran out before connecting.
  TimeoutError(const std::string& summary, ErrorContext context, bool request_may_have_been_sent);
};

/// @brief The overall deadline of a call (`RequestOptions::deadline`) ran out, during an attempt
/// or before the next one could start; `attempts()` says how many were made.
class ROSEROCKET_API DeadlineExceededError : public TimeoutError {
 public:
  /// @brief The deadline ran out.
  /// @param summary what was happening when it ran out.
  /// @param context the operation and request.
  /// @param request_may_have_been_sent whether the last attempt may have reached the server.
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
class ROSEROCKET_API CancelledError : public Error {
 public:
  /// @brief The call was cancelled.
  /// @param summary when it was cancelled (before, during or between attempts).
  /// @param context the operation and request.
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
class ROSEROCKET_API MalformedResponseError : public Error {
 public:
  /// @brief @p summary says what could not be read.
  /// @param summary what is wrong with the answer.
  /// @param context the operation, request and status.
  MalformedResponseError(const std::string& summary, ErrorContext context);
};

/// @brief The OAuth token endpoint refused or failed; `context().error_code` is the OAuth `error`.
class ROSEROCKET_API AuthError : public Error {
 public:
  /// @brief A token endpoint failure.
  /// @param summary what failed.
  /// @param context the OAuth `error` (in `error_code`) and `error_description`.
  AuthError(const std::string& summary, ErrorContext context);
  /// @brief The OAuth `error` value, e.g. "invalid_grant"; empty if none was sent.
  [[nodiscard]] const std::string& oauth_error() const noexcept { return context().error_code; }
};

/// @brief The API answered with a non-2xx status.
class ROSEROCKET_API ApiError : public Error {
 public:
  /// @brief An error answer of the API.
  /// @param summary the status and operation.
  /// @param context the request, status and the server's messages.
  ApiError(const std::string& summary, ErrorContext context);
};

/// @brief 400 or 422: the server rejected the request's content.
class ROSEROCKET_API BadRequestError : public ApiError {
 public:
  /// @brief The constructor of `ApiError`.
  using ApiError::ApiError;
};

/// @brief 401: missing, malformed or expired token (after one refresh and retry).
class ROSEROCKET_API UnauthorizedError : public ApiError {
 public:
  /// @brief The constructor of `ApiError`.
  using ApiError::ApiError;
};

/// @brief 403: the token's user lacks the permission.
class ROSEROCKET_API ForbiddenError : public ApiError {
 public:
  /// @brief The constructor of `ApiError`.
  using ApiError::ApiError;
};

/// @brief 404: no record (or route) with that id.
class ROSEROCKET_API NotFoundError : public ApiError {
 public:
  /// @brief The constructor of `ApiError`.
  using ApiError::ApiError;
};

/// @brief 409: the write conflicts with the current state (e.g. a user group name in use).
class ROSEROCKET_API ConflictError : public ApiError {
 public:
  /// @brief The constructor of `ApiError`.
  using ApiError::ApiError;
};

/// @brief 429: too many requests, after the retry policy gave up.
class ROSEROCKET_API RateLimitedError : public ApiError {
 public:
  /// @brief A 429 answer.
  /// @param summary the status and operation.
  /// @param context the request, status and the server's messages.
  /// @param retry_after the server's `Retry-After`, when it sent one.
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
class ROSEROCKET_API ServerError : public ApiError {
 public:
  /// @brief The constructor of `ApiError`.
  using ApiError::ApiError;
};

/// @brief Throws the `ApiError` subclass that matches @p context.status (or `ApiError`).
/// @param retry_after the parsed `Retry-After`, kept on `RateLimitedError`.
/// @param context the failed request, with its status.
[[noreturn]] ROSEROCKET_API void throw_api_error(
    ErrorContext context, std::optional<std::chrono::milliseconds> retry_after = {});

}  // namespace roserocket
