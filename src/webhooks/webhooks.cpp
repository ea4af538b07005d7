#include "roserocket/webhooks/webhooks.hpp"

#include <set>

#include "objects/request_util.hpp"
#include "roserocket/objects/boards.hpp"

namespace roserocket {
namespace {

constexpr const char* kDestination = "webhookDestination";
constexpr const char* kSubscription = "webhookSubscription";
constexpr const char* kSubscriptions = "subscriptions";

}  // namespace

Webhooks::Webhooks(Client client) : client_(std::move(client)) {}

model::WebhookDestination Webhooks::subscribe(const std::string& name, const std::string& url,
                                              const std::vector<std::string>& event_names,
                                              RequestOptions options) const {
  constexpr const char* kOp = "webhooks.subscribe";
  detail::require_non_empty(name, "name", kOp);
  detail::require_non_empty(url, "url", kOp);
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    detail::invalid(kOp, "the url must start with https:// or http://");
  if (event_names.empty())
    detail::invalid(kOp, "at least one event name is needed");
  std::set<std::string> distinct;
  Json subscriptions = Json::array();
  for (const auto& event_name : event_names) {
    detail::require_non_empty(event_name, "event name", kOp);
    if (!distinct.insert(event_name).second)
      detail::invalid(kOp, "event name '" + event_name + "' is listed twice");
    subscriptions.push_back({{"objectKey", kSubscription}, {"eventName", event_name}});
  }
  options.paths = {kSubscriptions};
  Json created = ObjectsApi(client_).create(
      kDestination, {{"name", name}, {"url", url}, {kSubscriptions, subscriptions}}, options);
  return model::WebhookDestination::from_json(std::move(created));
}

std::vector<model::WebhookDestination> Webhooks::list(RequestOptions options) const {
  std::vector<model::WebhookDestination> out;
  auto board = Boards(client_).first_for(kDestination, options);
  if (!board)
    return out;
  SearchRequest request;
  request.board_id = board->id;
  request.object_key = kDestination;
  request.limit = 1000;
  request.paths = {kSubscriptions};
  options.paths.clear();
  for (auto& found : ObjectsApi(client_).search(request, options).results)
    out.push_back(model::WebhookDestination::from_json(std::move(found)));
  return out;
}

void Webhooks::remove(const std::string& destination_id, const RequestOptions& options) const {
  constexpr const char* kOp = "webhooks.remove";
  detail::require_non_empty(destination_id, "destination id", kOp);
  ObjectsApi objects(client_);
  RequestOptions with_subscriptions = options;
  with_subscriptions.paths = {kSubscriptions};
  const auto destination =
      model::WebhookDestination::from_json(objects.get(destination_id, with_subscriptions));
  std::vector<std::string> subscription_ids;
  for (const auto& subscription : destination.subscriptions()) {
    if (auto id = subscription.id())
      subscription_ids.push_back(*id);
  }
  // The destination first: once it is gone nothing is delivered, whatever happens next.
  RequestOptions plain = options;
  plain.paths.clear();
  objects.remove(destination_id, plain);
  if (!subscription_ids.empty())
    objects.bulk_remove(kSubscription, subscription_ids, plain);
}

}  // namespace roserocket

namespace roserocket::model {

// `destination.subscriptions()` reads views now (ADR 0024); the copying reader the 1.0 library
// exported for it stays exported (ADR 0008).
template std::vector<WebhookSubscription> Record::get_many<WebhookSubscription>(
    std::string_view) const;

}  // namespace roserocket::model
