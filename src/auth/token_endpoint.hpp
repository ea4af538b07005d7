#pragma once

// Private: one token request (RFC 6749 §4-6), shared by every grant.

#include <string>
#include <utility>
#include <vector>

#include "roserocket/auth/oauth.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::detail {

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// @brief Fills a null transport, the endpoints (discovered from `issuer`, else Rose Rocket's)
/// and checks them; @p what names the caller in errors.
void prepare_oauth_options(OAuthOptions& options, const char* what, bool needs_secret,
                           bool needs_authorize_url);

/// @brief Posts `grant_type=@p grant` plus @p fields, `resources`, `token_params`, `extra_params`
/// and client authentication, with retries (send_with_retries).
/// @param secrets values (besides the client secret) that must never reach a message.
/// @throw AuthError for an error answer, MalformedResponseError for an unreadable 2xx,
/// TransportError when no answer came.
TokenSet request_tokens(const OAuthOptions& options, const std::string& grant, FormFields fields,
                        const std::vector<std::string>& secrets);

/// @brief Sends @p http through `options.transport`, again after a backoff (or the server's
/// `Retry-After`) while `options.retry` allows, on a TransportError or a 429, 502, 503 or 504.
/// @p context names the operation (logs) and gets the final status. @p hidden are redacted from
/// every log record and message.
/// @return the last response: 2xx, or any status not retried (or out of retries).
/// @throw AuthError for a redirect (3xx), naming it and its Location's host; TransportError or
/// TimeoutError (summary redacted) when the last attempt got no answer.
HttpResponse send_with_retries(const OAuthOptions& options, const HttpRequest& http,
                               ErrorContext& context, const std::vector<std::string>& hidden);

/// @brief Whether a token (or discovery) request answered with @p status is sent again.
bool is_token_retryable_status(int status) noexcept;

/// @brief Rose Rocket's endpoints, used when neither an URL nor an issuer is set.
inline constexpr const char* kRoseRocketTokenUrl = "https://a.roserocket.com/oauth/token";
inline constexpr const char* kRoseRocketAuthorizeUrl = "https://a.roserocket.com/authorize";

/// @brief Replaces each of @p secrets (and nothing shorter than 4 characters) with "***".
std::string redact_all(std::string text, const std::vector<std::string>& secrets);

}  // namespace roserocket::detail
