#pragma once

/// @file
/// @brief OpenID Connect discovery: an issuer's `/.well-known/openid-configuration` document.

#include <string>
#include <vector>

#include "roserocket/auth/oauth.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief The parts of an OpenID Provider's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414)
/// the SDK uses. Value type. Absent members are empty (or false).
struct ROSEROCKET_API OpenIdConfiguration {
  /// The issuer identifier the document names; checked against the configured one.
  std::string issuer;
  /// Where the authorization-code flow sends the browser.
  std::string authorization_endpoint;
  /// Where tokens are requested.
  std::string token_endpoint;
  /// The issuer's JSON Web Key Set (ID-token signing keys).
  std::string jwks_uri;
  /// RFC 9207: the authorization redirect carries `iss`.
  bool authorization_response_iss_parameter_supported = false;
  /// E.g. "client_secret_post", "client_secret_basic", "private_key_jwt".
  std::vector<std::string> token_endpoint_auth_methods_supported;
  /// E.g. "code".
  std::vector<std::string> response_types_supported;
  /// E.g. "authorization_code", "client_credentials", "refresh_token".
  std::vector<std::string> grant_types_supported;
  /// E.g. "S256".
  std::vector<std::string> code_challenge_methods_supported;
  /// E.g. "RS256", "ES256".
  std::vector<std::string> id_token_signing_alg_values_supported;
};

/// @brief Fetches and checks the discovery document of `options.issuer`.
///
/// GETs `{issuer}/.well-known/openid-configuration` (a trailing `/` of the issuer is not
/// doubled) through `options.transport` (a `CurlTransport` from `options.transport_options` when
/// null), retrying as `options.retry` says. Providers and flows call this once, when they are
/// constructed with an `issuer`; call it yourself only to inspect a provider's metadata.
///
/// The document's `issuer` must equal `options.issuer` (OpenID Connect Discovery §4.3); the one
/// tolerance is a single trailing `/` on either side (Auth0, which Rose Rocket uses, names its
/// issuer `https://a.roserocket.com/`).
///
/// Thread-safe (it shares no state); the transport must be.
/// @param options `issuer` (required), transport, timeouts, retry policy, clock, logger.
/// @return the document's members the SDK reads.
/// @throw InvalidArgumentError when `issuer` is empty or not https (loopback excepted),
/// AuthError when the document names another issuer or the server refused or redirected,
/// MalformedResponseError when the document is not a JSON object,
/// TransportError when no answer came.
[[nodiscard]] ROSEROCKET_API OpenIdConfiguration
discover_openid_configuration(const OAuthOptions& options);

}  // namespace roserocket
