#pragma once

/// @file
/// @brief When and how long a `Client` waits before sending a failed request again.

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include "roserocket/export.hpp"

#include "roserocket/cancellation.hpp"

namespace roserocket {

/// @brief Whether sending a request twice can do something twice.
///
/// The body has the last word: a write whose `json` holds a nested object without an `id` (a
/// nested record it creates, such as an order's new task) is treated as `kNonIdempotent`
/// whatever the request declares (docs/adr/0003-retries-and-idempotency.md).
enum class Idempotency {
  /// Reads and writes that set state (GET, PUT, DELETE, upsert by id or external id, search).
  kIdempotent,
  /// Creates (`POST /objects`, a PATCH upsert without id or external id, events, user groups):
  /// sent again only when the server certainly did not act on it.
  kNonIdempotent,
};

/// @brief Exponential backoff with jitter, bounded in attempts and in total time.
///
/// Retried: transport failures, 408, 429, 500, 502, 503, 504. A non-idempotent request is retried
/// only when it certainly never reached the server (connect failures) or the server refused it
/// before acting (408, 429, 503). `Retry-After` (seconds or HTTP-date) overrides the backoff, up to
/// `max_retry_after`; a longer one ends the retries.
struct ROSEROCKET_API RetryPolicy {
  /// Attempts in all, the first included; 1 disables retries.
  int max_attempts = 4;
  /// Backoff before the second attempt; doubles each time (`multiplier`), capped at `max_backoff`.
  std::chrono::milliseconds initial_backoff{250};
  /// Longest backoff between two attempts.
  std::chrono::milliseconds max_backoff{8000};
  /// Factor between successive backoffs.
  double multiplier = 2.0;
  /// Fraction of each backoff drawn at random (0 = none, 1 = "full jitter").
  double jitter = 0.5;
  /// No retry starts once this much time has passed since the first attempt.
  std::chrono::milliseconds max_total{60000};
  /// Longest `Retry-After` the client waits for.
  std::chrono::milliseconds max_retry_after{30000};

  /// @brief A policy that never retries.
  static RetryPolicy none() {
    RetryPolicy p;
    p.max_attempts = 1;
    return p;
  }
};

/// @brief Whether an HTTP status is worth another attempt under @p idempotency.
[[nodiscard]] ROSEROCKET_API bool is_retryable_status(int status, Idempotency idempotency) noexcept;

/// @brief Parses a `Retry-After` value: delta-seconds or an HTTP-date relative to @p now.
/// @return the wait, never negative; empty when the value is not understood. A value (number or
/// date) further ahead than 999,999,999 s is clamped to that: a long wait, never a wrapped one.
[[nodiscard]] ROSEROCKET_API std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// @brief The backoff before attempt @p attempt + 1 (attempt counts from 1), with jitter drawn
/// from @p unit_random, a number in [0, 1).
[[nodiscard]] ROSEROCKET_API std::chrono::milliseconds backoff_delay(const RetryPolicy& policy,
                                                                     int attempt,
                                                                     double unit_random) noexcept;

/// @brief Time as the client sees it; replace in tests so that retries run instantly.
///
/// A value type; the functions it holds are called from every thread that uses the client, so
/// they must be thread-safe.
struct ROSEROCKET_API Clock {
  /// Monotonic now, for backoffs and deadlines.
  std::function<std::chrono::steady_clock::time_point()> steady_now;
  /// Wall-clock now, for HTTP-date `Retry-After` and token expiry.
  std::function<std::chrono::system_clock::time_point()> system_now;
  /// Waits the whole duration (backoff of a call without a cancellation token).
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Waits up to the duration, or less when the token is cancelled; returns true when it was.
  /// Optional: when empty, the client calls `sleep` and checks the token afterwards (what test
  /// clocks that never really wait want).
  std::function<bool(std::chrono::milliseconds, const CancellationToken&)> interruptible_sleep;
  /// @brief Real time; `sleep` is `std::this_thread::sleep_for`, `interruptible_sleep` waits on
  /// the token's condition variable, so `CancellationSource::cancel()` wakes it at once.
  static Clock real();
};

}  // namespace roserocket
