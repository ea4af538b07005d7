#pragma once

/// @file
/// @brief What every OAuth 2.0 grant shares: endpoint settings (`OAuthOptions`) and the token set
/// an endpoint returns (`TokenSet`).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "roserocket/auth/id_token.hpp"
#include "roserocket/export.hpp"
#include "roserocket/http/curl_transport.hpp"
#include "roserocket/http/transport.hpp"
#include "roserocket/logging.hpp"
#include "roserocket/retry.hpp"

namespace roserocket {

class TokenStore;

/// @brief How the client proves its identity to the token endpoint (RFC 6749 §2.3.1).
enum class ClientAuthMethod {
  /// `client_id` and `client_secret` in the request body.
  kClientSecretPost,
  /// `Authorization: Basic base64(client_id:client_secret)`; the body carries neither.
  kClientSecretBasic,
  /// `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9): a JWT signed with
  /// `OAuthOptions::client_assertion_key` in `client_assertion`; no secret is sent.
  kPrivateKeyJwt,
};

/// @brief Signature algorithm of `private_key_jwt` client assertions.
enum class ClientAssertionAlgorithm {
  /// RSASSA-PKCS1-v1_5 with SHA-256; needs an RSA key of at least 2048 bits.
  kRS256,
  /// ECDSA on P-256 with SHA-256; needs an EC P-256 key.
  kES256,
};

/// @brief The body format of token requests. Auth0 accepts both.
enum class TokenRequestEncoding {
  /// `application/x-www-form-urlencoded`, as RFC 6749 specifies.
  kForm,
  /// `application/json`.
  kJson,
};

/// @brief The tokens one successful token response carried. Value type.
///
/// Holds secrets: never print or log a `TokenSet`.
struct ROSEROCKET_API TokenSet {
  /// The bearer token for `Authorization: Bearer`.
  std::string access_token;
  /// Usually "Bearer".
  std::string token_type = "Bearer";
  /// Empty when the server issued none (ask for `offline_access` to get one).
  std::string refresh_token;
  /// OpenID Connect ID token, when `openid` was requested.
  std::string id_token;
  /// The granted scopes, space-separated, when the server said.
  std::string scope;
  /// When the access token stops working; empty when the server sent no `expires_in`.
  std::optional<std::chrono::system_clock::time_point> expires_at;
  /// The claims of `id_token` once verified (see `IdTokenVerifier`); empty when there is no ID
  /// token, `openid` was not requested, or verification was switched off. Not saved by token
  /// stores: a set loaded from one has none.
  std::optional<IdTokenClaims> id_claims;
};

/// @brief Settings shared by every grant: endpoints, client credentials, body format, caching.
///
/// Defaults point at Rose Rocket's Auth0 tenant (`https://a.roserocket.com`, audience
/// `https://roserocket.com`). With `issuer` set, the endpoints left empty come from the issuer's
/// OpenID discovery document instead (fetched once when the provider or flow is constructed).
/// Plain `http://` endpoints are refused unless the host is loopback.
///
/// A value type, copied into each provider; not shared between threads by the SDK.
struct ROSEROCKET_API OAuthOptions {
  /// Token endpoint. Empty (the default): discovered from `issuer` when one is set, else Rose
  /// Rocket's `https://a.roserocket.com/oauth/token`. A URL set here always wins.
  std::string token_url;
  /// Authorization endpoint (authorization-code grant only). Empty (the default): discovered from
  /// `issuer` when one is set, else Rose Rocket's `https://a.roserocket.com/authorize`.
  std::string authorize_url;
  /// OpenID issuer identifier, e.g. "https://a.roserocket.com". When set, the endpoints are
  /// read from its discovery document unless given explicitly, and ID tokens must name it as `iss`.
  std::string issuer;
  /// The issuer's JSON Web Key Set (signing keys of ID tokens); discovered from `issuer` when
  /// empty.
  std::string jwks_url;
  /// The OAuth application's client id (required).
  std::string client_id;
  /// Never logged, never part of an exception message.
  std::string client_secret;
  /// Sent as `audience` when not empty (an Auth0 parameter, right for Rose Rocket). A generic
  /// OpenID provider usually wants it empty (use `resource` there).
  std::string audience = "https://roserocket.com";
  /// Sent as `scope`, space-separated, when not empty (e.g. "openid", "offline_access").
  std::vector<std::string> scopes;
  /// Deprecated: use `authorize_params` and `token_params`. Still sent where it always went, in
  /// the authorize URL and in every token request (after those two lists).
  std::vector<std::pair<std::string, std::string>> extra_params;
  /// How the client secret is sent to the token endpoint.
  ClientAuthMethod client_auth = ClientAuthMethod::kClientSecretPost;
  /// How token request bodies are encoded (form or JSON).
  TokenRequestEncoding encoding = TokenRequestEncoding::kForm;
  /// Sends token requests; when null a `CurlTransport` is made from `transport_options`.
  std::shared_ptr<HttpTransport> transport;
  /// Used only when `transport` is null.
  CurlTransportOptions transport_options;
  /// Limit on one token request.
  std::chrono::milliseconds request_timeout{30000};
  /// A cached token is renewed this long before `expires_in` runs out.
  std::chrono::seconds refresh_skew{60};
  /// Time source for expiry; tests replace `system_now`.
  Clock clock = Clock::real();
  /// Receives one record per token request; never a secret.
  Logger logger;
  /// Receives every new token set (rotated refresh tokens included); when null, the provider
  /// makes its own `InMemoryTokenStore`.
  std::shared_ptr<TokenStore> token_store;
  /// Called with every new token set, after `token_store`. Should not throw (a throw is logged
  /// and ignored) and must not call back into the provider (it runs inside its refresh).
  std::function<void(const TokenSet&)> on_tokens;
  /// Allow plain `http://` to non-loopback hosts. Only for a test network.
  bool dangerously_allow_plain_http = false;

