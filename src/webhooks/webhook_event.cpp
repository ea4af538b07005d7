#include "roserocket/webhooks/webhook_event.hpp"

namespace roserocket {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxIdBytes = 256;

// Thrown from the parser callback to stop at the first container nested too deep.
struct TooDeep {};

[[noreturn]] void refuse(const std::string& why) {
  ErrorContext context;
  context.operation = "webhooks.parse";
  throw InvalidArgumentError(why, std::move(context));
}

std::string required_string(const Json& envelope, const char* key) {
  const auto it = envelope.find(key);
  if (it == envelope.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    refuse(std::string("the delivery has no ") + key + " (a non-empty string)");
  }
  return it->get<std::string>();
}

std::string optional_string(const Json& envelope, const char* key) {
  const auto it = envelope.find(key);
  return it != envelope.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

WebhookEvent WebhookEvent::from_json(const Json& envelope) {
  if (!envelope.is_object())
    refuse(std::string("a delivery must be a JSON object, not ") + envelope.type_name());
  WebhookEvent e;
  e.id = required_string(envelope, "id");
  if (e.id.size() > kMaxIdBytes)
    refuse("the delivery's id is longer than 256 bytes");
  for (const char c : e.id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      refuse("the delivery's id holds control characters");
  }
  e.type = required_string(envelope, "type");
  e.ref_id = required_string(envelope, "refId");
  e.object_key = required_string(envelope, "objectKey");
  e.owner_id = optional_string(envelope, "ownerId");
  e.org_id = optional_string(envelope, "orgId");
  e.created_at = optional_string(envelope, "createdAt");
  if (auto it = envelope.find("json"); it != envelope.end()) {
    if (!it->is_object() && !it->is_null())
      refuse("the delivery's json must be an object");
    if (it->is_object())
      e.json = *it;
  }
  e.raw = envelope;
  return e;
}

WebhookEvent WebhookEvent::parse(std::string_view body, const WebhookParseLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    refuse("the delivery's body is " + std::to_string(body.size()) + " bytes, over the limit of " +
           std::to_string(limits.max_body_bytes));
  }
  const int max_depth = limits.max_depth;
  Json::parser_callback_t depth_check = [max_depth](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= max_depth) {
      throw TooDeep{};
    }
    return true;
  };
  Json envelope;
  try {
    envelope = Json::parse(body.begin(), body.end(), depth_check, /*allow_exceptions=*/true);
  } catch (const TooDeep&) {
    refuse("the delivery's body is nested deeper than " + std::to_string(max_depth) + " levels");
  } catch (const Json::parse_error&) {
    refuse("the delivery's body is not JSON");
  }
  return from_json(envelope);
}

}  // namespace roserocket
