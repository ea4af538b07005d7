#pragma once

/// @file
/// @brief Which authorization server belongs with an API base URL (issue 23, ADR 0022).

#include <optional>
#include <string>
#include <string_view>

#include "roserocket/export.hpp"

namespace roserocket {

/// @brief The OAuth endpoints of one authorization server. A value type.
struct ROSEROCKET_API OAuthEndpoints {
  /// Where tokens are requested (the client secret goes here).
  std::string token_url;
  /// Where the authorization-code flow sends the browser.
  std::string authorize_url;
  /// The OpenID issuer identifier (discovery, the `iss` of ID tokens).
  std::string issuer;
  /// The issuer's key set; empty when it is to be read from discovery.
  std::string jwks_url;
};

/// @brief The authorization server that serves the API at @p base_url, when its layout is known.
///
/// Two layouts are known, and nothing else is guessed, so that a client secret only ever goes to
/// a host the user named:
/// - Rose Rocket: an `https` host `roserocket.com` or `*.roserocket.com` (the default
///   `https://network.roserocket.com`, an organisation's host) authenticates at Rose Rocket's
///   Auth0 tenant, `https://a.roserocket.com` (`/oauth/token`, `/authorize`).
/// - The emulator (`rr-emulator`, `roserocket::emulator`): a loopback host (127.0.0.0/8, `::1`,
///   `localhost`) serves its OAuth routes on the same origin: `<origin>/oauth/token`,
///   `<origin>/authorize`, issuer `<origin>`, keys at `<origin>/.well-known/jwks.json`.
///
/// Any other host (a staging server, a proxy, the emulator on another machine) has no known
/// layout: name its token URL (`OAuthOptions::token_url`, `RR_TOKEN_URL`, `rr --token-url`).
///
/// @param base_url an absolute URL, scheme and host (a path is ignored).
/// @return the endpoints, or empty when the layout is unknown or @p base_url is not an absolute
/// http(s) URL.
[[nodiscard]] ROSEROCKET_API std::optional<OAuthEndpoints> oauth_endpoints_for(
    std::string_view base_url);

}  // namespace roserocket
