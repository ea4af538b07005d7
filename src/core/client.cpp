#include "roserocket/client.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <random>

#include "core/call_state.hpp"
#include "core/client_core.hpp"
#include "core/client_state.hpp"
#include "core/json_limits.hpp"
#include "core/redaction.hpp"
#include "http/default_transport.hpp"
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

struct Client::Impl : detail::ClientCore {
  using ClientCore::ClientCore;
  // Filled in while the client works; shared by every copy (src/core/client_state.hpp).
  mutable detail::BoardIds board_ids;
};

detail::BoardIds& detail::ClientState::board_ids(const Client& client) {
  return client.impl_->board_ids;
}

namespace detail {

ClientCore::ClientCore(ClientOptions o) : options(std::move(o)) {
  url_prefix = options.base_url + options.api_prefix;
  user_agent = default_user_agent();
  if (!options.user_agent_suffix.empty())
    user_agent += " " + options.user_agent_suffix;
  rng_.seed(options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}());
}

double ClientCore::unit_random() const {
  std::lock_guard<std::mutex> lock(rng_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

}  // namespace detail

Client::Client(ClientOptions options) {
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
    options.transport = detail::make_default_transport(options.transport_options);
  }
  if (!options.clock.sleep || !options.clock.steady_now || !options.clock.system_now) {
    options.clock = Clock::real();
  }
  impl_ = std::make_shared<Impl>(std::move(options));
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

// Every log record of a call is built and sent here, and only here.
void detail::ClientCore::emit(LogRecord&& record) const {
  if (!options.logger)
    return;
  record.message = detail::redact(std::move(record.message));
  record.request.request_id = detail::redact(std::move(record.request.request_id));
  options.logger(record);
}

void detail::ClientCore::observe(AttemptPhase phase, const RequestFields& fields) const {
  if (options.observer)
    options.observer(AttemptEvent{phase, fields});
}

ApiResponse Client::call(const ApiRequest& request) const {
  detail::CallAttempts attempts(*impl_, request);
  while (true) {
    HttpRequest& http = attempts.begin_attempt();
    detail::CallAttempts::Next next;
    bool answered = false;
    HttpResponse response;
    try {
      response = impl_->options.transport->send(http);
      answered = true;
    } catch (const TransportError&) {
      next = attempts.on_transport_error(std::current_exception());
    } catch (const CancelledError&) {
      next = attempts.on_transport_error(std::current_exception());
    }
    if (answered)
      next = attempts.on_response(std::move(response));
    if (next.done)
      return std::move(next.response);
    if (next.wait && attempts.wait(next.delay))
      std::rethrow_exception(attempts.interrupted_backoff());
  }
}

}  // namespace roserocket
