#include "roserocket/auth/refresh_token.hpp"

#include "auth/id_token_check.hpp"
#include "auth/token_endpoint.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

OAuthOptions prepared_for_refresh(OAuthOptions options) {
  detail::prepare_oauth_options(options, "RefreshTokenProvider", /*needs_secret=*/false,
                                /*needs_authorize_url=*/false);
  detail::require_id_token_settings(options, "RefreshTokenProvider");
  return options;
}

}  // namespace

RefreshTokenProvider::RefreshTokenProvider(OAuthOptions options, std::optional<TokenSet> initial)
    : CachingTokenProvider(prepared_for_refresh(std::move(options))),
      id_verifier_(this->options()) {
  if (initial) {
    if (initial->refresh_token.empty() && initial->access_token.empty()) {
      throw InvalidArgumentError(
          "RefreshTokenProvider: the initial token set has neither a refresh nor an access token");
    }
    install(std::move(*initial));
    return;
  }
  const auto loaded = tokens();
  if (!loaded || (loaded->refresh_token.empty() && loaded->access_token.empty())) {
    throw InvalidArgumentError(
        "RefreshTokenProvider: no initial tokens given and the token store holds none; run the "
        "authorization-code flow first");
  }
}

bool RefreshTokenProvider::can_fetch(const std::optional<TokenSet>& current) const {
  return current && !current->refresh_token.empty();
}

TokenSet RefreshTokenProvider::fetch(const std::optional<TokenSet>& current) {
  // can_fetch() was checked by the caller under the lock.
  const std::string refresh_token = current->refresh_token;
  detail::FormFields fields;
  fields.emplace_back("refresh_token", refresh_token);
  TokenSet tokens =
      detail::request_tokens(options(), "refresh_token", std::move(fields), {refresh_token});
  // OIDC Core §12.2: no nonce check; the user must stay the same one.
  detail::apply_id_token_checks(options(), id_verifier_, tokens, {}, /*required=*/false);
  if (tokens.id_claims && current->id_claims &&
      (tokens.id_claims->subject != current->id_claims->subject ||
       tokens.id_claims->issuer != current->id_claims->issuer)) {
    ErrorContext context;
    context.operation = "auth.refresh_token";
    context.error_code = "invalid_id_token";
    throw AuthError("the refreshed ID token names another user (sub or iss changed)",
                    std::move(context));
  }
  return tokens;
}

}  // namespace roserocket
