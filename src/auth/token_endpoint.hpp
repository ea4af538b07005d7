#pragma once

// Private: one token request (RFC 6749 §4-6), shared by every grant.

#include <string>
#include <utility>
#include <vector>

#include "roserocket/auth/oauth.hpp"

namespace roserocket::detail {

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// @brief Fills a null transport and checks the endpoints; @p what names the caller in errors.
void prepare_oauth_options(OAuthOptions& options, const char* what, bool needs_secret,
                           bool needs_authorize_url);

/// @brief Posts `grant_type=@p grant` plus @p fields, `extra_params` and client authentication.
/// @param secrets values (besides the client secret) that must never reach a message.
/// @throw AuthError for an error answer, MalformedResponseError for an unreadable 2xx,
/// TransportError when no answer came.
TokenSet request_tokens(const OAuthOptions& options, const std::string& grant, FormFields fields,
                        const std::vector<std::string>& secrets);

/// @brief Replaces each of @p secrets (and nothing shorter than 4 characters) with "***".
std::string redact_all(std::string text, const std::vector<std::string>& secrets);

}  // namespace roserocket::detail
