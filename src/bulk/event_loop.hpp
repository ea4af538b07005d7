#pragma once

// Private: the threads that carry a bulk engine's calls, each one through the client's own
// CallAttempts (token, retries, error mapping). One loop thread owns every call from submit to
// finish: its queues, its retry timers, the concurrency limit and, over CurlTransport, every
// transfer on one libcurl multi handle. Worker threads do what may block: over curl an attempt's
// token and header list, over any other transport the whole HttpTransport::send.

#include <exception>
#include <functional>
#include <memory>

#include "roserocket/bulk.hpp"

namespace roserocket::detail {

// Called once per call: the response or the error, and how many requests were sent.
using CallDone = std::function<void(ApiResponse*, std::exception_ptr, int attempts)>;

class EventLoop {
 public:
  // Starts the threads.
  // @throw InvalidArgumentError when `options.max_in_flight` is less than 1; TransportError
  // when libcurl cannot make its multi handle.
  EventLoop(Client client, BulkOptions options);
  // Waits for every call still running, then stops the threads.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts @p request. @p done is called once, on one of the loop's threads; or at once on this
  // thread when the client refuses the request before anything is sent.
  void submit(ApiRequest request, CallDone done);

  // The client the calls go through.
  [[nodiscard]] const Client& client() const;
  // The counters since the loop started.
  [[nodiscard]] BulkStats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace roserocket::detail
