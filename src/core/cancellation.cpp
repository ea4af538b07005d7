#include "roserocket/cancellation.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace roserocket {
namespace detail {

// The flag is read without the lock (progress callbacks poll it); the lock and condition
// variable wake waiters and guard the deadline. A passed deadline is latched into `cancelled`
// (with `by_deadline`) by the first check that sees it.
struct CancellationState {
  using TimePoint = std::chrono::steady_clock::time_point;

  std::atomic<bool> cancelled{false};
  std::atomic<bool> by_deadline{false};
  std::atomic<bool> has_deadline{false};
  std::mutex mutex;
  std::condition_variable changed;
  TimePoint deadline{};            // guarded by mutex
  std::function<TimePoint()> now;  // guarded by mutex; empty: the steady clock

  // Whether cancelled, latching a passed deadline. Never throws (a throwing clock counts as
  // "not yet").
  bool check() noexcept {
    if (cancelled.load(std::memory_order_acquire))
      return true;
    if (!has_deadline.load(std::memory_order_acquire))
      return false;
    bool passed = false;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (cancelled.load(std::memory_order_acquire))
        return true;
      try {
        passed = (now ? now() : std::chrono::steady_clock::now()) >= deadline;
      } catch (...) {
        passed = false;
      }
      if (passed) {
        by_deadline.store(true, std::memory_order_release);
        cancelled.store(true, std::memory_order_release);
      }
    }
    if (passed)
      changed.notify_all();
    return passed;
  }

  // Time left to the deadline (zero when passed), empty without one.
  std::optional<std::chrono::milliseconds> left() noexcept {
    if (!has_deadline.load(std::memory_order_acquire))
      return std::nullopt;
    if (check())
      return by_deadline.load(std::memory_order_acquire)
                 ? std::optional<std::chrono::milliseconds>(std::chrono::milliseconds(0))
                 : std::nullopt;
    std::lock_guard<std::mutex> lock(mutex);
    try {
      const auto remaining = deadline - (now ? now() : std::chrono::steady_clock::now());
      // Rounded up, so that a positive remainder never reads as "no time left".
      return std::max(std::chrono::milliseconds(1),
                      std::chrono::ceil<std::chrono::milliseconds>(remaining));
    } catch (...) {
      return std::nullopt;
    }
  }
};

}  // namespace detail

bool CancellationToken::is_cancelled() const noexcept {
  return state_ != nullptr && state_->check();
}

bool CancellationToken::deadline_exceeded() const noexcept {
  return state_ != nullptr && state_->check() &&
         state_->by_deadline.load(std::memory_order_acquire);
}

std::optional<std::chrono::milliseconds> CancellationToken::time_left() const noexcept {
  if (state_ == nullptr)
    return std::nullopt;
  return state_->left();
}

bool CancellationToken::wait_for(std::chrono::milliseconds duration) const {
  if (state_ == nullptr) {
    std::mutex mutex;
    std::condition_variable never;
    std::unique_lock<std::mutex> lock(mutex);
    never.wait_for(lock, duration, [] { return false; });
    return false;
  }
  // A deadline shortens the wait: the token is cancelled when it passes.
  if (const auto left = state_->left())
    duration = std::min(duration, *left);
  {
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->changed.wait_for(lock, duration,
                             [this] { return state_->cancelled.load(std::memory_order_acquire); });
  }
  return state_->check();
}

CancellationSource::CancellationSource() : state_(std::make_shared<detail::CancellationState>()) {}

void CancellationSource::cancel() noexcept {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->cancelled.store(true, std::memory_order_release);
  }
  state_->changed.notify_all();
}

bool CancellationSource::is_cancelled() const noexcept {
  return state_->check();
}

void CancellationSource::cancel_after(std::chrono::milliseconds delay) {
  cancel_after(delay, nullptr);
}

void CancellationSource::cancel_after(std::chrono::milliseconds delay,
                                      std::function<std::chrono::steady_clock::time_point()> now) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->cancelled.load(std::memory_order_acquire))
      return;  // final: a passed deadline or cancel() stays
    const auto start = now ? now() : std::chrono::steady_clock::now();
    state_->now = std::move(now);
    state_->deadline = start + delay;
    state_->has_deadline.store(true, std::memory_order_release);
  }
  state_->check();
}

}  // namespace roserocket
