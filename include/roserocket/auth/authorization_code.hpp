#pragma once

/// @file
/// @brief The authorization-code grant with PKCE (S256), for acting as a signed-in user.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "roserocket/auth/id_token.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief One authorization attempt: the URL to open and what must be checked on return.
///
/// `state` and `code_verifier` are fresh CSPRNG values per attempt. The verifier is a secret:
/// never print or log it.
struct ROSEROCKET_API AuthorizationRequest {
  /// The authorize URL to open in a browser.
  std::string url;
  /// Must come back unchanged on the redirect (CSRF protection).
  std::string state;
  /// PKCE verifier, sent only with the code exchange.
  std::string code_verifier;
  /// The redirect URI the URL names; the exchange repeats it.
  std::string redirect_uri;
  /// OpenID `nonce` (when `openid` is requested): the ID token of the exchange must carry it.
  std::string nonce;
};

/// @brief What the redirect brought back. `code` is a secret.
struct ROSEROCKET_API AuthorizationResponse {
  /// @brief An empty response, to fill member by member.
  AuthorizationResponse() = default;
  /// @brief The redirect's values; `{code, state}` keeps compiling warning-free now that `iss`
  /// joined them.
  /// @param code_value the authorization code.
  /// @param state_value the returned `state`.
  /// @param iss_value the returned `iss` (RFC 9207), empty when none came.
  AuthorizationResponse(std::string code_value, std::string state_value, std::string iss_value = {})
      : code(std::move(code_value)), state(std::move(state_value)), iss(std::move(iss_value)) {}

  /// The authorization code, to exchange for tokens; a secret, never logged.
  std::string code;
  /// The `state` the redirect carried; checked against the one sent.
  std::string state;
  /// The `iss` the redirect carried (RFC 9207), empty when none; checked against
  /// `OAuthOptions::issuer` by `AuthorizationCodeFlow::exchange`.
  std::string iss;
};

/// @brief Builds authorize URLs and exchanges the returned code for tokens.
///
/// @code
/// roserocket::AuthorizationCodeFlow flow(oauth);
/// roserocket::LoopbackRedirectReceiver receiver;
/// auto request = flow.begin(receiver.redirect_uri());
/// open_in_browser(request.url);
/// auto tokens = flow.exchange(request, receiver.wait(std::chrono::minutes(5), request.state));
/// auto provider = std::make_shared<roserocket::RefreshTokenProvider>(oauth, tokens);
/// @endcode
///
/// Thread safety: const member functions may be called from any number of threads at once.
class ROSEROCKET_API AuthorizationCodeFlow {
 public:
  /// @throw InvalidArgumentError without client id, or for an unsafe authorize or token URL, or
  /// when the scopes include `openid` but neither `issuer` nor `jwks_url` is set (unless
  /// `dangerously_skip_id_token_verification`).
  explicit AuthorizationCodeFlow(OAuthOptions options);

  /// @brief A new attempt: fresh `state` and PKCE verifier, and the authorize URL with
  /// `response_type=code`, `client_id`, `redirect_uri`, `scope`, `audience`, `state`,
  /// `code_challenge` and `code_challenge_method=S256` (plus `extra_params`), and a fresh
  /// `nonce` when the scopes include `openid`.
  /// @throw InvalidArgumentError for an empty redirect URI.
  [[nodiscard]] AuthorizationRequest begin(const std::string& redirect_uri) const;

  /// @brief Checks `state` and exchanges the code (`grant_type=authorization_code`, `code`,
  /// `redirect_uri`, `code_verifier`). With `openid` among the scopes the answer must carry an
  /// ID token that passes `IdTokenVerifier` with @p request's nonce; its claims are in
  /// `TokenSet::id_claims`.
  /// @throw AuthError with error_code "state_mismatch" when the state differs (nothing is sent),
  /// with the OAuth `error` when the token endpoint refuses, or "invalid_id_token" /
  /// "id_token_unverifiable" when the ID token is missing or fails a check.
  /// @throw InvalidArgumentError when `openid` is requested but @p request has no nonce.
  [[nodiscard]] TokenSet exchange(const AuthorizationRequest& request,
                                  const AuthorizationResponse& response) const;

  /// @brief Reads `code` and `state` from a redirect URL or its query string.
  /// @throw AuthError with the OAuth `error` when the redirect carries one (e.g. access_denied),
  /// or "invalid_response" when code or state is missing.
  [[nodiscard]] static AuthorizationResponse parse_redirect(std::string_view redirect_url);

  /// @brief The whole flow on a loopback port: starts a `LoopbackRedirectReceiver` on
  /// @p port (0: any free port), calls @p open_url with the authorize URL (open a browser, or
  /// follow it yourself), waits up to @p timeout for the redirect, and exchanges the code.
  /// @throw AuthError, TimeoutError when no redirect arrives in time, TransportError.
  [[nodiscard]] TokenSet authorize_on_loopback(
      const std::function<void(const std::string& url)>& open_url,
      std::chrono::milliseconds timeout, std::uint16_t port = 0) const;

  /// @brief The options this flow was made with.
  [[nodiscard]] const OAuthOptions& options() const noexcept { return options_; }

 private:
  OAuthOptions options_;
  IdTokenVerifier id_verifier_;
};

/// @brief The PKCE S256 code challenge of @p code_verifier: BASE64URL(SHA256(verifier)).
[[nodiscard]] ROSEROCKET_API std::string pkce_code_challenge(std::string_view code_verifier);

}  // namespace roserocket
