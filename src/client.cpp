#include "roserocket/client.hpp"

#include <cctype>
#include <mutex>
#include <random>

#include "http/url.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/objects/events.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/objects/user_groups.hpp"
#include "roserocket/resources/resource.hpp"
#include "roserocket/version.hpp"
#include "roserocket/webhooks/webhooks.hpp"

namespace roserocket {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Splits "https://host:port[/]" into scheme and host; anything else is refused.
struct ParsedBase {
  std::string scheme;
  std::string host;
};

ParsedBase parse_base_url(const std::string& url) {
  const auto sep = url.find("://");
  if (sep == std::string::npos || sep == 0) {
    throw InvalidArgumentError("base_url '" + url + "' has no scheme; expected https://host");
  }
  ParsedBase out;
  out.scheme = url.substr(0, sep);
  for (auto& c : out.scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string rest = url.substr(sep + 3);
  while (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos) {
    throw InvalidArgumentError("base_url '" + url +
                               "' must be scheme and host only, such as "
                               "https://network.roserocket.com");
  }
  if (rest.front() == '[') {
    out.host = rest.substr(0, rest.find(']') + 1);
  } else {
    out.host = rest.substr(0, rest.find(':'));
  }
  return out;
}

std::string trim_trailing_slash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

const char* const kRequestIdHeaders[] = {"x-request-id", "request-id", "x-amzn-requestid",
                                         "x-correlation-id", "x-amz-cf-id"};

// Replaces every occurrence of @p secret in @p text; servers sometimes echo headers back.
std::string redact(std::string text, const std::string& secret) {
  if (secret.size() < 4)
    return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "***");
  }
  return text;
}

// Fills messages and error_code from a NestJS body {statusCode, message, error}; a body that is
// not JSON is quoted (shortened) as the one message.
void read_error_body(const std::string& body, const std::string& token, ErrorContext& context) {
  if (body.empty())
    return;
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::string snippet = body.substr(0, 200);
    for (auto& c : snippet) {
      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
    }
    context.messages.push_back(
        redact("(not JSON) " + snippet + (body.size() > 200 ? "..." : ""), token));
    return;
  }
  auto add = [&](const nlohmann::json& m) {
    if (m.is_string()) {
      context.messages.push_back(redact(m.get<std::string>(), token));
    } else if (!m.is_null()) {
      context.messages.push_back(redact(m.dump(), token));
    }
  };
  if (auto it = parsed.find("message"); it != parsed.end()) {
    if (it->is_array()) {
      for (const auto& m : *it)
        add(m);
    } else {
      add(*it);
    }
  }
  if (auto it = parsed.find("details"); it != parsed.end())
    add(*it);
  if (auto it = parsed.find("error"); it != parsed.end() && it->is_string()) {
    context.error_code = it->get<std::string>();
  }
}

std::string request_id_of(const Headers& headers) {
  for (const char* name : kRequestIdHeaders) {
    if (auto v = headers.get(name))
      return *v;
  }
  return {};
}

}  // namespace

