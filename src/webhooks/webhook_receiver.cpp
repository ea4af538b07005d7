#include "roserocket/webhooks/webhook_receiver.hpp"

#include <algorithm>
#include <cctype>

#include "http/url.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket {
namespace {

constexpr std::size_t kMinSecretSize = 16;

WebhookResponse answer(int status, const char* what) {
  WebhookResponse r;
  r.status = status;
  r.body = nlohmann::json{{"status", what}}.dump();
  return r;
}

[[noreturn]] void invalid_delivery(const std::string& why) {
  ErrorContext context;
  context.operation = "webhooks.receiver";
  throw InvalidArgumentError(why, std::move(context));
}

bool url_safe(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
         c == '~';
}

// Query values are percent-decoded ('+' is a space); a bad escape stays as it is.
std::string decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      const int hi = detail::hex_digit_value(in[i + 1]);
      const int lo = detail::hex_digit_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i] == '+' ? ' ' : in[i]);
  }
  return out;
}

// The value of query parameter @p name in @p query ("a=1&b=2"), the first one wins.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string trimmed_path(std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  return path;
}

bool is_json_type(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  media.erase(std::remove_if(media.begin(), media.end(),
                             [](unsigned char c) { return std::isspace(c) != 0; }),
              media.end());
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media == "application/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

bool matches(const std::string& pattern, const std::string& value) {
  return pattern == "*" || pattern == value;
}

}  // namespace

bool constant_time_equals(std::string_view expected, std::string_view given) noexcept {
  // Every byte of the expected secret is compared whatever the given one holds, so the time
  // depends on the secret's length only, never on where the first difference is.
  volatile unsigned char diff = expected.size() == given.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(expected[i]) ^ g));
  }
  return diff == 0;
}

WebhookReceiver::WebhookReceiver(WebhookReceiverOptions options) : options_(std::move(options)) {
  if (options_.secret.size() < kMinSecretSize)
    invalid_delivery("the secret must be at least 16 characters long");
  if (!std::all_of(options_.secret.begin(), options_.secret.end(), url_safe)) {
    invalid_delivery("the secret may hold only letters, digits and - _ . ~ (it travels in a URL)");
  }
  if (options_.path.empty() || options_.path.front() != '/')
    invalid_delivery("the path must start with '/'");
  if (options_.path.find_first_of("?#") != std::string::npos)
    invalid_delivery("the path must not hold a query or fragment");
  if (options_.secret_parameter.empty())
    invalid_delivery("the secret's query parameter must have a name");
  if (options_.limits.max_depth < 1 || options_.limits.max_body_bytes == 0)
    invalid_delivery("the parse limits must be positive");
  options_.path = trimmed_path(options_.path);
  if (!options_.seen_store)
    options_.seen_store = std::make_shared<InMemorySeenEventStore>();
}

void WebhookReceiver::on(std::string event_type, std::string object_key, Handler handler) {
  if (event_type.empty() || object_key.empty())
    invalid_delivery("the event type and object key must not be empty (use \"*\" for any)");
  if (!handler)
    invalid_delivery("the handler must not be empty");
  std::unique_lock<std::shared_mutex> lock(routes_mutex_);
  routes_.push_back(Route{std::move(event_type), std::move(object_key), std::move(handler)});
}

WebhookResponse WebhookReceiver::handle(std::string_view method, std::string_view target,
                                        const Headers& headers, std::string_view body) noexcept {
  try {
    // 1. Which endpoint, and the secret it carries.
    const auto question = target.find('?');
    const std::string path = trimmed_path(std::string(target.substr(0, question)));
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    std::optional<std::string> given;
    const std::string& base = options_.path;
    const std::string prefix = base == "/" ? "/" : base + "/";
    if (path == base) {
      given = query_value(query, options_.secret_parameter);
    } else if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
               path.find('/', prefix.size()) == std::string::npos) {
      given = decode(std::string_view(path).substr(prefix.size()));
    } else {
      return answer(404, "not found");
    }
    // Always compared, even when no secret came, so both refusals take the same time.
    const bool secret_ok = constant_time_equals(options_.secret, given.value_or(std::string()));
    if (!secret_ok || !given)
      return answer(401, "unauthorized");
    if (method != "POST")
      return answer(405, "method not allowed");
    if (auto type = headers.get("Content-Type"); type && !is_json_type(*type))
      return answer(415, "unsupported media type");

    // 2. Parse within the limits.
    WebhookEvent event;
    try {
      event = WebhookEvent::parse(body, options_.limits);
    } catch (const InvalidArgumentError&) {
      return answer(400, "malformed delivery");
    }

    // 3. Drop a duplicate; claim the id so a concurrent redelivery waits for this one.
    {
      std::lock_guard<std::mutex> lock(in_flight_mutex_);
      if (in_flight_.count(event.id) != 0)
        return answer(409, "being handled");
      if (options_.seen_store->seen(event.id))
        return answer(200, "duplicate");
      in_flight_.insert(event.id);
    }
    WebhookResponse response;
    try {
      response = dispatch(event);
    } catch (...) {
      response = answer(500, "internal error");
    }
    std::lock_guard<std::mutex> lock(in_flight_mutex_);
    in_flight_.erase(event.id);
    return response;
  } catch (...) {
    return answer(500, "internal error");
  }
}

WebhookResponse WebhookReceiver::dispatch(WebhookEvent& event) {
  std::vector<Handler> handlers;
  {
    std::shared_lock<std::shared_mutex> lock(routes_mutex_);
    for (const auto& route : routes_) {
      if (matches(route.type, event.type) && matches(route.object_key, event.object_key))
        handlers.push_back(route.handler);
    }
  }
  if (!handlers.empty() && options_.reread_client) {
    try {
      event.current = ObjectsApi(*options_.reread_client).get(event.ref_id);
    } catch (const NotFoundError&) {
      event.record_deleted = true;
    } catch (const Error&) {
      return answer(503, "record could not be re-read");
    }
  }
  for (const auto& handler : handlers) {
    try {
      handler(event);
    } catch (...) {
      if (options_.on_handler_error) {
        try {
          options_.on_handler_error(event, std::current_exception());
        } catch (...) {
        }
      }
      return answer(500, "handler failed");
    }
  }
  try {
    options_.seen_store->mark_seen(event.id);
  } catch (...) {
    return answer(500, "could not record the event");
  }
  return answer(200, handlers.empty() ? "ignored" : "handled");
}

}  // namespace roserocket
