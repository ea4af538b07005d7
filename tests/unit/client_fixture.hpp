#pragma once

// A Client over the mock transport with a fake clock: retries take no real time and every sleep
// is recorded, so tests can assert on the backoff the client chose.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "roserocket/testing/mock_transport.hpp"

namespace rr_test {

struct FakeClock {
  std::chrono::steady_clock::time_point steady{};
  std::chrono::system_clock::time_point system = std::chrono::system_clock::from_time_t(1700000000);
  std::vector<std::chrono::milliseconds> sleeps;

  roserocket::Clock clock() {
    roserocket::Clock c;
    c.steady_now = [this] { return steady; };
    c.system_now = [this] { return system; };
    c.sleep = [this](std::chrono::milliseconds d) {
      sleeps.push_back(d);
      steady += d;
      system += d;
    };
    return c;
  }
};

class ClientTest : public ::testing::Test {
 protected:
  static constexpr const char* kToken = "unit-test-token-7f3a";
  static constexpr const char* kBase = "https://network.roserocket.com/api/v2/platformModel";

  roserocket::ClientOptions options() {
    roserocket::ClientOptions o;
    o.transport = mock;
    o.token_provider = std::make_shared<roserocket::StaticTokenProvider>(kToken);
    o.clock = fake.clock();
    o.jitter_seed = 42;
    return o;
  }

  roserocket::Client client() { return roserocket::Client(options()); }
  roserocket::ObjectsApi objects() { return client().objects(); }

  roserocket::HttpRequest last() const { return mock->last_request(); }
  nlohmann::json last_body() const { return nlohmann::json::parse(mock->last_request().body); }

  std::shared_ptr<roserocket::mock::MockTransport> mock =
      std::make_shared<roserocket::mock::MockTransport>();
  FakeClock fake;
};

}  // namespace rr_test
