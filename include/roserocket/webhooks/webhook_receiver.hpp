#pragma once

/// @file
/// @brief `WebhookReceiver`: turns one HTTP request into the answer a webhook endpoint gives,
/// independent of any HTTP server.

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/http/headers.hpp"
#include "roserocket/webhooks/seen_event_store.hpp"
#include "roserocket/webhooks/webhook_event.hpp"

namespace roserocket {

/// @brief What to answer a delivery with: a status and a small JSON body.
struct WebhookResponse {
  /// 200 handled or duplicate; 400 malformed or oversized; 401 wrong or missing secret;
  /// 404 another path; 405 not a POST; 409 the same event is being handled right now;
  /// 415 a Content-Type other than JSON; 500 a handler failed; 503 the re-read failed.
  int status = 200;
  /// `{"status": "..."}`; never the request's body, a secret or an exception's text.
  std::string body;
  /// Always "application/json".
  std::string content_type = "application/json";
};

/// @brief How a `WebhookReceiver` checks, parses and dispatches deliveries.
struct WebhookReceiverOptions {
  /// The shared secret the endpoint's URL carries. Required; at least 16 characters.
  std::string secret;
  /// The endpoint's path, e.g. "/hooks/rose-rocket". The secret is accepted as one more path
  /// segment (`/hooks/rose-rocket/<secret>`) or as the query parameter `secret_parameter`
  /// (`/hooks/rose-rocket?token=<secret>`).
  std::string path = "/";
  /// Name of the query parameter that may carry the secret.
  std::string secret_parameter = "token";
  /// Body size and nesting limits.
  WebhookParseLimits limits;
  /// Remembers handled event ids; an `InMemorySeenEventStore` (24 h) when null.
  std::shared_ptr<SeenEventStore> seen_store;
  /// When set, the record is fetched by `refId` through this client before the handlers run
  /// (`WebhookEvent::current`), since a delivery may be older than the record.
  std::optional<Client> reread_client;
  /// Called (never concurrently with itself for one event) when a handler throws, so the
  /// application can log it; the receiver itself logs nothing. Exceptions it throws are ignored.
  std::function<void(const WebhookEvent&, std::exception_ptr)> on_handler_error;
};

/// @brief A webhook endpoint as a pure function of (method, target, headers, body).
///
/// `handle` checks the secret carried in the URL (in constant time over the whole secret, so a
/// wrong secret cannot be found byte by byte), refuses anything but a POST of a valid envelope
/// within the limits, drops an event id already handled, optionally re-reads the record, and
/// runs every handler registered for the event's type and object key. It never throws: every
/// outcome is a `WebhookResponse`. An event is marked as seen only after every handler returned,
/// so a handler that throws answers 500 and the platform's redelivery runs it again.
///
/// Plug it into any server: pass the request's method, its target (path and query as
/// received), headers and body, and send back the status and body.
///
/// Thread safety: every member may be called from any number of threads at once; two
/// deliveries of the same event at the same time run the handlers once (the second is answered
/// 409 so that the platform tries again later).
class ROSEROCKET_API WebhookReceiver {
 public:
  /// @brief A handler of one event; it may throw to ask for a redelivery.
  using Handler = std::function<void(const WebhookEvent&)>;

  /// @brief A receiver with @p options.
  /// @param options the secret, path, limits, store and re-read client.
  /// @throw InvalidArgumentError for a secret shorter than 16 characters or holding characters
  /// that cannot appear in a URL unencoded, or a path that does not start with '/'.
  explicit WebhookReceiver(WebhookReceiverOptions options);

  /// @brief Runs @p handler for events of @p event_type about records of @p object_key.
  /// @param event_type e.g. "Order Status Changed"; "*" for every type.
  /// @param object_key e.g. "order"; "*" for every object.
  /// @param handler called with the event (after the re-read, when configured).
  /// @throw InvalidArgumentError for an empty type, object key or handler.
  void on(std::string event_type, std::string object_key, Handler handler);

  /// @brief Answers one request.
  /// @param method the HTTP method, e.g. "POST".
  /// @param target the path and query as received, e.g. "/hooks/rr?token=...".
  /// @param headers the request's headers (Content-Type is checked when present).
  /// @param body the request's body.
  /// @return the status and body to answer with.
  WebhookResponse handle(std::string_view method, std::string_view target, const Headers& headers,
                         std::string_view body) noexcept;

 private:
  struct Route {
    std::string type;
    std::string object_key;
    Handler handler;
  };
  WebhookResponse dispatch(WebhookEvent& event);

  WebhookReceiverOptions options_;
  std::shared_mutex routes_mutex_;
  std::vector<Route> routes_;
  std::mutex in_flight_mutex_;
  std::set<std::string> in_flight_;
};

/// @brief Compares @p given with @p expected in time that depends only on `expected.size()`.
/// @return true when both are equal.
[[nodiscard]] ROSEROCKET_API bool constant_time_equals(std::string_view expected,
                                                       std::string_view given) noexcept;

}  // namespace roserocket
