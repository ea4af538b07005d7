#pragma once

/// @file
/// @brief The logger callback and the request observer a `Client` reports to.

#include <chrono>
#include <functional>
#include <string>
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Severity of a log record.
enum class LogLevel { kDebug, kInfo, kWarning, kError };

/// @brief What a record or observer event says about one attempt of one API call. Never holds a
/// token, secret, query value or body. Empty/zero fields are unknown or not applicable.
struct ROSEROCKET_API RequestFields {
  /// SDK operation, e.g. "objects.search".
  std::string operation;
  /// HTTP method, e.g. "POST".
  std::string method;
  /// Request path without host or query, e.g. "/api/v2/platformModel/objects/search".
  std::string path;
  /// HTTP status of the answer; 0 before it or when none arrived.
  int status = 0;
  /// Attempt number, from 1; 0 for records that are not about one attempt.
  int attempt = 0;
  /// Time since the call started (its first attempt), backoff included.
  std::chrono::milliseconds elapsed{0};
  /// The server's request id header (`x-request-id`, ...), when it sent one.
  std::string request_id;
  /// Why the attempt failed, when it did: "transport", "timeout", "deadline_exceeded",
  /// "cancelled", "malformed_response", "bad_request", "unauthorized", "forbidden", "not_found",
  /// "conflict", "rate_limited", "server_error" or "api_error".
  std::string error_kind;
};

/// @brief One log line and its structured fields. Never holds a token or secret:
/// `Authorization` is shown as `Bearer ***`.
struct ROSEROCKET_API LogRecord {
  /// How important the message is.
  LogLevel level = LogLevel::kDebug;
  /// The message; never holds a token or secret.
  std::string message;
  /// The call and attempt the line is about (empty for lines that are not about a call).
  RequestFields request;
};

/// @brief Receives log records; may be called from any thread that uses the client.
using Logger = std::function<void(const LogRecord&)>;

/// @brief Whether an observer event marks the start or the end of an attempt.
enum class AttemptPhase {
  /// Just before the request is handed to the transport (`status` is 0).
  kStart,
  /// After the answer (or the failure) of the attempt; `status` and `error_kind` say which.
  kEnd,
};

/// @brief What `ClientOptions::observer` receives: once at the start and once at the end of
/// every attempt (retries and the 401 refresh included).
struct AttemptEvent {
  /// Start or end of the attempt.
  AttemptPhase phase = AttemptPhase::kStart;
  /// The call and attempt it is about.
  RequestFields request;
};

/// @brief Called at the start and end of every attempt, on the calling thread, synchronously:
/// keep it short. May be called from many threads at once. Hook metrics or traces here
/// (OpenTelemetry, Prometheus, ...) without the SDK depending on them. It must not throw.
using RequestObserver = std::function<void(const AttemptEvent&)>;

/// @brief "debug", "info", "warning", "error".
ROSEROCKET_API const char* to_string(LogLevel level) noexcept;

}  // namespace roserocket
