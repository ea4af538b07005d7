#pragma once

// Private: private_key_jwt client authentication (RFC 7523 §2.2, OIDC Core §9).

#include <string>
#include <utility>
#include <vector>

#include "roserocket/auth/oauth.hpp"

namespace roserocket::detail {

/// @brief Checks the private_key_jwt settings: a readable PEM private key that fits the
/// algorithm, and a lifetime of 1 to 600 seconds.
/// @throw InvalidArgumentError starting with @p prefix, never quoting the key.
void check_client_assertion_settings(const OAuthOptions& options, const std::string& prefix);

/// @brief Adds `client_assertion_type` and a fresh signed `client_assertion` (iss = sub =
/// client_id, aud = token_url, random jti, iat, exp) to @p fields, and the assertion to
/// @p secrets so that no message ever shows it.
/// @throw InvalidArgumentError when the key cannot be used.
void append_client_assertion(const OAuthOptions& options,
                             std::vector<std::pair<std::string, std::string>>& fields,
                             std::vector<std::string>& secrets);

}  // namespace roserocket::detail
