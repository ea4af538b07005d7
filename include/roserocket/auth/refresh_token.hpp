#pragma once

/// @file
/// @brief The refresh-token grant: keeps a user's session alive and rotates refresh tokens.

#include <optional>

#include "roserocket/auth/caching_token_provider.hpp"
#include "roserocket/auth/id_token.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Serves a user's access token and renews it with `grant_type=refresh_token`.
///
/// When the server rotates refresh tokens (returns a new one with each refresh) the new one
/// replaces the old; when it returns none the old one is kept. Every new set goes to
/// `OAuthOptions::token_store` and `OAuthOptions::on_tokens`, so a rotated refresh token is never
/// lost. Typical start: the `TokenSet` from `AuthorizationCodeFlow`, or a saved one.
///
/// Thread safety: as `CachingTokenProvider`.
class ROSEROCKET_API RefreshTokenProvider final : public CachingTokenProvider {
 public:
  /// @param initial the tokens to start from; when empty, `options.token_store` is loaded.
  /// @param options the OAuth application, token endpoint and token store.
  /// @throw InvalidArgumentError when neither gives a refresh token or an access token, without a
  /// client id, or for an unsafe token URL.
  explicit RefreshTokenProvider(OAuthOptions options, std::optional<TokenSet> initial = {});

 protected:
  TokenSet fetch(const std::optional<TokenSet>& current) override;
  bool can_fetch(const std::optional<TokenSet>& current) const override;

 private:
  IdTokenVerifier id_verifier_;
};

}  // namespace roserocket
