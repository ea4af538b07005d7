#include "auth/token_endpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "auth/client_assertion.hpp"
#include "auth/crypto.hpp"
#include "core/json_limits.hpp"
#include "core/redaction.hpp"
#include "http/default_transport.hpp"
#include "http/url.hpp"
#include "roserocket/auth/discovery.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::detail {
namespace {

// The longest token lifetime believed (about 100 years): later expiries are clamped to it, which
// keeps every time point far from the clock's range (nanoseconds end in 2262).
constexpr std::chrono::seconds kLongestTokenLife{std::int64_t{100} * 365 * 24 * 3600};

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

// "scheme://host[:port]" of a redirect's Location: never its user info, path or query, which
// could carry secrets. A relative Location stays on the token endpoint's host.
std::string location_host(const std::optional<std::string>& location) {
  if (!location || location->empty())
    return "no Location";
  const std::string& value = *location;
  const auto sep = value.find("://");
  const bool network_path = value.rfind("//", 0) == 0;
  if (sep == std::string::npos && !network_path)
    return "a location on the same host";
  const std::size_t start = network_path ? 2 : sep + 3;
  std::string authority = value.substr(start, value.find_first_of("/?#", start) - start);
  if (const auto at = authority.rfind('@'); at != std::string::npos)
    authority.erase(0, at + 1);
  const std::string scheme = network_path ? std::string() : value.substr(0, sep) + "://";
  return scheme + authority;
}

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// The secrets of a token request besides @p secrets: the client secret, alone and as an echoed
// Basic header would carry it.
std::vector<std::string> hidden_values(const OAuthOptions& options,
                                       const std::vector<std::string>& secrets) {
  std::vector<std::string> hidden = secrets;
  hidden.push_back(options.client_secret);
  if (!options.client_secret.empty()) {
    for (auto& form : basic_credential_forms(options.client_id, options.client_secret))
      hidden.push_back(std::move(form));
  }
  return hidden;
}

}  // namespace

bool is_token_retryable_status(int status) noexcept {
  // 500 is left out: the server may have used up a (rotating) refresh token before failing.
  return status == 429 || status == 502 || status == 503 || status == 504;
}

