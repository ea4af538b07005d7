#pragma once

/// @file
/// @brief `CancellationSource` and `CancellationToken`: stop a call from another thread, or once
/// a deadline has passed (`cancel_after`: the deadline of a whole walk or a whole job).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

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

  /// @brief Whether `cancel()` was called on the source, or its `cancel_after` deadline passed.
  [[nodiscard]] bool is_cancelled() const noexcept;

  /// @brief Whether the token is cancelled because the source's `cancel_after` deadline passed
  /// (false when `cancel()` came first). A call holding such a token throws
  /// `DeadlineExceededError`, not `CancelledError`.
  [[nodiscard]] bool deadline_exceeded() const noexcept;

  /// @brief The time left until the source's `cancel_after` deadline: empty when there is none,
  /// zero once it has passed. A call cuts each attempt's timeout to it.
  [[nodiscard]] std::optional<std::chrono::milliseconds> time_left() const noexcept;

  /// @brief Whether this token belongs to a source (false for a default-constructed one).
  [[nodiscard]] bool can_be_cancelled() const noexcept { return state_ != nullptr; }

  /// @brief Waits up to @p duration, returning early when the source is cancelled (or its
  /// deadline passes).
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

  /// @brief Gives every call holding a token of this source a common deadline, @p delay from
  /// now (the steady clock): once it has passed the tokens count as cancelled, an attempt in
  /// flight ends (each attempt's timeout is cut to the time left), no new attempt or backoff
  /// starts, and the call throws `DeadlineExceededError`. Pass the token to every page of a
  /// walk (`RequestOptions::cancellation`) to bound the whole walk, which `RequestOptions::
  /// deadline` (one call) cannot. A later call replaces the deadline; one that already passed
  /// stays passed. No thread or timer is started: the tokens compare the time when asked.
  void cancel_after(std::chrono::milliseconds delay);

  /// @brief As `cancel_after(delay)`, with the time read from @p now (a test's clock, e.g. the
  /// `steady_now` of the `Clock` the client uses), so that tests need no real waiting.
  void cancel_after(std::chrono::milliseconds delay,
                    std::function<std::chrono::steady_clock::time_point()> now);

  /// @brief Whether `cancel()` was called or the `cancel_after` deadline passed.
  [[nodiscard]] bool is_cancelled() const noexcept;

 private:
  std::shared_ptr<detail::CancellationState> state_;
};

}  // namespace roserocket
