#pragma once

// A client of the emulator's demo account at a base URL, for worker programs that a test runs as
// child processes (they get the emulator's address on their command line, not the Emulator), and
// for the benchmarks (bench/), which add their own transport settings.

#include <memory>
#include <string>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/client.hpp"

namespace rr_test {

/// @brief A client of the demo account (client credentials) of the emulator at @p base_url
/// ("http://127.0.0.1:PORT"). The demo credentials are not secrets: they only open the emulator.
/// @param options everything else (transport settings, ...); its base URL and token provider
/// are replaced.
/// @param token_base where the emulator's `/oauth/token` is, when not at @p base_url (a proxy
/// in front of the API).
inline roserocket::Client emulator_demo_client(const std::string& base_url,
                                               roserocket::ClientOptions options = {},
                                               const std::string& token_base = "") {
  roserocket::OAuthOptions oauth;
  oauth.token_url = (token_base.empty() ? base_url : token_base) + "/oauth/token";
  oauth.client_id = "demo-client-id";
  oauth.client_secret = "demo-client-secret";
  options.base_url = base_url;
  options.token_provider = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
  return roserocket::Client(options);
}

}  // namespace rr_test
