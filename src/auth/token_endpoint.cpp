#include "auth/token_endpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "auth/client_assertion.hpp"
#include "auth/crypto.hpp"
#include "http/url.hpp"
#include "json_limits.hpp"
#include "redaction.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::detail {
namespace {

// The longest token lifetime believed (about 100 years): later expiries are clamped to it, which
// keeps every time point far from the clock's range (nanoseconds end in 2262).
constexpr std::chrono::seconds kLongestTokenLife{std::int64_t{100} * 365 * 24 * 3600};

std::string path_of(const std::string& url) {
  const auto sep = url.find("://");
  const auto slash = url.find('/', sep == std::string::npos ? 0 : sep + 3);
  if (slash == std::string::npos)
    return "/";
  return url.substr(slash, url.find_first_of("?#", slash) - slash);
}

// Reads `error`/`error_description` (RFC 6749 §5.2); anything else is quoted, shortened.
void read_oauth_error(const std::string& body, const std::vector<std::string>& secrets,
                      ErrorContext& context) {
  JsonParse outcome = JsonParse::kOk;
  const auto parsed = parse_json_limited(body, outcome);
  if (outcome == JsonParse::kOk && parsed.is_object()) {
    if (auto it = parsed.find("error"); it != parsed.end() && it->is_string()) {
      context.error_code = redact_all(it->get<std::string>(), secrets);
    }
    if (auto it = parsed.find("error_description"); it != parsed.end() && it->is_string()) {
      context.messages.push_back(redact_all(it->get<std::string>(), secrets));
    }
    if (!context.error_code.empty() || !context.messages.empty())
      return;
  }
  if (body.empty())
    return;
  // Cut and redacted together, so that no part of a secret is left at the cut.
  std::string snippet = redact_snippet(body, 200, secrets);
  for (auto& c : snippet) {
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
  }
  const char* label = outcome == JsonParse::kTooDeep   ? "(JSON nested too deep) "
                      : outcome == JsonParse::kInvalid ? "(not JSON) "
                                                       : "";
  context.messages.push_back(label + snippet);
}

}  // namespace

std::string redact_all(std::string text, const std::vector<std::string>& secrets) {
  // One mechanism for every text: the registered secrets plus these.
  return redact(std::move(text), secrets);
}

void prepare_oauth_options(OAuthOptions& options, const char* what, bool needs_secret,
                           bool needs_authorize_url) {
  const std::string prefix = std::string(what) + ": ";
  if (options.client_id.empty()) {
    throw InvalidArgumentError(prefix + "OAuthOptions.client_id is required");
  }
  if (needs_secret && options.client_secret.empty() &&
      options.client_auth != ClientAuthMethod::kPrivateKeyJwt) {
    throw InvalidArgumentError(prefix + "OAuthOptions.client_secret is required");
  }
  if (options.client_auth == ClientAuthMethod::kClientSecretBasic &&
      options.client_secret.empty()) {
    throw InvalidArgumentError(prefix + "client_secret_basic needs OAuthOptions.client_secret");
  }
  if (options.client_auth == ClientAuthMethod::kPrivateKeyJwt) {
    check_client_assertion_settings(options, prefix);
  }
  require_secure_url(options.token_url, prefix + "token_url", options.dangerously_allow_plain_http);
  if (needs_authorize_url) {
    require_secure_url(options.authorize_url, prefix + "authorize_url",
                       options.dangerously_allow_plain_http);
  }
  if (options.refresh_skew.count() < 0) {
    throw InvalidArgumentError(prefix + "OAuthOptions.refresh_skew must not be negative");
  }
  if (!options.clock.system_now) {
    options.clock = Clock::real();
  }
  if (!options.token_store) {
    options.token_store = std::make_shared<InMemoryTokenStore>();
  }
  if (!options.transport) {
    options.transport = std::make_shared<CurlTransport>(options.transport_options);
  }
}

