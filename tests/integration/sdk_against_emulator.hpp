#pragma once

// Shared by the integration tests that drive the SDK (not a plain HTTP client) against an
// in-process emulator: the token settings for the emulator's demo client.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/client.hpp"
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

/// @brief A fixture: an in-process emulator and a client of its demo account (client
/// credentials), both new for each test; `served()` counts the API requests the emulator answered.
class EmulatorClientTest : public ::testing::Test {
 public:
  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>();
    emulator_->start();
    roserocket::OAuthOptions oauth;
    oauth.token_url = emulator_->token_url();
    oauth.client_id = rr_emulator::kDemoClientId;
    oauth.client_secret = rr_emulator::kDemoClientSecret;
    roserocket::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
    client_ = std::make_unique<roserocket::Client>(options);
  }

  // The client goes first: its pooled keep-alive connections would hold the server's stop.
  void TearDown() override {
    client_.reset();
    emulator_->stop();
  }

  /// API requests the emulator served for "METHOD /api/v2/platformModel<path>".
  std::uint64_t served(const std::string& method_and_path) const {
    const auto stats = emulator_->stats();
    const auto it = stats.api_requests.find(method_and_path);
    return it == stats.api_requests.end() ? 0 : it->second;
  }

  roserocket::Client& client() { return *client_; }
  rr_emulator::Emulator& emulator() { return *emulator_; }

 private:
  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::unique_ptr<roserocket::Client> client_;
};

}  // namespace roserocket_test
