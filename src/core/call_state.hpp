#pragma once

// Private: the "what next" of one API call, as a state machine that both Client::call (a loop
// that sleeps between attempts) and the bulk engine (an event loop with timers) drive. It
// prepares the HttpRequest once, hands out each attempt with a fresh token, and given an
// attempt's outcome decides: done, retry after a delay, refresh the token once, or fail with
// the mapped error. Logging and observer events are sent from here, never from the drivers.
//
// Not thread-safe: one thread at a time drives one CallAttempts (handing it between threads
// through a mutex-guarded queue is fine).

#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"
#include "roserocket/http/transport.hpp"
#include "roserocket/logging.hpp"

namespace roserocket::detail {

class ClientCore;

class CallAttempts {
 public:
  // What the driver does after an attempt: either the call is done (response) or another
  // attempt starts after `delay` (waited for only when `wait` is true; a 401 refresh does not
  // wait).
  struct Next {
    bool done = false;
    ApiResponse response;
    std::chrono::milliseconds delay{0};
    bool wait = false;
    // The delay came from the server's Retry-After (a 429 or 503 asked everyone to slow down).
    bool server_asked = false;
  };

  // Prepares the request; @p request must outlive this object.
  // @throw InvalidArgumentError when the body cannot be serialised.
  CallAttempts(const ClientCore& core, const ApiRequest& request);

  // Starts the next attempt: checks cancellation and the deadline, sets the attempt's timeout
  // and token, tells the observer and the logger. @throw CancelledError, DeadlineExceededError,
  // or what the token provider throws (AuthError).
  HttpRequest& begin_attempt();

  // The attempt ended with a response (any status). @throw the mapped error when the call fails.
  Next on_response(HttpResponse&& response);

  // The attempt ended with the transport's exception @p error (TransportError, TimeoutError,
  // CancelledError, or anything else, which is rethrown unchanged).
  // @throw the mapped error when the call fails.
  Next on_transport_error(const std::exception_ptr& error);

  // Waits @p delay with the client's clock, interruptibly when the call can be cancelled.
  // @return true when the call was cancelled before or during the wait.
  bool wait(std::chrono::milliseconds delay) const;

  // The error to throw when the call was cancelled while waiting for its next attempt.
  [[nodiscard]] CancelledError cancelled_during_backoff();
  // The same, or DeadlineExceededError when the token's cancel_after deadline is what ended it.
  [[nodiscard]] std::exception_ptr interrupted_backoff();

  // The status of the last response (0 before any, or after a transport failure).
  [[nodiscard]] int last_status() const noexcept { return last_status_; }
  // Attempts handed to the transport so far.
  [[nodiscard]] int attempts_sent() const noexcept { return sent_; }
  // Whether the last attempt may have reached the server.
  [[nodiscard]] bool maybe_sent() const noexcept { return last_maybe_sent_; }
  // The call as the layers above described it.
  [[nodiscard]] const ApiRequest& request() const noexcept { return request_; }

 private:
  std::chrono::milliseconds since_start() const;
  CancelledError cancelled(const std::string& when, bool maybe_sent);
  DeadlineExceededError deadline_exceeded(const std::string& why, bool maybe_sent);
  // The deadline of the cancellation token (CancellationSource::cancel_after) ran out.
  DeadlineExceededError token_deadline_exceeded(const std::string& why, bool maybe_sent);
  // Whether another attempt may start after @p delay (logs the decision); throws
  // DeadlineExceededError when the deadline leaves no time for it.
  bool may_retry(std::chrono::milliseconds delay, const std::string& why);

  const ClientCore& impl_;
  const ApiRequest& request_;  // outlives this object (the caller keeps it)
  const RetryPolicy& policy_;
  // The request's idempotency as its body makes it (objects/nested_writes.hpp).
  Idempotency idempotency_;
  ErrorContext context_;
  HttpRequest http_;
  RequestFields fields_;
  std::string token_;
  std::chrono::milliseconds per_attempt_{0};
  std::chrono::steady_clock::time_point started_;
  bool has_deadline_ = false;
  bool auth_retried_ = false;
  int attempt_ = 0;  // attempts the retry policy counts (a 401 refresh is not one)
  int sent_ = 0;     // attempts handed to the transport
  bool last_maybe_sent_ = false;
  int last_status_ = 0;
};

}  // namespace roserocket::detail
