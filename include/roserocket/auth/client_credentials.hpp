#pragma once

/// @file
/// @brief The client-credentials grant, for service accounts.

#include "roserocket/auth/caching_token_provider.hpp"
#include "roserocket/auth/id_token.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Gets tokens with `grant_type=client_credentials` (plus `audience`, `scope` and
/// `extra_params` such as Rose Rocket's `org_id`/`user_id`), cached until shortly before expiry.
///
/// @code
/// roserocket::OAuthOptions oauth;
/// oauth.client_id = "my-client";
/// oauth.client_secret = std::getenv("RR_CLIENT_SECRET");
/// auto tokens = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
/// @endcode
///
/// Thread safety: as `CachingTokenProvider`.
class ROSEROCKET_API ClientCredentialsTokenProvider final : public CachingTokenProvider {
 public:
  /// @throw InvalidArgumentError without client id or secret (or, for
  /// `ClientAuthMethod::kPrivateKeyJwt`, without a usable `client_assertion_key`), or for an
  /// unsafe token URL.
  explicit ClientCredentialsTokenProvider(OAuthOptions options);

 protected:
  TokenSet fetch(const std::optional<TokenSet>& current) override;

 private:
  IdTokenVerifier id_verifier_;
};

}  // namespace roserocket
