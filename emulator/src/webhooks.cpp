#include "webhooks.hpp"

#include <algorithm>
#include <cmath>

#include "http_util.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

constexpr const char* kOrderStatusChanged = "Order Status Changed";
constexpr const char* kOrderCreated = "Order Created";  // the emulator's own

struct Target {
  std::string origin;  // "http://host:port"
  std::string path;    // path and query
};

// Only plain http to loopback: the emulator must never post to the network.
std::optional<Target> loopback_target(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    return std::nullopt;
  const auto slash = url.find('/', scheme.size());
  const std::string authority = url.substr(scheme.size(), slash - scheme.size());
  std::string host = authority;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  const bool loopback = host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
  if (!loopback)
    return std::nullopt;
  return Target{scheme + authority, slash == std::string::npos ? "/" : url.substr(slash)};
}

Json delivery_to_json(const WebhookDelivery& d) {
  return {{"eventId", d.event_id},
          {"type", d.event_type},
          {"refId", d.ref_id},
          {"destinationId", d.destination_id},
          {"url", d.url},
          {"attempts", d.attempts},
          {"lastStatus", d.last_status},
          {"state", d.state},
          {"duplicate", d.duplicate},
          {"body", Json::parse(d.body, nullptr, false)}};
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(WebhookDeliveryOptions options)
    : options_(std::move(options)) {}

WebhookDispatcher::~WebhookDispatcher() {
  stop();
}

void WebhookDispatcher::start(Core& core) {
  {
    std::lock_guard<std::mutex> lock(core.mutex);
    events_seen_ = core.state.events.size();
    order_status_.clear();
    for (const auto& [id, record] : core.state.records) {
      if (record.object_key == "order")
        order_status_[id] = record.fields.value("status", Json());
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable())
    return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable())
      return;
    stopping_ = true;
    pending_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void WebhookDispatcher::after_change(Core& core) noexcept {
  try {
    std::vector<WebhookDelivery> found;
    {
      std::lock_guard<std::mutex> lock(core.mutex);
      const auto& events = core.state.events;
      if (state_reset_.exchange(false) || events.size() < events_seen_) {
        events_seen_ = 0;  // the state was emptied
        order_status_.clear();
      }
      // The destinations, found once per call: after a bulk seed there are thousands of events
      // to go through, and looking for destinations among every record for each of them held
      // the state's lock for seconds.
      std::vector<const Record*> destinations;
      if (events_seen_ < events.size()) {
        for (const auto& [dest_id, dest] : core.state.records) {
          if (dest.object_key == "webhookDestination")
            destinations.push_back(&dest);
        }
      }
      for (; events_seen_ < events.size(); ++events_seen_) {
        const Json& ev = events[events_seen_].body;
        if (ev.value("objectKey", std::string()) != "order")
          continue;
        const std::string ref = ev.value("refId", std::string());
        auto rec = core.state.records.find(ref);
        if (rec == core.state.records.end())
          continue;
        const Json status = rec->second.fields.value("status", Json());
        const bool created = ev.value("type", std::string()) == "create";
        auto known = order_status_.find(ref);
        std::string type;
        if (created) {
          type = kOrderCreated;
        } else if (known == order_status_.end() || known->second != status) {
          type = kOrderStatusChanged;
        }
        order_status_[ref] = status;
        if (type.empty() || destinations.empty())
          continue;
        const Json envelope = {{"id", uuid_v4()},
                               {"type", type},
                               {"refId", ref},
                               {"ownerId", ev.value("ownerId", Json())},
                               {"orgId", ev.value("orgId", Json())},
                               {"objectKey", "order"},
                               {"createdAt", ev.value("createdAt", Json())},
                               {"json", rec->second.fields}};
        // Every destination with a subscription to this event.
        for (const Record* destination : destinations) {
          const Record& dest = *destination;
          const std::string& dest_id = dest.id;
          auto subs = dest.links.find("subscriptions");
          if (subs == dest.links.end())
            continue;
          const bool subscribed =
              std::any_of(subs->second.begin(), subs->second.end(), [&](const std::string& sid) {
                auto sub = core.state.records.find(sid);
                return sub != core.state.records.end() &&
                       sub->second.fields.value("eventName", Json()) == type;
              });
          if (!subscribed)
            continue;
          WebhookDelivery d;
          d.event_id = envelope["id"].get<std::string>();
          d.event_type = type;
          d.ref_id = ref;
          d.destination_id = dest_id;
          d.url = dest.fields.value("url", std::string());
          d.body = envelope.dump();
          found.push_back(std::move(d));
        }
      }
    }
    for (auto& d : found)
      queue(std::move(d), std::chrono::milliseconds(0));
  } catch (const std::exception&) {
    // A delivery that cannot be prepared is dropped; the API call it follows is unaffected.
  }
}

void WebhookDispatcher::queue(WebhookDelivery delivery, std::chrono::milliseconds delay) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    bool duplicate = false;
    if (!faults_.empty()) {
      DeliveryFault& fault = faults_.front();
      if (fault.kind == DeliveryFaultKind::kDuplicate)
        duplicate = true;
      else
        delay += std::chrono::milliseconds(fault.delay_ms);
      if (--fault.count <= 0)
        faults_.pop_front();
    }
    const auto now = std::chrono::steady_clock::now();
    log_.push_back(delivery);
    pending_.push_back(Pending{log_.size() - 1, now + delay});
    if (duplicate) {
      delivery.duplicate = true;
      log_.push_back(std::move(delivery));
      pending_.push_back(Pending{log_.size() - 1, now + delay});
    }
  }
  cv_.notify_all();
}

