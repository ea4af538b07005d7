// Client + OAuth providers over MockTransport: 401 -> one refresh -> one resend, concurrency on
// an expired token, and the Authorization header kept out of logs.

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "auth_test_helpers.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "support/threads.hpp"

namespace {

using auth_test::contains;
using auth_test::fields_of;
using auth_test::json_response;
using auth_test::ManualClock;
using roserocket::mock::MockTransport;

bool is_token_request(const roserocket::HttpRequest& r) {
  return r.url == "https://auth.example.test/oauth/token";
}

// Answers token requests with access-N and API requests with 200 unless the token is refused.
struct FakeWorld {
  std::mutex mutex;
  int issued = 0;
  std::atomic<int> token_requests{0};
  std::atomic<int> api_requests{0};
  std::set<std::string> refused;  // tokens the API answers 401 to

  roserocket::HttpResponse answer(const roserocket::HttpRequest& r) {
    if (is_token_request(r)) {
      ++token_requests;
      std::lock_guard<std::mutex> lock(mutex);
      ++issued;
      return json_response(
          200, {{"access_token", "access-" + std::to_string(issued)}, {"expires_in", 3600}});
    }
    ++api_requests;
    const auto auth = r.headers.get("Authorization").value_or("");
    std::lock_guard<std::mutex> lock(mutex);
    if (auth.rfind("Bearer ", 0) != 0 || refused.count(auth.substr(7)) > 0) {
      return json_response(401, {{"statusCode", 401}, {"message", "Unauthorized"}});
    }
    return json_response(200, {{"id", "c1"}, {"objectKey", "customer"}});
  }
};

struct ClientAuthTest : ::testing::Test {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  FakeWorld world;
  ManualClock manual;
  std::vector<std::string> logs;
  std::mutex logs_mutex;

  std::shared_ptr<roserocket::ClientCredentialsTokenProvider> provider() {
    roserocket::OAuthOptions o;
    o.token_url = "https://auth.example.test/oauth/token";
    o.client_id = "client-1";
    o.client_secret = "the-client-secret";
    o.transport = mock;
    o.clock = manual.clock();
    return std::make_shared<roserocket::ClientCredentialsTokenProvider>(o);
  }
  roserocket::Client client(std::shared_ptr<roserocket::TokenProvider> tokens) {
    mock->set_fallback([this](const roserocket::HttpRequest& r) { return world.answer(r); });
    roserocket::ClientOptions options;
    options.base_url = "https://api.example.test";
    options.transport = mock;
    options.token_provider = std::move(tokens);
    options.clock = manual.clock();
    options.logger = [this](const roserocket::LogRecord& r) {
      std::lock_guard<std::mutex> lock(logs_mutex);
      logs.push_back(r.message);
    };
    return roserocket::Client(options);
  }
};

TEST_F(ClientAuthTest, A401RefreshesOnceAndResends) {
  auto tokens = provider();
  auto c = client(tokens);
  EXPECT_EQ(c.objects().get("c1")["id"], "c1");
  world.refused.insert("access-1");  // the server revokes it early
  EXPECT_EQ(c.objects().get("c1")["id"], "c1");
  EXPECT_EQ(world.token_requests, 2);
  EXPECT_EQ(world.api_requests, 3);
  EXPECT_EQ(mock->last_request().headers.get("Authorization"), "Bearer access-2");
}

TEST_F(ClientAuthTest, ASecond401IsUnauthorizedAfterExactlyOneRefresh) {
  auto tokens = provider();
  auto c = client(tokens);
  world.refused = {"access-1", "access-2", "access-3"};
  try {
    c.objects().get("c1");
    FAIL() << "expected UnauthorizedError";
  } catch (const roserocket::UnauthorizedError& e) {
    EXPECT_EQ(e.status(), 401);
  }
  EXPECT_EQ(world.token_requests, 2);
  EXPECT_EQ(world.api_requests, 2);
}

TEST_F(ClientAuthTest, StaticTokenA401IsFinal) {
  auto c = client(std::make_shared<roserocket::StaticTokenProvider>("static-token"));
  world.refused.insert("static-token");
  EXPECT_THROW(c.objects().get("c1"), roserocket::UnauthorizedError);
  EXPECT_EQ(world.api_requests, 1);
}

TEST_F(ClientAuthTest, TokenEndpointRefusalSurfacesAsAuthError) {
  auto tokens = provider();
  auto c = client(tokens);
  mock->enqueue(json_response(
      401, {{"error", "invalid_client"}, {"error_description", "Client authentication failed"}}));
  try {
    c.objects().get("c1");
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_client");
    EXPECT_EQ(e.messages().at(0), "Client authentication failed");
  }
  EXPECT_EQ(world.api_requests, 0);
}

TEST_F(ClientAuthTest, SixtyFourThreadsSharingAClientWithAJustExpiredTokenCauseOneTokenRequest) {
  auto tokens = provider();
  auto c = client(tokens);
  c.objects().get("c1");
  ASSERT_EQ(world.token_requests, 1);
  manual.advance(3600);
  const int ok =
      rr_test::run_together(64, [&](int) { return c.objects().get("c1")["id"] == "c1"; });
  EXPECT_EQ(ok, 64);
  EXPECT_EQ(world.token_requests, 2);
}

TEST_F(ClientAuthTest, ManyThreadsSeeingTheSame401CauseOneRefresh) {
  auto tokens = provider();
  auto c = client(tokens);
  c.objects().get("c1");
  world.refused.insert("access-1");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      if (c.objects().get("c1")["id"] == "c1")
        ++ok;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok, 32);
  EXPECT_EQ(world.token_requests, 2) << "invalidate drops only the refused token";
}

TEST_F(ClientAuthTest, LogsShowNoAuthorizationValue) {
  auto tokens = provider();
  auto c = client(tokens);
  world.refused.insert("access-1");
  c.objects().get("c1");
  ASSERT_FALSE(logs.empty());
  for (const auto& line : logs) {
    EXPECT_FALSE(contains(line, "access-1")) << "a log line shows a token";
    EXPECT_FALSE(contains(line, "access-2")) << "a log line shows a token";
    EXPECT_FALSE(contains(line, "the-client-secret")) << "a log line shows the secret";
  }
}

}  // namespace
