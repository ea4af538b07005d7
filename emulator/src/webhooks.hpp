#pragma once

// Webhook deliveries: after each API call, new record events that match a destination's
// subscriptions become envelopes POSTed to its URL by one background thread, with retries and
// backoff; a log of deliveries and delivery faults for tests. Thread-safe.
//
// Events delivered: "Order Status Changed" (the platform's documented event) and the emulator's
// own "Order Created".

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

#include "core.hpp"

namespace rr_emulator::detail {

/// @brief Turns record changes into deliveries and makes them. Thread-safe.
class WebhookDispatcher {
 public:
  explicit WebhookDispatcher(WebhookDeliveryOptions options);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  /// @brief Starts the delivery thread; events already in @p core's state are not delivered.
  /// Takes `core.mutex`.
  void start(Core& core);
  /// @brief Stops the delivery thread; pending deliveries are dropped. Idempotent.
  void stop();

  /// @brief Queues deliveries for the events added since the last call. Takes `core.mutex`;
  /// never throws and never waits for a delivery.
  void after_change(Core& core) noexcept;

  void add_fault(const DeliveryFault& fault);
  void clear_faults();
  [[nodiscard]] std::vector<WebhookDelivery> deliveries() const;
  /// @brief Forgets deliveries, faults and what was seen (after the state was emptied).
  void reset();

 private:
  struct Pending {
    std::size_t log_index = 0;
    std::chrono::steady_clock::time_point due;
  };
  void queue(WebhookDelivery delivery, std::chrono::milliseconds delay);
  void run();
  int post(const WebhookDelivery& delivery) const;

  WebhookDeliveryOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::vector<WebhookDelivery> log_;
  std::deque<Pending> pending_;
  std::deque<DeliveryFault> faults_;
  // Set by reset(); after_change then starts over at the first event.
  std::atomic<bool> state_reset_{false};
  // Guarded by the core's mutex (only after_change and start touch them).
  std::size_t events_seen_ = 0;
  std::map<std::string, nlohmann::json> order_status_;
};

/// @brief GET /__emulator/webhooks, POST and DELETE /__emulator/webhooks/faults.
void install_webhook_routes(httplib::Server& server, WebhookDispatcher& webhooks);

}  // namespace rr_emulator::detail
