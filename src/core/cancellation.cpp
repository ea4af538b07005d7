#include "roserocket/cancellation.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace roserocket {
namespace detail {

// The flag is read without the lock (progress callbacks poll it); the lock and condition
// variable only wake waiters.
struct CancellationState {
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::condition_variable changed;
};

}  // namespace detail

bool CancellationToken::is_cancelled() const noexcept {
  return state_ != nullptr && state_->cancelled.load(std::memory_order_acquire);
}

bool CancellationToken::wait_for(std::chrono::milliseconds duration) const {
  if (state_ == nullptr) {
    std::mutex mutex;
    std::condition_variable never;
    std::unique_lock<std::mutex> lock(mutex);
    never.wait_for(lock, duration, [] { return false; });
    return false;
  }
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->changed.wait_for(
      lock, duration, [this] { return state_->cancelled.load(std::memory_order_acquire); });
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
  return state_->cancelled.load(std::memory_order_acquire);
}

}  // namespace roserocket
