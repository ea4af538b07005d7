#pragma once

// Pacing of the platform API: a fixed latency added to every /api request and a token-bucket
// rate limit (429 with Retry-After beyond it), as a busy real service behaves. Thread-safe.

#include <chrono>
#include <mutex>

namespace rr_emulator::detail {

class Pacing {
 public:
  Pacing(int latency_ms, double rate_limit_per_second);

  /// @brief Sets both; 0 turns each off. Rates below 0 are treated as 0.
  void set(int latency_ms, double rate_limit_per_second);
  [[nodiscard]] int latency_ms() const;
  [[nodiscard]] double rate_limit() const;

  /// @brief Takes one request from the bucket: 0 when it may run now, else the whole seconds
  /// (at least 1) after which a token will be there, for Retry-After.
  int admit();

 private:
  mutable std::mutex mutex_;
  int latency_ms_ = 0;
  double rate_ = 0;    // tokens per second; 0: no limit
  double tokens_ = 0;  // at most rate_ (one second's burst)
  std::chrono::steady_clock::time_point refilled_;
};

}  // namespace rr_emulator::detail
