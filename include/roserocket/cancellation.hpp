#pragma once

/// @file
/// @brief `CancellationSource` and `CancellationToken`: stop a call from another thread.

#include <chrono>

#include <memory>

#include "roserocket/export.hpp"

namespace roserocket {

namespace detail {
struct CancellationState;
}  // namespace detail

/// @brief The read side of a cancellation: given to a call in `RequestOptions::cancellation`.
///
/// A default-constructed token can never be cancelled. Copies share one state.
/// Thread safety: every member may be called from any thread at once.
class ROSEROCKET_API CancellationToken {
 public:
  /// @brief A token that is never cancelled.
  CancellationToken() = default;

  /// @brief Whether `cancel()` was called on the source.
  [[nodiscard]] bool is_cancelled() const noexcept;

  /// @brief Whether this token belongs to a source (false for a default-constructed one).
  [[nodiscard]] bool can_be_cancelled() const noexcept { return state_ != nullptr; }

  /// @brief Waits up to @p duration, returning early when the source is cancelled.
  /// @return true if cancelled (before or during the wait), false if the time ran out.
  bool wait_for(std::chrono::milliseconds duration) const;

 private:
  friend class CancellationSource;
  explicit CancellationToken(std::shared_ptr<detail::CancellationState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<detail::CancellationState> state_;
};

/// @brief The write side: `cancel()` aborts every call that holds one of its tokens.
///
/// A call that is cancelled throws `CancelledError`: an attempt in flight is aborted within
/// about 100 ms (libcurl's progress callback), a backoff wait ends at once, and no further
/// attempt starts. Cancelling is final. Copies share one state.
/// Thread safety: every member may be called from any thread at once.
class ROSEROCKET_API CancellationSource {
 public:
  /// @brief A fresh, uncancelled source.
  CancellationSource();

  /// @brief A token to pass to calls.
  [[nodiscard]] CancellationToken token() const { return CancellationToken(state_); }

  /// @brief Cancels every call holding a token of this source; idempotent.
  void cancel() noexcept;

  /// @brief Whether `cancel()` was called.
  [[nodiscard]] bool is_cancelled() const noexcept;

 private:
  std::shared_ptr<detail::CancellationState> state_;
};

}  // namespace roserocket
