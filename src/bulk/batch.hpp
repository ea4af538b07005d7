#pragma once

// Private: the bookkeeping of one batch, on the thread that runs it. Owns the items' results (one
// per input, in input order), what each item's outcome becomes (value, error, attempts, not
// started), the count of what is done and failed, and the progress reports. The calls themselves
// go to whatever `submit` is given (the bulk engine's event loop).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "bulk/event_loop.hpp"
#include "roserocket/bulk.hpp"

namespace roserocket::detail {

// What one batch shares with its items' callbacks.
template <class T>
struct BatchState {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<ItemResult<T>> results;
  std::size_t done = 0;
  std::size_t failed = 0;
};

// @p item ended with @p error: kNotStarted when a cancellation came before any request was sent,
// else kFailed.
template <class T>
void fail_item(ItemResult<T>& item, std::exception_ptr error, int attempts) {
  item.attempts = attempts;
  item.error = error;
  item.status = ItemStatus::kFailed;
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError& e) {
    if (attempts == 0)
      item.status = ItemStatus::kNotStarted;
    item.error_message = e.what();
  } catch (const std::exception& e) {
    item.error_message = e.what();
  } catch (...) {
    item.error_message = "unknown error";
  }
}

// Runs @p n items: @p build(i) makes item i's request (its exception fails that item alone),
// @p read(response, request) turns a 2xx answer into the item's value.
template <class T, class Build, class Read>
std::vector<ItemResult<T>> run_items(const std::function<void(ApiRequest, CallDone)>& submit,
                                     std::size_t n, const BatchOptions& batch, Build build,
                                     Read read) {
  auto state = std::make_shared<BatchState<T>>();
  state->results.resize(n);
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    ApiRequest request;
    try {
      request = build(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(state->mutex);
      fail_item(state->results[i], std::current_exception(), 0);
      ++state->done;
      ++state->failed;
      continue;
    }
    request.cancellation = batch.cancellation;
    request.metadata = nullptr;
    // What read() needs to name the call in an error, without the body.
    ApiRequest named;
    named.operation = request.operation;
    named.method = request.method;
    named.path = request.path;
    submit(std::move(request), [state, i, named = std::move(named), read](
                                   ApiResponse* response, std::exception_ptr error, int attempts) {
      ItemResult<T> item;
      if (response != nullptr) {
        try {
          item.value.emplace(read(std::move(*response), named));
          item.status = ItemStatus::kSucceeded;
          item.attempts = attempts;
        } catch (...) {
          fail_item(item, std::current_exception(), attempts);
        }
      } else {
        fail_item(item, std::move(error), attempts);
      }
      std::lock_guard<std::mutex> lock(state->mutex);
      if (!item.ok())
        ++state->failed;
      state->results[i] = std::move(item);
      ++state->done;
      state->cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(state->mutex);
  std::size_t reported = static_cast<std::size_t>(-1);
  while (true) {
    const bool finished = state->done == n;
    if (batch.progress && state->done != reported) {
      reported = state->done;
      BulkProgress p;
      p.done = state->done;
      p.total = n;
      p.failed = state->failed;
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      p.rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0.0;
      lock.unlock();
      batch.progress(p);
      lock.lock();
    }
    if (finished)
      break;
    state->cv.wait_for(lock, std::chrono::milliseconds(100));
  }
  return std::move(state->results);
}

}  // namespace roserocket::detail
