// The bulk engine's concurrency controller: AIMD over the answers the calls get, and the pause
// a Retry-After puts on every call (see adaptive_concurrency.hpp).

#include "bulk/adaptive_concurrency.hpp"

#include <algorithm>

namespace roserocket::detail {
namespace {

bool is_throttle(int status) {
  return status == 429 || status == 503;
}

}  // namespace

AdaptiveConcurrency::AdaptiveConcurrency(int max_in_flight, bool adaptive)
    : max_in_flight_(max_in_flight), adaptive_(adaptive), limit_(max_in_flight) {}

void AdaptiveConcurrency::on_status(int status, Clock::time_point now) {
  if (is_throttle(status)) {
    if (adaptive_ && now - last_decrease_ > std::chrono::milliseconds(1000)) {
      limit_ = std::max(1.0, limit_ / 2);
      window_ = 0;
      last_decrease_ = now;
    }
  } else if (status >= 200 && status < 300 && adaptive_ && limit_ < max_in_flight_) {
    if (++window_ >= static_cast<int>(limit_)) {
      limit_ += 1;
      window_ = 0;
    }
  }
}

bool AdaptiveConcurrency::extend_pause(Clock::time_point until) {
  if (until <= pause_end_)
    return false;
  pause_end_ = until;
  return true;
}

}  // namespace roserocket::detail
