#include "roserocket/client.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <random>

#include "http/url.hpp"
#include "json_limits.hpp"
#include "redaction.hpp"
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

// Fills messages and error_code from a NestJS body {statusCode, message, error}; a body that is
// not JSON (or nests too deep) is quoted, shortened, as the one message. Everything read passes
// the SDK's redaction, with the request's own token among the secrets.
void read_error_body(const std::string& body, const std::string& token, ErrorContext& context) {
  if (body.empty())
    return;
  const std::vector<std::string> secrets{token};
  detail::JsonParse outcome = detail::JsonParse::kOk;
  const auto parsed = detail::parse_json_limited(body, outcome);
  if (outcome != detail::JsonParse::kOk || !parsed.is_object()) {
    std::string snippet = detail::redact_snippet(body, 200, secrets);
    for (auto& c : snippet) {
      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
    }
    const char* label = outcome == detail::JsonParse::kTooDeep
                            ? "(JSON nested deeper than the SDK's limit) "
                            : (outcome == detail::JsonParse::kInvalid ? "(not JSON) " : "");
    context.messages.push_back(label + snippet);
    return;
  }
  auto add = [&](const nlohmann::json& m) {
    if (m.is_string()) {
      context.messages.push_back(detail::redact(m.get<std::string>(), secrets));
    } else if (!m.is_null()) {
      context.messages.push_back(detail::redact(
          m.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), secrets));
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
    context.error_code = detail::redact(it->get<std::string>(), secrets);
  }
}