std::string percent_encode(std::string_view value) {
  static const char kHex[] = "0123456789ABCDEF";
  // Ids are usually all unreserved (uuids): copy those in one go instead of byte by byte.
  std::size_t plain = 0;
  while (plain < value.size() && is_unreserved(static_cast<unsigned char>(value[plain])))
    ++plain;
  std::string out(value.substr(0, plain));
  if (plain == value.size())
    return out;
  out.reserve(value.size() + 16);
  for (unsigned char c : value.substr(plain)) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

struct Client::Impl {
  ClientOptions options;
  std::string url_prefix;  // base_url + api_prefix
  std::string user_agent;
  mutable std::mutex rng_mutex;
  mutable std::mt19937_64 rng;

  double unit_random() const {
    std::lock_guard<std::mutex> lock(rng_mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }

  void log(LogLevel level, const std::string& message) const {
    if (options.logger)
      options.logger(LogRecord{level, message});
  }
};

Client::Client(ClientOptions options) {
  auto impl = std::make_shared<Impl>();
  if (!options.token_provider) {
    throw InvalidArgumentError("ClientOptions.token_provider is required");
  }
  options.base_url = trim_trailing_slash(options.base_url);
  parse_base_url(options.base_url);  // shape only: scheme and host, no path
  // The same rule guards the OAuth endpoints; one copy of it lives in http/url.cpp.
  detail::require_secure_url(options.base_url, "base_url", options.dangerously_allow_plain_http);
  if (!options.api_prefix.empty() && options.api_prefix.front() != '/') {
    options.api_prefix.insert(options.api_prefix.begin(), '/');
  }
  options.api_prefix = trim_trailing_slash(options.api_prefix);
  if (!options.transport) {
    options.transport = std::make_shared<CurlTransport>(options.transport_options);
  }
  if (!options.clock.sleep || !options.clock.steady_now || !options.clock.system_now) {
    options.clock = Clock::real();
  }
  impl->url_prefix = options.base_url + options.api_prefix;
  impl->user_agent = default_user_agent();
  if (!options.user_agent_suffix.empty())
    impl->user_agent += " " + options.user_agent_suffix;
  impl->rng.seed(options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}());
  impl->options = std::move(options);
  impl_ = std::move(impl);
}

const ClientOptions& Client::options() const noexcept {
  return impl_->options;
}

ObjectsApi Client::objects() const {
  return ObjectsApi(*this);
}

// One accessor per typed facade, from the catalog's RR_FACADE lines.
#define RR_FACADE(Type, Facade, method) \
  Facade Client::method() const {       \
    return Facade(*this);               \
  }
#include "roserocket/model/catalog.def"

Boards Client::boards() const {
  return Boards(*this);
}
Events Client::events() const {
  return Events(*this);
}
UserGroups Client::user_groups() const {
  return UserGroups(*this);
}
Webhooks Client::webhooks() const {
  return Webhooks(*this);
}

ApiResponse Client::call(const ApiRequest& request) const {
  const Impl& impl = *impl_;
  const ClientOptions& options = impl.options;

  ErrorContext context;
  context.operation = request.operation;
  context.method = std::string(to_string(request.method));
  context.path = options.api_prefix + request.path;

  HttpRequest http;
  http.method = request.method;
  http.url.reserve(impl.url_prefix.size() + request.path.size() + 64);
  http.url = impl.url_prefix;
  http.url += request.path;
  char sep = '?';
  for (const auto& [key, value] : request.query) {
    http.url += sep;
    http.url += percent_encode(key);
    http.url += '=';
    http.url += percent_encode(value);
    sep = '&';
  }
  http.headers.add("Accept", "application/json");
  http.headers.add("User-Agent", impl.user_agent);
  if (request.body) {
    http.headers.add("Content-Type", "application/json");
    http.body = request.body->dump();
  }
  if (options.org_id)
    http.headers.add("x-org-id", *options.org_id);
  for (const auto& [name, value] : request.headers)
    http.headers.set(name, value);
  http.timeout = request.timeout.count() > 0 ? request.timeout : options.request_timeout;

  const auto started = options.clock.steady_now();
  bool auth_retried = false;
  int attempt = 0;
  while (true) {
    ++attempt;
    const std::string token = options.token_provider->access_token();
    http.headers.set("Authorization", "Bearer " + token);
    if (options.logger) {
      impl.log(LogLevel::kDebug, context.method + " " + http.url + " attempt " +
                                     std::to_string(attempt) + " (Authorization: Bearer ***)");
    }

    // Decides whether another attempt may start after @p delay; sleeps if so.
    auto may_retry = [&](std::chrono::milliseconds delay, const std::string& why) {
      if (attempt >= options.retry.max_attempts)
        return false;
      if (delay > options.retry.max_retry_after)
        return false;
      const auto elapsed = options.clock.steady_now() - started;
      if (elapsed + delay > options.retry.max_total)
        return false;
      impl.log(LogLevel::kInfo, request.operation + ": " + why + "; retrying in " +
                                    std::to_string(delay.count()) + " ms");
      options.clock.sleep(delay);
      return true;
    };

    HttpResponse response;
    try {
      response = options.transport->send(http);
    } catch (const TransportError& e) {
      // Only a request that is safe to repeat, or one that never left, is sent again.
      const bool maybe_sent = e.request_may_have_been_sent();
      if ((request.idempotency == Idempotency::kIdempotent || !maybe_sent) &&
          may_retry(backoff_delay(options.retry, attempt, impl.unit_random()), e.summary())) {
        continue;
      }
      // Rethrown with this call's context, keeping the timeout's type.
      if (dynamic_cast<const TimeoutError*>(&e) != nullptr)
        throw TimeoutError(e.summary(), context, maybe_sent);
      throw TransportError(e.summary(), context, maybe_sent);
    }

    if (options.logger) {
      impl.log(LogLevel::kDebug,
               context.method + " " + http.url + " -> " + std::to_string(response.status));
    }

    if (response.status >= 200 && response.status < 300) {
      ApiResponse out;
      out.status = response.status;
      out.headers = std::move(response.headers);
      if (!response.body.empty()) {
        out.body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
        if (out.body.is_discarded()) {
          context.status = response.status;
          context.request_id = request_id_of(out.headers);
          throw MalformedResponseError("the response body is not valid JSON (" +
                                           std::to_string(response.body.size()) +
                                           " bytes; truncated or not JSON)",
                                       context);
        }
      }
      return out;
    }

    if (response.status == 401 && !auth_retried && options.token_provider->invalidate(token)) {
      auth_retried = true;
      --attempt;  // a refresh is not a retry: it does not use up the policy's attempts
      impl.log(LogLevel::kInfo, request.operation + ": 401, refreshing the token once");
      continue;
    }

    std::optional<std::chrono::milliseconds> retry_after;
    if (auto value = response.headers.get("Retry-After")) {
      retry_after = parse_retry_after(*value, options.clock.system_now());
    }
    if (is_retryable_status(response.status, request.idempotency)) {
      const auto delay =
          retry_after ? *retry_after : backoff_delay(options.retry, attempt, impl.unit_random());
      if (may_retry(delay, "status " + std::to_string(response.status)))
        continue;
    }

    context.status = response.status;
    context.request_id = request_id_of(response.headers);
    read_error_body(response.body, token, context);
    throw_api_error(std::move(context), retry_after);
  }
}

}  // namespace roserocket
