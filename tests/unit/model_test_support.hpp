#pragma once

// Shared by the model, facade and Boards/Events/UserGroups tests: a Client over a MockTransport
// whose retries take no real time.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "roserocket/roserocket.hpp"
#include "roserocket/testing/mock_transport.hpp"

namespace rr_test {

inline const std::string kBase = "https://network.roserocket.com/api/v2/platformModel";

struct MockClient {
  std::shared_ptr<roserocket::mock::MockTransport> mock =
      std::make_shared<roserocket::mock::MockTransport>();
  roserocket::Client client;

  explicit MockClient(roserocket::RetryPolicy retry = roserocket::RetryPolicy::none())
      : client(options(mock, retry)) {}

  static roserocket::ClientOptions options(
      const std::shared_ptr<roserocket::mock::MockTransport>& mock, roserocket::RetryPolicy retry) {
    roserocket::ClientOptions o;
    o.transport = mock;
    o.token_provider = std::make_shared<roserocket::StaticTokenProvider>("test-token");
    o.retry = retry;
    o.clock = roserocket::Clock::real();
    o.clock.sleep = [](std::chrono::milliseconds) {};  // backoff without waiting
    return o;
  }

  // The JSON body of request @p i (JSON null when it had none).
  [[nodiscard]] nlohmann::json body(std::size_t i) const {
    const auto r = mock->requests().at(i);
    return r.body.empty() ? nlohmann::json() : nlohmann::json::parse(r.body);
  }
  [[nodiscard]] std::string url(std::size_t i) const { return mock->requests().at(i).url; }
  [[nodiscard]] roserocket::HttpMethod method(std::size_t i) const {
    return mock->requests().at(i).method;
  }
};

}  // namespace rr_test