  // Issue 15: token retries, discovery, resource/prompt, parameters by destination.

  /// Retries of token requests (and of the discovery request): connection failures, 429, 502,
  /// 503 and 504 are sent again with backoff, `Retry-After` honoured; 400/401/403 never are.
  /// `RetryPolicy::none()` turns retries off.
  RetryPolicy retry;
  /// RFC 8707 resource indicators (absolute URIs; may repeat), sent as one `resource` parameter
  /// each in the authorize URL and in every token request.
  std::vector<std::string> resources;
  /// OpenID `prompt` ("login", "consent", "none", "select_account"...), authorize URL only.
  std::string prompt;
  /// Extra parameters for the authorize URL only.
  std::vector<std::pair<std::string, std::string>> authorize_params;
  /// Extra fields for every token request only, e.g. Rose Rocket's `{"org_id", "..."}` and
  /// `{"user_id", "..."}`.
  std::vector<std::pair<std::string, std::string>> token_params;
  /// RFC 9207: the authorization redirect must carry `iss`, equal to `issuer`. Set by discovery
  /// when the document has `authorization_response_iss_parameter_supported: true`; an `iss` that
  /// arrives is checked against `issuer` either way.
  bool require_authorization_response_iss = false;
  // OpenID ID-token checks and private_key_jwt (docs/auth.md).
  /// Slack for an ID token's `exp` and `iat` against `clock` (clock differences with the issuer).
  std::chrono::seconds id_token_skew{60};
  /// Accept ID tokens unchecked (`TokenSet::id_claims` stays empty) when `openid` is requested.
  /// Without it, `openid` needs `issuer` (discovery) or `jwks_url`. Only for providers that
  /// publish no keys; an unchecked ID token proves nothing about the user.
  bool dangerously_skip_id_token_verification = false;
  /// PEM private key (PKCS#8 or traditional, unencrypted) for `ClientAuthMethod::kPrivateKeyJwt`.
  /// A secret: never logged, never part of an exception message.
  std::string client_assertion_key;
  /// `kid` header of client assertions: the key's id as registered at the provider; empty: none.
  std::string client_assertion_kid;
  /// Signature algorithm of client assertions; must fit `client_assertion_key`.
  ClientAssertionAlgorithm client_assertion_algorithm = ClientAssertionAlgorithm::kRS256;
  /// Lifetime of one client assertion (`exp` - `iat`), 1 to 600 seconds.
  std::chrono::seconds client_assertion_lifetime{60};
};

}  // namespace roserocket