void WebhookDispatcher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (pending_.empty()) {
      cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      continue;
    }
    // The earliest due delivery; queue order breaks ties, so deliveries keep their order.
    auto next = std::min_element(pending_.begin(), pending_.end(),
                                 [](const Pending& a, const Pending& b) { return a.due < b.due; });
    if (next->due > std::chrono::steady_clock::now()) {
      const auto due = next->due;
      cv_.wait_until(lock, due);
      continue;
    }
    const Pending item = *next;
    pending_.erase(next);
    const WebhookDelivery copy = log_[item.log_index];
    lock.unlock();
    const int status = post(copy);
    lock.lock();
    if (stopping_)
      break;
    if (item.log_index >= log_.size() || log_[item.log_index].event_id != copy.event_id)
      continue;  // the log was reset meanwhile
    WebhookDelivery& d = log_[item.log_index];
    ++d.attempts;
    d.last_status = status;
    if (status >= 200 && status < 300) {
      d.state = "delivered";
    } else if (status < 0 || d.attempts >= options_.max_attempts) {
      d.state = "failed";
    } else {
      const double wait = static_cast<double>(options_.initial_backoff.count()) *
                          std::pow(options_.backoff_multiplier, d.attempts - 1);
      pending_.push_back(
          Pending{item.log_index, std::chrono::steady_clock::now() +
                                      std::chrono::milliseconds(static_cast<long long>(wait))});
    }
  }
}

// The status of one attempt; 0 without an HTTP answer, -1 for a URL it must not post to.
int WebhookDispatcher::post(const WebhookDelivery& delivery) const {
  const auto target = loopback_target(delivery.url);
  if (!target)
    return -1;
  httplib::Client client(target->origin);
  client.set_connection_timeout(options_.attempt_timeout);
  client.set_read_timeout(options_.attempt_timeout);
  client.set_write_timeout(options_.attempt_timeout);
  auto result = client.Post(target->path, delivery.body, "application/json");
  return result ? result->status : 0;
}

void WebhookDispatcher::add_fault(const DeliveryFault& fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(fault);
}

void WebhookDispatcher::clear_faults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

std::vector<WebhookDelivery> WebhookDispatcher::deliveries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

void WebhookDispatcher::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.clear();
  pending_.clear();
  faults_.clear();
  state_reset_ = true;
}

void install_webhook_routes(httplib::Server& server, WebhookDispatcher& webhooks) {
  server.Get("/__emulator/webhooks", [&webhooks](const httplib::Request&, httplib::Response& res) {
    Json list = Json::array();
    for (const auto& d : webhooks.deliveries())
      list.push_back(delivery_to_json(d));
    send_json(res, 200, {{"deliveries", list}});
  });
  server.Post("/__emulator/webhooks/faults",
              [&webhooks](const httplib::Request& req, httplib::Response& res) {
                try {
                  const Json body = parse_json_object(req);
                  DeliveryFault fault;
                  const std::string kind = body.value("kind", std::string("duplicate"));
                  std::vector<std::string> errors;
                  if (kind == "duplicate") {
                    fault.kind = DeliveryFaultKind::kDuplicate;
                  } else if (kind == "delay") {
                    fault.kind = DeliveryFaultKind::kDelay;
                  } else {
                    errors.emplace_back("kind must be one of: duplicate, delay");
                  }
                  fault.delay_ms = body.value("delayMs", 0);
                  fault.count = body.value("count", 1);
                  if (fault.count < 1)
                    errors.emplace_back("count must be at least 1");
                  if (fault.delay_ms < 0 || fault.delay_ms > 60000)
                    errors.emplace_back("delayMs must be 0 to 60000");
                  if (!errors.empty())
                    bad_request(errors);
                  webhooks.add_fault(fault);
                  send_json(res, 201, body);
                } catch (const ApiError& e) {
                  send_nest_error(res, e.status(), e.message());
                } catch (const Json::exception&) {
                  send_nest_error(res, 400, "A field of the request has the wrong type");
                }
              });
  server.Delete("/__emulator/webhooks/faults",
                [&webhooks](const httplib::Request&, httplib::Response& res) {
                  webhooks.clear_faults();
                  res.status = 204;
                });
}

}  // namespace rr_emulator::detail
