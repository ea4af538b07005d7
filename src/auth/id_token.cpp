#include "roserocket/auth/id_token.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>

#include "auth/id_token_check.hpp"
#include "auth/jose.hpp"
#include "http/default_transport.hpp"
#include "http/url.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

constexpr const char* kIdTokenOperation = "auth.id_token";
// Seconds since the epoch beyond this (about year 10000) are refused, keeping time points far
// from the clock's range.
constexpr double kLatestSecond = 253402300799.0;

[[noreturn]] void reject(const std::string& reason, const char* code = "invalid_id_token") {
  ErrorContext context;
  context.operation = kIdTokenOperation;
  context.error_code = code;
  throw AuthError("the ID token was refused: " + reason, std::move(context));
}

std::string string_claim(const nlohmann::json& payload, const char* name, bool required) {
  auto it = payload.find(name);
  if (it == payload.end()) {
    if (required)
      reject(std::string("it has no \"") + name + "\" claim");
    return {};
  }
  if (!it->is_string())
    reject(std::string("its \"") + name + "\" claim is not a string");
  return it->get<std::string>();
}

std::chrono::system_clock::time_point time_claim(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end())
    reject(std::string("it has no \"") + name + "\" claim");
  if (!it->is_number())
    reject(std::string("its \"") + name + "\" claim is not a number");
  const double seconds = it->get<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kLatestSecond)
    reject(std::string("its \"") + name + "\" claim is out of range");
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(std::floor(seconds))));
}

}  // namespace

const nlohmann::json* IdTokenClaims::find(std::string_view claim_name) const {
  if (!claims.is_object())
    return nullptr;
  auto it = claims.find(std::string(claim_name));
  return it == claims.end() ? nullptr : &*it;
}

struct IdTokenVerifier::State {
  std::string issuer;
  std::string jwks_url;
  std::string client_id;
  std::shared_ptr<HttpTransport> transport;
  Clock clock;
  std::chrono::seconds skew{60};
  std::chrono::milliseconds timeout{30000};

  std::mutex mutex;
  std::vector<detail::jose::Jwk> keys;  // guarded by mutex
  bool fetched = false;
  std::chrono::steady_clock::time_point last_fetch{};
  std::size_t fetches = 0;

  std::chrono::steady_clock::time_point steady_now() const {
    return clock.steady_now ? clock.steady_now() : std::chrono::steady_clock::now();
  }

  // Fetches the key set; called with mutex held. A failed fetch keeps the old keys.
  void fetch_locked() {
    ++fetches;
    fetched = true;
    last_fetch = steady_now();
    HttpRequest request;
    request.method = HttpMethod::kGet;
    request.url = jwks_url;
    request.timeout = timeout;
    request.headers.add("Accept", "application/json");
    const HttpResponse response = transport->send(request);
    if (response.status < 200 || response.status >= 300) {
      ErrorContext context;
      context.operation = kIdTokenOperation;
      context.method = "GET";
      context.status = response.status;
      context.error_code = "id_token_unverifiable";
      throw AuthError("the issuer's key set (OAuthOptions.jwks_url) answered HTTP " +
                          std::to_string(response.status),
                      std::move(context));
    }
    try {
      keys = detail::jose::parse_jwks(response.body);
    } catch (const detail::jose::JoseError& e) {
      reject(std::string("the issuer's key set is unreadable: ") + e.what(),
             "id_token_unverifiable");
    }
  }

  // The keys that may have signed a token with @p kid and @p alg.
  std::vector<detail::jose::Key> candidates_locked(const std::string& kid,
                                                   detail::jose::Alg alg) const {
    std::vector<detail::jose::Key> out;
    for (const auto& jwk : keys) {
      if (jwk.alg == alg && (kid.empty() || jwk.kid == kid))
        out.push_back(jwk.key);
    }
    return out;
  }
};

IdTokenVerifier::IdTokenVerifier(const OAuthOptions& options) : state_(std::make_shared<State>()) {
  if (options.client_id.empty())
    throw InvalidArgumentError("IdTokenVerifier: OAuthOptions.client_id is required");
  if (options.id_token_skew.count() < 0)
    throw InvalidArgumentError("IdTokenVerifier: OAuthOptions.id_token_skew must not be negative");
  if (!options.jwks_url.empty()) {
    detail::require_secure_url(options.jwks_url, "IdTokenVerifier: jwks_url",
                               options.dangerously_allow_plain_http);
  }
  state_->issuer = options.issuer;
  state_->jwks_url = options.jwks_url;
  state_->client_id = options.client_id;
  state_->transport = options.transport ? options.transport
                                        : detail::make_default_transport(options.transport_options);
  state_->clock = options.clock.system_now ? options.clock : Clock::real();
  state_->skew = options.id_token_skew;
  state_->timeout = options.request_timeout;
}

std::size_t IdTokenVerifier::jwks_fetch_count() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->fetches;
}

