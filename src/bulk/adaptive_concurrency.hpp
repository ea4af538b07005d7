#pragma once

// Private: how many calls the bulk engine may have in flight, and when it may start none. Owns
// the AIMD limit (halved on 429 and 503 at most once a second, one more per window of 2xx
// answers) and the shared pause a Retry-After asks for. Only the event loop's thread uses it.

#include <chrono>

namespace roserocket::detail {

class AdaptiveConcurrency {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts at @p max_in_flight and never goes above it; with @p adaptive false it stays there.
  AdaptiveConcurrency(int max_in_flight, bool adaptive);

  // An attempt ended at @p now with HTTP @p status (0 when no answer came).
  void on_status(int status, Clock::time_point now);

  // A server asked the calls to wait until @p until (Retry-After). Returns whether that moved
  // the end of the pause, that is whether the engine now waits longer than it did.
  bool extend_pause(Clock::time_point until);

  // Calls that may be in flight now.
  [[nodiscard]] int limit() const { return static_cast<int>(limit_); }
  // Whether a Retry-After pause holds at @p now; it ends at pause_end().
  [[nodiscard]] bool paused(Clock::time_point now) const { return now < pause_end_; }
  [[nodiscard]] Clock::time_point pause_end() const { return pause_end_; }

 private:
  int max_in_flight_;
  bool adaptive_;
  double limit_;
  int window_ = 0;  // 2xx answers since the limit last grew
  Clock::time_point last_decrease_{};
  Clock::time_point pause_end_{};
};

}  // namespace roserocket::detail
