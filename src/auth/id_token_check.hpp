#pragma once

// Private: how the grants apply ID-token checks (docs/auth.md, "ID tokens").

#include <string_view>

#include "roserocket/auth/id_token.hpp"
#include "roserocket/auth/oauth.hpp"

namespace roserocket::detail {

/// @brief Whether `openid` is among @p options' scopes.
bool requests_openid(const OAuthOptions& options);

/// @brief For grants that sign a user in: with `openid` requested, a key set must be reachable
/// (`jwks_url`, or `issuer` for discovery) unless verification is switched off.
/// @throw InvalidArgumentError naming the settings; @p what names the caller.
void require_id_token_settings(const OAuthOptions& options, const char* what);

/// @brief Verifies @p tokens' ID token when @p options request `openid` and fills `id_claims`.
/// @param nonce the nonce the authorize request carried; empty: not checked.
/// @param required whether a missing `id_token` is an error (the code exchange, OIDC §3.1.3.3).
/// @throw AuthError (see IdTokenVerifier::verify), TransportError.
void apply_id_token_checks(const OAuthOptions& options, const IdTokenVerifier& verifier,
                           TokenSet& tokens, std::string_view nonce, bool required);

}  // namespace roserocket::detail