IdTokenClaims IdTokenVerifier::verify(std::string_view id_token,
                                      std::string_view expected_nonce) const {
  State& s = *state_;
  if (s.jwks_url.empty()) {
    reject(
        "no key set is known to check it against: set OAuthOptions.issuer (discovery) or "
        "OAuthOptions.jwks_url, or OAuthOptions.dangerously_skip_id_token_verification",
        "id_token_unverifiable");
  }
  detail::jose::Jws jws;
  try {
    jws = detail::jose::parse_jws(id_token);
  } catch (const detail::jose::JoseError& e) {
    reject(std::string("it is malformed: ") + e.what());
  }

  bool signed_ok = false;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.fetched)
      s.fetch_locked();
    auto keys = s.candidates_locked(jws.kid, jws.alg);
    if (keys.empty() && s.steady_now() - s.last_fetch >= kMinRefetchInterval) {
      // The issuer may have rotated its keys since the last fetch.
      s.fetch_locked();
      keys = s.candidates_locked(jws.kid, jws.alg);
    }
    if (keys.empty()) {
      reject(std::string("the issuer's key set has no ") + detail::jose::alg_name(jws.alg) +
             " key" + (jws.kid.empty() ? std::string() : " with the token's key id"));
    }
    for (const auto& key : keys) {
      if (detail::jose::verify(jws, key)) {
        signed_ok = true;
        break;
      }
    }
  }
  if (!signed_ok)
    reject("its signature does not verify against the issuer's keys");

  const auto& payload = jws.payload;
  IdTokenClaims claims;
  claims.issuer = string_claim(payload, "iss", true);
  if (!s.issuer.empty() && claims.issuer != s.issuer)
    reject("its issuer (iss) is not OAuthOptions.issuer");
  claims.subject = string_claim(payload, "sub", true);
  if (claims.subject.empty())
    reject("its subject (sub) is empty");

  auto aud = payload.find("aud");
  if (aud == payload.end())
    reject("it has no \"aud\" claim");
  if (aud->is_string()) {
    claims.audience.push_back(aud->get<std::string>());
  } else if (aud->is_array()) {
    for (const auto& entry : *aud) {
      if (!entry.is_string())
        reject("its \"aud\" claim holds something other than strings");
      claims.audience.push_back(entry.get<std::string>());
    }
  } else {
    reject("its \"aud\" claim is neither a string nor an array");
  }
  if (std::find(claims.audience.begin(), claims.audience.end(), s.client_id) ==
      claims.audience.end()) {
    reject("its audience (aud) does not include OAuthOptions.client_id");
  }
  claims.authorized_party = string_claim(payload, "azp", false);
  if (claims.audience.size() > 1 && claims.authorized_party.empty())
    reject("it names several audiences but no authorized party (azp)");
  if (payload.contains("azp") && claims.authorized_party != s.client_id)
    reject("its authorized party (azp) is not OAuthOptions.client_id");

  claims.expires_at = time_claim(payload, "exp");
  claims.issued_at = time_claim(payload, "iat");
  const auto now = s.clock.system_now();
  if (now >= claims.expires_at + s.skew)
    reject("it has expired (exp)");
  if (claims.issued_at > now + s.skew)
    reject("it was issued in the future (iat)");

  claims.nonce = string_claim(payload, "nonce", false);
  if (!expected_nonce.empty()) {
    if (!payload.contains("nonce"))
      reject("it carries no nonce, but the authorization request sent one");
    if (claims.nonce != expected_nonce)
      reject("its nonce is not the one the authorization request sent");
  }
  if (auto it = payload.find("email"); it != payload.end() && it->is_string())
    claims.email = it->get<std::string>();
  if (auto it = payload.find("name"); it != payload.end() && it->is_string())
    claims.name = it->get<std::string>();
  claims.claims = payload;
  return claims;
}

namespace detail {

bool requests_openid(const OAuthOptions& options) {
  return std::find(options.scopes.begin(), options.scopes.end(), "openid") != options.scopes.end();
}

void require_id_token_settings(const OAuthOptions& options, const char* what) {
  if (!requests_openid(options) || options.dangerously_skip_id_token_verification)
    return;
  if (options.jwks_url.empty() && options.issuer.empty()) {
    throw InvalidArgumentError(
        std::string(what) +
        ": the scopes include openid, so ID tokens are checked, but no key set is known: set "
        "OAuthOptions.issuer (discovery) or OAuthOptions.jwks_url (or, to accept unchecked ID "
        "tokens, OAuthOptions.dangerously_skip_id_token_verification)");
  }
  if (options.id_token_skew.count() < 0) {
    throw InvalidArgumentError(std::string(what) +
                               ": OAuthOptions.id_token_skew must not be negative");
  }
}

void apply_id_token_checks(const OAuthOptions& options, const IdTokenVerifier& verifier,
                           TokenSet& tokens, std::string_view nonce, bool required) {
  if (!requests_openid(options) || options.dangerously_skip_id_token_verification)
    return;
  if (tokens.id_token.empty()) {
    if (required) {
      ErrorContext context;
      context.operation = kIdTokenOperation;
      context.error_code = "invalid_id_token";
      throw AuthError("the scopes include openid but the token response carries no id_token",
                      std::move(context));
    }
    return;
  }
  tokens.id_claims = verifier.verify(tokens.id_token, nonce);
}

}  // namespace detail
}  // namespace roserocket
