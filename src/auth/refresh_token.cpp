#include "roserocket/auth/refresh_token.hpp"

#include "auth/token_endpoint.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

OAuthOptions prepared(OAuthOptions options) {
  detail::prepare_oauth_options(options, "RefreshTokenProvider", /*needs_secret=*/false,
                                /*needs_authorize_url=*/false);
  return options;
}

}  // namespace

RefreshTokenProvider::RefreshTokenProvider(OAuthOptions options, std::optional<TokenSet> initial)
    : CachingTokenProvider(prepared(std::move(options))) {
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
  return detail::request_tokens(options(), "refresh_token", std::move(fields), {refresh_token});
}

}  // namespace roserocket