std::string request_id_of(const Headers& headers, const std::string& token) {
  for (const char* name : kRequestIdHeaders) {
    if (auto v = headers.get(name))
      return detail::redact_snippet(*v, 200, {token});
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

  // Sends one log record to the logger: the one place log records leave the client.
  void emit(LogRecord&& record) const;
  // Tells the observer that an attempt starts or ends.
  void observe(AttemptPhase phase, const RequestFields& fields) const;
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

namespace {

using std::chrono::milliseconds;

milliseconds since(const Clock& clock, std::chrono::steady_clock::time_point started) {
  return std::chrono::duration_cast<milliseconds>(clock.steady_now() - started);
}

// The `error_kind` of telemetry for an answer with a non-2xx status.
const char* error_kind_of_status(int status) {
  switch (status) {
    case 400:
    case 422:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 && status <= 599 ? "server_error" : "api_error";
  }
}

}  // namespace

// Every log record of a call is built and sent here, and only here.
void Client::Impl::emit(LogRecord&& record) const {
  if (!options.logger)
    return;
  record.message = detail::redact(std::move(record.message));
  record.request.request_id = detail::redact(std::move(record.request.request_id));
  options.logger(record);
}

void Client::Impl::observe(AttemptPhase phase, const RequestFields& fields) const {
  if (options.observer)
    options.observer(AttemptEvent{phase, fields});
}

ApiResponse Client::call(const ApiRequest& request) const {
  const Impl& impl = *impl_;
  const ClientOptions& options = impl.options;
  const Clock& clock = options.clock;
  const RetryPolicy& policy = request.retry ? *request.retry : options.retry;

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
    try {
      http.body = request.body->dump();
    } catch (const nlohmann::json::type_error&) {
      // nlohmann refuses text that is not UTF-8 (error 316); nothing was sent.
      throw InvalidArgumentError(
          "the request body contains text that is not valid UTF-8; nothing was sent", context);
    }
  }
  if (options.org_id)
    http.headers.add("x-org-id", *options.org_id);
  for (const auto& [name, value] : request.headers)
    http.headers.set(name, value);
  const milliseconds per_attempt =
      request.timeout.count() > 0 ? request.timeout : options.request_timeout;
  http.cancellation = request.cancellation;

  RequestFields fields;
  fields.operation = request.operation;
  fields.method = context.method;
  fields.path = context.path;

  const auto started = clock.steady_now();
  const bool has_deadline = request.deadline.count() > 0;
  bool auth_retried = false;
  int attempt = 0;  // attempts the retry policy counts (a 401 refresh is not one)
  int sent = 0;     // attempts handed to the transport
  bool last_maybe_sent = false;

  auto cancelled = [&](const std::string& when, bool maybe_sent) {
    fields.error_kind = "cancelled";
    fields.elapsed = since(clock, started);
    impl.emit(LogRecord{LogLevel::kInfo, request.operation + ": cancelled " + when, fields});
    return CancelledError("cancelled " + when + " after " + std::to_string(sent) + " attempt" +
                              (sent == 1 ? "" : "s"),
                          context, sent, maybe_sent);
  };
  auto deadline_exceeded = [&](const std::string& why, bool maybe_sent) {
    fields.error_kind = "deadline_exceeded";
    fields.elapsed = since(clock, started);
    impl.emit(LogRecord{LogLevel::kInfo, request.operation + ": deadline exceeded", fields});
    return DeadlineExceededError("deadline of " + std::to_string(request.deadline.count()) +
                                     " ms exceeded after " + std::to_string(sent) + " attempt" +
                                     (sent == 1 ? "" : "s") + (why.empty() ? "" : "; " + why),
                                 context, maybe_sent, sent);
  };

  while (true) {
    if (request.cancellation.is_cancelled())
      throw cancelled("before the attempt", last_maybe_sent);
    http.timeout = per_attempt;
    if (has_deadline) {
      const milliseconds left = request.deadline - since(clock, started);
      if (left.count() <= 0)
        throw deadline_exceeded("", last_maybe_sent);
      http.timeout = std::min(per_attempt, left);
    }
    ++attempt;
    ++sent;
    const std::string token = options.token_provider->access_token();
    http.headers.set("Authorization", "Bearer " + token);
    fields.attempt = sent;
    fields.status = 0;
    fields.request_id.clear();
    fields.error_kind.clear();
    fields.elapsed = since(clock, started);
    impl.observe(AttemptPhase::kStart, fields);
    if (options.logger) {
      impl.emit(LogRecord{LogLevel::kDebug,
                          context.method + " " + context.path + " attempt " + std::to_string(sent) +
                              " (Authorization: Bearer ***)",
                          fields});
    }

    // Decides whether another attempt may start after @p delay; waits if so.
    auto may_retry = [&](milliseconds delay, const std::string& why) {
      if (attempt >= policy.max_attempts)
        return false;
      if (delay > policy.max_retry_after)
        return false;
      const milliseconds elapsed = since(clock, started);
      if (elapsed + delay > policy.max_total)
        return false;
      if (has_deadline && elapsed + delay >= request.deadline) {
        throw deadline_exceeded("no time left to wait " + std::to_string(delay.count()) +
                                    " ms before another attempt; last: " + why,
                                last_maybe_sent);
      }
      fields.elapsed = elapsed;
      impl.emit(LogRecord{
          LogLevel::kInfo,
          request.operation + ": " + why + "; retrying in " + std::to_string(delay.count()) + " ms",
          fields});
      if (!request.cancellation.can_be_cancelled()) {
        clock.sleep(delay);
        return true;
      }
      bool stopped = false;
      if (clock.interruptible_sleep) {
        stopped = clock.interruptible_sleep(delay, request.cancellation);
      } else {
        clock.sleep(delay);
        stopped = request.cancellation.is_cancelled();
      }
      if (stopped)
        throw cancelled("during the backoff", last_maybe_sent);
      return true;
    };

    HttpResponse response;
    try {
      response = options.transport->send(http);
    } catch (const CancelledError& e) {
      fields.elapsed = since(clock, started);
      fields.error_kind = "cancelled";
      impl.observe(AttemptPhase::kEnd, fields);
      throw cancelled("during the transfer", e.request_may_have_been_sent());
    } catch (const TransportError& e) {
      // Only a request that is safe to repeat, or one that never left, is sent again.
      const bool maybe_sent = e.request_may_have_been_sent();
      last_maybe_sent = maybe_sent;
      const bool timed_out = dynamic_cast<const TimeoutError*>(&e) != nullptr;
      fields.elapsed = since(clock, started);
      fields.error_kind = timed_out ? "timeout" : "transport";
      if (has_deadline && timed_out && fields.elapsed >= request.deadline) {
        fields.error_kind = "deadline_exceeded";
        impl.observe(AttemptPhase::kEnd, fields);
        throw deadline_exceeded(e.summary(), maybe_sent);
      }
      impl.observe(AttemptPhase::kEnd, fields);
      if ((request.idempotency == Idempotency::kIdempotent || !maybe_sent) &&
          may_retry(backoff_delay(policy, attempt, impl.unit_random()), e.summary())) {
        continue;
      }
      // Rethrown with this call's context, keeping the timeout's type.
      if (timed_out)
        throw TimeoutError(e.summary(), context, maybe_sent);
      throw TransportError(e.summary(), context, maybe_sent);
    }
    last_maybe_sent = true;

    fields.status = response.status;
    // A server that echoes headers back could put the token anywhere; not into telemetry.
    fields.request_id = request_id_of(response.headers, token);
    fields.elapsed = since(clock, started);
    if (options.logger) {
      impl.emit(LogRecord{
          LogLevel::kDebug,
          context.method + " " + context.path + " -> " + std::to_string(response.status), fields});
    }

    if (response.status >= 200 && response.status < 300) {
      ApiResponse out;
      out.status = response.status;
      out.headers = std::move(response.headers);
      if (!response.body.empty()) {
        detail::JsonParse outcome = detail::JsonParse::kOk;
        out.body = detail::parse_json_limited(response.body, outcome);
        if (outcome == detail::JsonParse::kTooDeep) {
          fields.error_kind = "malformed_response";
          impl.observe(AttemptPhase::kEnd, fields);
          context.status = response.status;
          context.request_id = fields.request_id;
          throw MalformedResponseError("the response body is JSON " +
                                           detail::describe_parse_failure(outcome) + " (" +
                                           std::to_string(response.body.size()) + " bytes)",
                                       context);
        }
        if (outcome != detail::JsonParse::kOk) {
          fields.error_kind = "malformed_response";
          impl.observe(AttemptPhase::kEnd, fields);
          context.status = response.status;
          context.request_id = fields.request_id;
          throw MalformedResponseError("the response body is not valid JSON (" +
                                           std::to_string(response.body.size()) +
                                           " bytes; truncated or not JSON)",
                                       context);
        }
      }
      impl.observe(AttemptPhase::kEnd, fields);
      if (request.metadata != nullptr) {
        ResponseMetadata& m = *request.metadata;
        m.status = out.status;
        m.headers = out.headers;
        m.request_id = fields.request_id;
        m.attempts = sent;
        m.elapsed = fields.elapsed;
      }
      return out;
    }

    fields.error_kind = error_kind_of_status(response.status);
    impl.observe(AttemptPhase::kEnd, fields);

    if (response.status == 401 && !auth_retried && options.token_provider->invalidate(token)) {
      auth_retried = true;
      --attempt;  // a refresh is not a retry: it does not use up the policy's attempts
      impl.emit(LogRecord{LogLevel::kInfo, request.operation + ": 401, refreshing the token once",
                          fields});
      continue;
    }

    std::optional<milliseconds> retry_after;
    if (auto value = response.headers.get("Retry-After")) {
      retry_after = parse_retry_after(*value, clock.system_now());
    }
    if (is_retryable_status(response.status, request.idempotency)) {
      const auto delay =
          retry_after ? *retry_after : backoff_delay(policy, attempt, impl.unit_random());
      if (may_retry(delay, "status " + std::to_string(response.status)))
        continue;
    }

    context.status = response.status;
    context.request_id = request_id_of(response.headers, token);
    read_error_body(response.body, token, context);
    throw_api_error(std::move(context), retry_after);
  }
}

}  // namespace roserocket