TokenSet request_tokens(const OAuthOptions& options, const std::string& grant, FormFields fields,
                        const std::vector<std::string>& secrets) {
  std::vector<std::string> hidden = secrets;
  hidden.push_back(options.client_secret);
  if (!options.client_secret.empty()) {
    // An echoed Basic header carries the secret base64-encoded, with the id.
    hidden.push_back(base64_encode(options.client_id + ":" + options.client_secret));
    hidden.push_back(base64_encode(percent_encode(options.client_id) + ":" +
                                   percent_encode(options.client_secret)));
  }

  FormFields body_fields;
  body_fields.emplace_back("grant_type", grant);
  for (auto& f : fields)
    body_fields.push_back(std::move(f));
  for (const auto& f : options.extra_params)
    body_fields.push_back(f);

  HttpRequest http;
  http.method = HttpMethod::kPost;
  http.url = options.token_url;
  http.timeout = options.request_timeout;
  http.headers.add("Accept", "application/json");
  if (options.client_auth == ClientAuthMethod::kClientSecretBasic) {
    // RFC 6749 §2.3.1: both parts form-encoded before base64.
    http.headers.add("Authorization",
                     "Basic " + base64_encode(percent_encode(options.client_id) + ":" +
                                              percent_encode(options.client_secret)));
  } else {
    body_fields.emplace_back("client_id", options.client_id);
    if (options.client_auth == ClientAuthMethod::kPrivateKeyJwt) {
      append_client_assertion(options, body_fields, hidden);
    } else if (!options.client_secret.empty()) {
      body_fields.emplace_back("client_secret", options.client_secret);
    }
  }
  if (options.encoding == TokenRequestEncoding::kJson) {
    nlohmann::json body = nlohmann::json::object();
    for (const auto& [key, value] : body_fields)
      body[key] = value;
    http.headers.add("Content-Type", "application/json");
    http.body = body.dump();
  } else {
    http.headers.add("Content-Type", "application/x-www-form-urlencoded");
    http.body = encode_form(body_fields);
  }

  ErrorContext context;
  context.operation = "auth." + grant;
  context.method = "POST";
  context.path = path_of(options.token_url);

  auto log = [&](LogLevel level, const std::string& message) {
    if (options.logger)
      options.logger(LogRecord{level, redact_all(message, hidden), {}});
  };

  HttpResponse response;
  try {
    response = options.transport->send(http);
  } catch (const TimeoutError& e) {
    log(LogLevel::kWarning, context.operation + ": POST " + options.token_url + " timed out");
    throw TimeoutError(redact_all(e.summary(), hidden), context, e.request_may_have_been_sent());
  } catch (const TransportError& e) {
    log(LogLevel::kWarning, context.operation + ": POST " + options.token_url + " failed");
    throw TransportError(redact_all(e.summary(), hidden), context, e.request_may_have_been_sent());
  }
  context.status = response.status;
  log(response.status / 100 == 2 ? LogLevel::kDebug : LogLevel::kWarning,
      context.operation + ": POST " + options.token_url + " -> " + std::to_string(response.status));

  if (response.status < 200 || response.status >= 300) {
    read_oauth_error(response.body, hidden, context);
    throw AuthError("the token endpoint refused the " + grant + " request", std::move(context));
  }

  JsonParse outcome = JsonParse::kOk;
  const auto parsed = parse_json_limited(response.body, outcome);
  if (outcome == JsonParse::kTooDeep) {
    throw MalformedResponseError("the token response is " + describe_parse_failure(outcome),
                                 std::move(context));
  }
  if (outcome != JsonParse::kOk || !parsed.is_object()) {
    throw MalformedResponseError("the token response is not a JSON object", std::move(context));
  }
  auto text = [&](const char* key) -> std::string {
    auto it = parsed.find(key);
    return it != parsed.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  TokenSet tokens;
  tokens.access_token = text("access_token");
  if (tokens.access_token.empty()) {
    throw MalformedResponseError("the token response has no access_token", std::move(context));
  }
  if (auto type = text("token_type"); !type.empty())
    tokens.token_type = type;
  tokens.refresh_token = text("refresh_token");
  tokens.id_token = text("id_token");
  tokens.scope = text("scope");
  if (auto it = parsed.find("expires_in"); it != parsed.end()) {
    long long seconds = -1;
    if (it->is_number_unsigned()) {
      seconds = static_cast<long long>(
          std::min<std::uint64_t>(it->get<std::uint64_t>(), kLongestTokenLife.count()));
    } else if (it->is_number_integer()) {
      seconds = it->get<long long>();
    } else if (it->is_number_float()) {
      // Fractions are dropped; huge values are clamped below, never converted past the range.
      const double d = it->get<double>();
      if (std::isfinite(d) && d >= 0)
        seconds = d >= static_cast<double>(kLongestTokenLife.count()) ? kLongestTokenLife.count()
                                                                      : static_cast<long long>(d);
    } else if (it->is_string()) {
      // Some servers quote numbers; accept digits only.
      const auto s = it->get<std::string>();
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 12) {
        seconds = std::stoll(s);
      }
    }
    if (seconds < 0) {
      throw MalformedResponseError("the token response has an unreadable expires_in",
                                   std::move(context));
    }
    // Saturated: a lifetime of 10^10 s once wrapped the expiry into the past (a token storm).
    tokens.expires_at = options.clock.system_now() + std::chrono::seconds(std::min<long long>(
                                                         seconds, kLongestTokenLife.count()));
  }
  return tokens;
}

}  // namespace roserocket::detail
