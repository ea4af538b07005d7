#pragma once

// Shared by the integration tests that drive the SDK (not a plain HTTP client) against an
// in-process emulator: the token settings for the emulator's demo client.

#include <chrono>

#include "roserocket/auth/oauth.hpp"
#include "rr_emulator/emulator.hpp"

namespace roserocket_test {

/// @brief Client-credentials settings for @p emulator's demo client, with the provider's clock
/// frozen and no refresh skew: it keeps its token until the API refuses it (401), then
/// refreshes once, so that a test decides when a token expires.
inline roserocket::OAuthOptions frozen_demo_oauth(const rr_emulator::Emulator& emulator) {
  roserocket::OAuthOptions oauth;
  oauth.token_url = emulator.token_url();
  oauth.client_id = rr_emulator::kDemoClientId;
  oauth.client_secret = rr_emulator::kDemoClientSecret;
  oauth.refresh_skew = std::chrono::seconds(0);
  const auto frozen = std::chrono::system_clock::now();
  oauth.clock.system_now = [frozen] { return frozen; };
  return oauth;
}

}  // namespace roserocket_test
