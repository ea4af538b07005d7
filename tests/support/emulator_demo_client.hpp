#pragma once

// A client of the emulator's demo account at a base URL, for worker programs that a test runs as
// child processes (they get the emulator's address on their command line, not the Emulator).

#include <memory>
#include <string>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/client.hpp"

namespace rr_test {

/// @brief A client of the demo account (client credentials) of the emulator at @p base_url
/// ("http://127.0.0.1:PORT"). The demo credentials are not secrets: they only open the emulator.
inline roserocket::Client emulator_demo_client(const std::string& base_url) {
  roserocket::OAuthOptions oauth;
  oauth.token_url = base_url + "/oauth/token";
  oauth.client_id = "demo-client-id";
  oauth.client_secret = "demo-client-secret";
  roserocket::ClientOptions options;
  options.base_url = base_url;
  options.token_provider = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
  return roserocket::Client(options);
}

}  // namespace rr_test