HttpResponse send_with_retries(const OAuthOptions& options, const HttpRequest& http,
                               ErrorContext& context, const std::vector<std::string>& hidden) {
  const Clock& clock = options.clock;
  auto steady_now = [&clock] {
    return clock.steady_now ? clock.steady_now() : std::chrono::steady_clock::now();
  };
  auto log = [&](LogLevel level, const std::string& message) {
    if (options.logger)
      options.logger(LogRecord{level, redact_all(message, hidden), {}});
  };
  const RetryPolicy& policy = options.retry;
  const auto started = steady_now();
  const std::string what = context.operation + ": " + context.method + " " + http.url;
  for (int attempt = 1;; ++attempt) {
    std::optional<HttpResponse> response;
    std::exception_ptr failure;
    std::string why;
    std::optional<std::chrono::milliseconds> retry_after;
    try {
      response = options.transport->send(http);
    } catch (const TimeoutError& e) {
      log(LogLevel::kWarning, what + " timed out");
      why = "timed out";
      failure = std::make_exception_ptr(
          TimeoutError(redact_all(e.summary(), hidden), context, e.request_may_have_been_sent()));
    } catch (const TransportError& e) {
      log(LogLevel::kWarning, what + " failed");
      why = "no answer";
      failure = std::make_exception_ptr(
          TransportError(redact_all(e.summary(), hidden), context, e.request_may_have_been_sent()));
    }
    if (response) {
      context.status = response->status;
      log(response->status / 100 == 2 ? LogLevel::kDebug : LogLevel::kWarning,
          what + " -> " + std::to_string(response->status));
      if (response->status >= 300 && response->status < 400) {
        // Following it would send the credentials to wherever the answer points.
        throw AuthError(redact_all(context.method + " " + context.path + " was answered with " +
                                       std::to_string(response->status) + " (a redirect) to " +
                                       location_host(response->headers.get("Location")) +
                                       "; redirects are not followed for OAuth requests: "
                                       "configure the new address instead",
                                   hidden),
                        context);
      }
      if (!is_token_retryable_status(response->status))
        return std::move(*response);
      why = "status " + std::to_string(response->status);
      if (auto value = response->headers.get("Retry-After")) {
        retry_after = parse_retry_after(
            *value, clock.system_now ? clock.system_now() : std::chrono::system_clock::now());
      }
    }
    const auto delay = retry_after ? *retry_after : backoff_delay(policy, attempt, unit_random());
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady_now() - started);
    if (attempt >= policy.max_attempts || delay > policy.max_retry_after ||
        elapsed + delay > policy.max_total) {
      if (failure)
        std::rethrow_exception(failure);
      return std::move(*response);
    }
    log(LogLevel::kInfo, what + ": " + why + "; retrying in " + std::to_string(delay.count()) +
                             " ms (attempt " + std::to_string(attempt + 1) + ")");
    if (clock.sleep)
      clock.sleep(delay);
    else
      std::this_thread::sleep_for(delay);
  }
}

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
    options.transport = detail::make_default_transport(options.transport_options);
  }
  if (!options.issuer.empty()) {
    // Once per provider or flow: every token request after this uses the endpoints found here.
    const OpenIdConfiguration found = discover_openid_configuration(options);
    options.issuer = found.issuer;  // the document's exact spelling, for later `iss` checks
    if (options.token_url.empty())
      options.token_url = found.token_endpoint;
    if (options.authorize_url.empty())
      options.authorize_url = found.authorization_endpoint;
    if (options.jwks_url.empty())
      options.jwks_url = found.jwks_uri;
    if (found.authorization_response_iss_parameter_supported)
      options.require_authorization_response_iss = true;
    if (options.token_url.empty()) {
      throw InvalidArgumentError(prefix + "the discovery document of " + options.issuer +
                                 " names no token_endpoint; set OAuthOptions.token_url");
    }
    if (needs_authorize_url && options.authorize_url.empty()) {
      throw InvalidArgumentError(prefix + "the discovery document of " + options.issuer +
                                 " names no authorization_endpoint; set "
                                 "OAuthOptions.authorize_url");
    }
  } else {
    if (options.token_url.empty())
      options.token_url = kRoseRocketTokenUrl;
    if (options.authorize_url.empty())
      options.authorize_url = kRoseRocketAuthorizeUrl;
  }
  require_secure_url(options.token_url, prefix + "token_url", options.dangerously_allow_plain_http);
  if (needs_authorize_url) {
    require_secure_url(options.authorize_url, prefix + "authorize_url",
                       options.dangerously_allow_plain_http);
  }
  if (options.client_auth == ClientAuthMethod::kPrivateKeyJwt) {
    check_client_assertion_settings(options, prefix);
  }
}

TokenSet request_tokens(const OAuthOptions& options, const std::string& grant, FormFields fields,
                        const std::vector<std::string>& secrets) {
  // An echoed Basic header carries the secret base64-encoded, with the id.
  std::vector<std::string> hidden = hidden_values(options, secrets);

  FormFields body_fields;
  body_fields.emplace_back("grant_type", grant);
  for (auto& f : fields)
    body_fields.push_back(std::move(f));
  // RFC 8707 §2.2: the resources go with every token request too.
  for (const auto& r : options.resources)
    body_fields.emplace_back("resource", r);
  for (const auto& f : options.token_params)
    body_fields.push_back(f);
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
    // A repeated field (`resource`) becomes an array of its values.
    nlohmann::json body = nlohmann::json::object();
    for (const auto& [key, value] : body_fields) {
      auto it = body.find(key);
      if (it == body.end()) {
        body[key] = value;
      } else {
        if (!it->is_array())
          *it = nlohmann::json::array({*it});
        it->push_back(value);
      }
    }
    http.headers.add("Content-Type", "application/json");
    http.body = body.dump();
  } else {
    http.headers.add("Content-Type", "application/x-www-form-urlencoded");
    http.body = encode_form(body_fields);
  }

  ErrorContext context;
  context.operation = "auth." + grant;
  context.method = "POST";
  context.path = path_for_errors(options.token_url);

  const HttpResponse response = send_with_retries(options, http, context, hidden);

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
