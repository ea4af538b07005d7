#pragma once

/// @file
/// @brief `Webhooks`: subscribe a destination to events in one call, list and remove them.

#include <string>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket {

/// @brief Webhook destinations and their subscriptions, over the `webhookDestination` and
/// `webhookSubscription` records. Cheap to copy; thread-safe as `Client` is.
class ROSEROCKET_API Webhooks {
 public:
  /// @brief Webhooks over @p client.
  explicit Webhooks(Client client);

  /// @brief Creates a destination with one subscription per event name, in one request
  /// (`POST /objects` with the subscriptions nested). Not retried once it may have arrived.
  /// @param name a name for the destination.
  /// @param url where deliveries are POSTed; put a secret in it (see `WebhookReceiver`).
  /// @param event_names e.g. {"Order Status Changed"}.
  /// @param options per-call options (`paths` is set to "subscriptions").
  /// @return the destination as created, its subscriptions included.
  /// @throw InvalidArgumentError for an empty name, url, list or event name, a url that is not
  /// http(s)://, or a repeated event name; the API's errors otherwise.
  model::WebhookDestination subscribe(const std::string& name, const std::string& url,
                                      const std::vector<std::string>& event_names,
                                      RequestOptions options = {}) const;

  /// @brief Every destination with its subscriptions (a search on the destinations' board).
  /// @param options per-call options (`paths` is set to "subscriptions").
  /// @return the destinations, at most 1000.
  /// @throw NotFoundError when the account has no board of webhook destinations; the API's
  /// errors otherwise.
  [[nodiscard]] std::vector<model::WebhookDestination> list(RequestOptions options = {}) const;

  /// @brief Deletes the destination @p destination_id and its subscriptions, so nothing is
  /// delivered to it any more.
  /// @param destination_id the destination's id.
  /// @param options per-call options.
  /// @throw InvalidArgumentError for an empty id; NotFoundError when there is no such destination.
  void remove(const std::string& destination_id, const RequestOptions& options = {}) const;

 private:
  Client client_;
};

}  // namespace roserocket
