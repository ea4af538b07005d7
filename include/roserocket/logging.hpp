#pragma once

/// @file
/// @brief The logger callback a `Client` reports to.

#include <functional>
#include <string>
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Severity of a log record.
enum class LogLevel { kDebug, kInfo, kWarning, kError };

/// @brief One log line. Never holds a token or secret: `Authorization` is shown as `Bearer ***`.
struct ROSEROCKET_API LogRecord {
  /// How important the message is.
  LogLevel level = LogLevel::kDebug;
  /// The message; never holds a token or secret.
  std::string message;
};

/// @brief Receives log records; may be called from any thread that uses the client.
using Logger = std::function<void(const LogRecord&)>;

/// @brief "debug", "info", "warning", "error".
ROSEROCKET_API const char* to_string(LogLevel level) noexcept;

}  // namespace roserocket
