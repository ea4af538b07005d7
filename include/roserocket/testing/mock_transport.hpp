#pragma once

/// @file
/// @brief `MockTransport`: records requests and replays queued responses, for users' own tests.
///
/// Header-only; link the CMake target `roserocket::testing`. The C++ namespace is
/// `roserocket::mock` (it was `roserocket::testing`, which collided with GoogleTest's
/// `::%testing` under `using namespace roserocket;`; the old name is an opt-in deprecated alias,
/// see the end of this header).
/// Example:
/// @code
/// auto mock = std::make_shared<roserocket::mock::MockTransport>();
/// mock->enqueue_json(200, {{"id", "c1"}, {"objectKey", "customer"}});
/// roserocket::ClientOptions options;
/// options.transport = mock;
/// options.token_provider = std::make_shared<roserocket::StaticTokenProvider>("test-token");
/// roserocket::Client client(options);
/// client.objects().get("c1");
/// EXPECT_EQ(mock->requests().at(0).url,
///           "https://network.roserocket.com/api/v2/platformModel/objects/c1");
/// @endcode

#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/errors.hpp"
#include "roserocket/http/transport.hpp"

namespace roserocket::mock {

/// @brief An `HttpTransport` that answers from a queue and remembers every request.
///
/// Thread-safe. When the queue is empty, `send` answers with the fallback handler if one is set,
/// and otherwise throws `TransportError` (so a test that sends more than it expects fails loudly).
class MockTransport : public HttpTransport {
 public:
  /// @brief Computes an answer from the request it is given.
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  /// @brief Queues a raw response.
  void enqueue(HttpResponse response) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.emplace_back(std::move(response));
  }

  /// @brief Queues a response with a JSON body and `Content-Type: application/json`.
  void enqueue_json(int status, const nlohmann::json& body, Headers headers = {}) {
    headers.set("Content-Type", "application/json");
    enqueue(HttpResponse{status, std::move(headers), body.dump()});
  }

  /// @brief Queues an empty response (e.g. 204).
  void enqueue_empty(int status, Headers headers = {}) {
    enqueue(HttpResponse{status, std::move(headers), {}});
  }

  /// @brief Queues a thrown error, e.g. a `TransportError` to stand for a dropped connection.
  void enqueue_error(std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.emplace_back(std::move(error));
  }

  /// @brief Queues a response computed from the request when it arrives.
  void enqueue_handler(Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.emplace_back(std::move(handler));
  }

  /// @brief Answers every request once the queue is empty.
  void set_fallback(Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    fallback_ = std::move(handler);
  }

  /// @brief Records @p request, then answers with the next queued entry (or the fallback).
  /// @return the queued or computed response.
  /// @throw whatever a queued error holds; TransportError when nothing is queued and no
  /// fallback is set.
  HttpResponse send(const HttpRequest& request) override {
    Entry entry;
    Handler fallback;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
      if (queue_.empty()) {
        if (!fallback_) {
          throw TransportError("MockTransport: no response queued for " +
                                   std::string(to_string(request.method)) + " request",
                               {}, false);
        }
        fallback = fallback_;
      } else {
        entry = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    if (fallback)
      return fallback(request);
    if (auto* response = std::get_if<HttpResponse>(&entry))
      return std::move(*response);
    if (auto* handler = std::get_if<Handler>(&entry))
      return (*handler)(request);
    std::rethrow_exception(std::get<std::exception_ptr>(entry));
  }

  /// @brief A copy of every request sent so far, in order.
  [[nodiscard]] std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

  /// @brief The last request sent.
  /// @return a copy of the most recent request.
  /// @throw std::out_of_range (a `std::logic_error`: the test itself is wrong) when no request
  /// was sent yet.
  [[nodiscard]] HttpRequest last_request() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (requests_.empty()) {
      throw std::out_of_range(
          "MockTransport::last_request(): no request was sent through this transport yet");
    }
    return requests_.back();
  }

  /// @brief How many requests were sent.
  [[nodiscard]] std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }

  /// @brief How many queued answers are left.
  [[nodiscard]] std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
  }

 private:
  using Entry = std::variant<HttpResponse, std::exception_ptr, Handler>;
  mutable std::mutex mutex_;
  std::deque<Entry> queue_;
  std::vector<HttpRequest> requests_;
  Handler fallback_;
};

}  // namespace roserocket::mock

#if defined(ROSEROCKET_DEPRECATED_TESTING_NAMESPACE) || defined(DOXYGEN)
namespace roserocket::testing {
/// @brief Deprecated: the old name of `roserocket::mock::MockTransport`.
///
/// Declared only when `ROSEROCKET_DEPRECATED_TESTING_NAMESPACE` is defined before this header is
/// included: the namespace `roserocket::testing` makes `testing::` ambiguous with GoogleTest's
/// under `using namespace roserocket;`, so it is not there by default. To be removed in 1.0.
using MockTransport [[deprecated("use roserocket::mock::MockTransport")]] =
    ::roserocket::mock::MockTransport;
}  // namespace roserocket::testing
#endif
