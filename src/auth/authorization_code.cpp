#include "roserocket/auth/authorization_code.hpp"

#include "auth/crypto.hpp"
#include "auth/id_token_check.hpp"
#include "auth/token_endpoint.hpp"
#include "http/url.hpp"
#include "roserocket/auth/loopback_receiver.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

constexpr const char* kCodeFlowOperation = "auth.authorization_code";

OAuthOptions prepared_for_code_flow(OAuthOptions options) {
  detail::prepare_oauth_options(options, "AuthorizationCodeFlow", /*needs_secret=*/false,
                                /*needs_authorize_url=*/true);
  detail::require_id_token_settings(options, "AuthorizationCodeFlow");
  return options;
}

// RFC 9207 §2.4: a redirect from another issuer (a mix-up attack) must not be exchanged.
void check_redirect_issuer(const OAuthOptions& options, const std::string& iss,
                           ErrorContext& context) {
  if (iss.empty() && !options.require_authorization_response_iss)
    return;
  if (iss.empty()) {
    context.error_code = "iss_missing";
    throw AuthError("the redirect carries no iss, which " + options.issuer +
                        " promises (RFC 9207); the code was not exchanged",
                    std::move(context));
  }
  if (!options.issuer.empty() && iss != options.issuer) {
    context.error_code = "iss_mismatch";
    throw AuthError("the redirect's iss \"" + iss.substr(0, 200) + "\" is not the issuer \"" +
                        options.issuer + "\" (RFC 9207); the code was not exchanged",
                    std::move(context));
  }
}

}  // namespace

std::string pkce_code_challenge(std::string_view code_verifier) {
  return detail::pkce_s256_challenge(code_verifier);
}

AuthorizationCodeFlow::AuthorizationCodeFlow(OAuthOptions options)
    : options_(prepared_for_code_flow(std::move(options))), id_verifier_(options_) {}

AuthorizationRequest AuthorizationCodeFlow::begin(const std::string& redirect_uri) const {
  if (redirect_uri.empty()) {
    throw InvalidArgumentError("AuthorizationCodeFlow::begin: the redirect URI is empty");
  }
  AuthorizationRequest out;
  out.redirect_uri = redirect_uri;
  out.state = detail::random_urlsafe(24);
  // 32 random bytes give a 43-character verifier, the shortest RFC 7636 allows, 256 bits strong.
  out.code_verifier = detail::random_urlsafe(32);

  detail::FormFields query;
  query.emplace_back("response_type", "code");
  query.emplace_back("client_id", options_.client_id);
  query.emplace_back("redirect_uri", redirect_uri);
  if (!options_.scopes.empty()) {
    std::string scope;
    for (const auto& s : options_.scopes)
      scope += (scope.empty() ? "" : " ") + s;
    query.emplace_back("scope", scope);
  }
  if (!options_.audience.empty())
    query.emplace_back("audience", options_.audience);
  for (const auto& r : options_.resources)
    query.emplace_back("resource", r);
  if (!options_.prompt.empty())
    query.emplace_back("prompt", options_.prompt);
  query.emplace_back("state", out.state);
  query.emplace_back("code_challenge", detail::pkce_s256_challenge(out.code_verifier));
  query.emplace_back("code_challenge_method", "S256");
  for (const auto& f : options_.authorize_params)
    query.push_back(f);
  if (detail::requests_openid(options_)) {
    out.nonce = detail::random_urlsafe(24);
    query.emplace_back("nonce", out.nonce);
  }
  for (const auto& f : options_.extra_params)
    query.push_back(f);
  out.url = options_.authorize_url +
            (options_.authorize_url.find('?') == std::string::npos ? "?" : "&") +
            detail::encode_form(query);
  return out;
}

TokenSet AuthorizationCodeFlow::exchange(const AuthorizationRequest& request,
                                         const AuthorizationResponse& response) const {
  ErrorContext context;
  context.operation = kCodeFlowOperation;
  if (response.state.empty() || response.state != request.state) {
    context.error_code = "state_mismatch";
    throw AuthError(
        "the redirect's state does not match the request's (a forged or stale redirect); "
        "the code was not exchanged",
        std::move(context));
  }
  if (response.code.empty()) {
    context.error_code = "invalid_response";
    throw AuthError("the redirect carries no authorization code", std::move(context));
  }
  check_redirect_issuer(options_, response.iss, context);
  if (detail::requests_openid(options_) && !options_.dangerously_skip_id_token_verification &&
      request.nonce.empty()) {
    throw InvalidArgumentError(
        "AuthorizationCodeFlow::exchange: the scopes include openid but the request has no nonce "
        "(make requests with begin())");
  }
  detail::FormFields fields;
  fields.emplace_back("code", response.code);
  fields.emplace_back("redirect_uri", request.redirect_uri);
  fields.emplace_back("code_verifier", request.code_verifier);
  TokenSet tokens = detail::request_tokens(options_, "authorization_code", std::move(fields),
                                           {response.code, request.code_verifier});
  detail::apply_id_token_checks(options_, id_verifier_, tokens, request.nonce,
                                /*required=*/true);
  return tokens;
}

AuthorizationResponse AuthorizationCodeFlow::parse_redirect(std::string_view redirect_url) {
  const auto hash = redirect_url.find('#');
  if (hash != std::string_view::npos)
    redirect_url = redirect_url.substr(0, hash);
  const auto question = redirect_url.find('?');
  const std::string_view query =
      question == std::string_view::npos
          ? (redirect_url.find('=') != std::string_view::npos ? redirect_url : std::string_view())
          : redirect_url.substr(question + 1);
  AuthorizationResponse out;
  std::string error;
  std::string description;
  for (auto& [key, value] : detail::parse_query(query)) {
    if (key == "code")
      out.code = std::move(value);
    if (key == "state")
      out.state = std::move(value);
    if (key == "iss")
      out.iss = std::move(value);
    if (key == "error")
      error = std::move(value);
    if (key == "error_description")
      description = std::move(value);
  }
  ErrorContext context;
  context.operation = kCodeFlowOperation;
  if (!error.empty()) {
    context.error_code = error;
    if (!description.empty())
      context.messages.push_back(description);
    throw AuthError("the authorization server refused the authorization", std::move(context));
  }
  if (out.code.empty() || out.state.empty()) {
    context.error_code = "invalid_response";
    throw AuthError("the redirect lacks code or state", std::move(context));
  }
  return out;
}

TokenSet AuthorizationCodeFlow::authorize_on_loopback(
    const std::function<void(const std::string& url)>& open_url, std::chrono::milliseconds timeout,
    std::uint16_t port) const {
  LoopbackRedirectReceiver receiver(port);
  const AuthorizationRequest request = begin(receiver.redirect_uri());
  open_url(request.url);
  const AuthorizationResponse response = receiver.wait(timeout, request.state);
  return exchange(request, response);
}

}  // namespace roserocket
