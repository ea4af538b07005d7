#include "roserocket/auth/client_credentials.hpp"

#include "auth/id_token_check.hpp"
#include "auth/token_endpoint.hpp"

namespace roserocket {
namespace {

OAuthOptions prepared_for_client_credentials(OAuthOptions options) {
  detail::prepare_oauth_options(options, "ClientCredentialsTokenProvider", /*needs_secret=*/true,
                                /*needs_authorize_url=*/false);
  return options;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes)
    out += (out.empty() ? "" : " ") + s;
  return out;
}

}  // namespace

ClientCredentialsTokenProvider::ClientCredentialsTokenProvider(OAuthOptions options)
    : CachingTokenProvider(prepared_for_client_credentials(std::move(options))),
      id_verifier_(this->options()) {}

TokenSet ClientCredentialsTokenProvider::fetch(const std::optional<TokenSet>& /*current*/) {
  detail::FormFields fields;
  if (!options().audience.empty())
    fields.emplace_back("audience", options().audience);
  if (!options().scopes.empty())
    fields.emplace_back("scope", join_scopes(options().scopes));
  TokenSet tokens = detail::request_tokens(options(), "client_credentials", std::move(fields), {});
  // Client credentials sign no user in; an ID token, if a server sends one, is still checked.
  detail::apply_id_token_checks(options(), id_verifier_, tokens, {}, /*required=*/false);
  return tokens;
}

}  // namespace roserocket
