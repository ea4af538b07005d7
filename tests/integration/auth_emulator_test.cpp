// Every token provider of the SDK against the emulator's real token endpoint (and /authorize),
// over loopback HTTP: what the emulator counted is the evidence of what the SDK sent.

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/refresh_token.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"
#include "support/threads.hpp"

namespace {

namespace rr = roserocket;

class AuthEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override { start({}); }
  void TearDown() override { emulator_->stop(); }

  void start(rr_emulator::Options options) {
    emulator_ = std::make_unique<rr_emulator::Emulator>(std::move(options));
    emulator_->start();
  }

  [[nodiscard]] rr::OAuthOptions oauth() const {
    rr::OAuthOptions o;
    o.token_url = emulator_->token_url();
    o.authorize_url = emulator_->base_url() + "/authorize";
    o.client_id = rr_emulator::kDemoClientId;
    o.client_secret = rr_emulator::kDemoClientSecret;
    return o;
  }

  [[nodiscard]] rr::Client client(std::shared_ptr<rr::TokenProvider> provider) const {
    rr::ClientOptions options;
    options.base_url = emulator_->base_url();
    options.token_provider = std::move(provider);
    return rr::Client(options);
  }

  [[nodiscard]] std::uint64_t tokens(const std::string& grant) const {
    const auto stats = emulator_->stats();
    const auto it = stats.token_requests.find(grant);
    return it == stats.token_requests.end() ? 0 : it->second;
  }

  [[nodiscard]] std::uint64_t api_total() const {
    std::uint64_t n = 0;
    for (const auto& [key, count] : emulator_->stats().api_requests)
      n += count;
    return n;
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
};

// A customer made and read back proves the token was accepted by the API.
void expect_api_works(const rr::Client& client) {
  auto api = client.objects();
  const std::string id = api.create("customer", {{"name", "Auth check"}})["id"];
  EXPECT_EQ(api.get(id)["name"], "Auth check");
}

TEST_F(AuthEmulatorTest, ClientCredentialsInEveryBodyFormAndClientAuthentication) {
  const rr::ClientAuthMethod methods[] = {rr::ClientAuthMethod::kClientSecretPost,
                                          rr::ClientAuthMethod::kClientSecretBasic};
  const rr::TokenRequestEncoding encodings[] = {rr::TokenRequestEncoding::kForm,
                                                rr::TokenRequestEncoding::kJson};
  std::uint64_t expected = 0;
  for (auto method : methods) {
    for (auto encoding : encodings) {
      auto o = oauth();
      o.client_auth = method;
      o.encoding = encoding;
      auto provider = std::make_shared<rr::ClientCredentialsTokenProvider>(o);
      expect_api_works(client(provider));
      EXPECT_EQ(tokens("client_credentials"), ++expected)
          << "basic=" << (method == rr::ClientAuthMethod::kClientSecretBasic)
          << " json=" << (encoding == rr::TokenRequestEncoding::kJson);
      EXPECT_EQ(provider->fetch_count(), 1u);
    }
  }
}

TEST_F(AuthEmulatorTest, WrongClientSecretIsInvalidClientAndNeverShown) {
  auto o = oauth();
  o.client_secret = "not-the-demo-secret";
  rr::ClientCredentialsTokenProvider provider(o);
  try {
    (void)provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_client");
    EXPECT_EQ(e.status(), 401);
    EXPECT_EQ(std::string(e.what()).find("not-the-demo-secret"), std::string::npos);
  }
  EXPECT_EQ(api_total(), 0u);
}

// Plays the browser: GETs the authorize URL (the emulator redirects at once, no login page) and
// follows the redirect to the SDK's loopback receiver, on its own thread because the receiver
// answers only once the flow waits for it.
struct Browser {
  std::shared_ptr<rr::CurlTransport> http = std::make_shared<rr::CurlTransport>();
  std::future<rr::HttpResponse> pending;
  int authorize_status = 0;
  void open(const std::string& url) {
    rr::HttpRequest get;
    get.url = url;
    const auto answer = http->send(get);
    authorize_status = answer.status;
    const std::string callback = answer.headers.get("Location").value_or("");
    pending = std::async(std::launch::async, [http = http, callback] {
      rr::HttpRequest follow;
      follow.url = callback;
      return http->send(follow);
    });
  }
};

TEST_F(AuthEmulatorTest, AuthorizationCodeWithPkceOnTheLoopbackReceiver) {
  auto o = oauth();
  o.scopes = {"openid", "offline_access"};
  o.issuer = emulator_->base_url();  // openid: the emulator's signed ID token is checked
  o.jwks_url = emulator_->jwks_url();
  rr::AuthorizationCodeFlow flow(o);
  Browser browser;
  const rr::TokenSet set = flow.authorize_on_loopback(
      [&](const std::string& url) { browser.open(url); }, std::chrono::seconds(20));
  ASSERT_TRUE(browser.pending.valid());
  EXPECT_EQ(browser.pending.get().status, 200);
  EXPECT_EQ(browser.authorize_status, 302);
  EXPECT_FALSE(set.access_token.empty());
  EXPECT_FALSE(set.refresh_token.empty());
  ASSERT_TRUE(set.expires_at.has_value());
  ASSERT_TRUE(set.id_claims.has_value());
  EXPECT_EQ(set.id_claims->subject, emulator_->options().user_id);
  EXPECT_EQ(tokens("authorization_code"), 1u);

  auto provider = std::make_shared<rr::RefreshTokenProvider>(o, set);
  expect_api_works(client(provider));
  EXPECT_EQ(tokens("refresh_token"), 0u) << "the code's access token was used first";
}

TEST_F(AuthEmulatorTest, RefreshRotatesAndTheOldRefreshTokenIsInvalidGrant) {
  auto o = oauth();
  o.scopes = {"offline_access"};
  rr::AuthorizationCodeFlow flow(o);
  Browser browser;
  const rr::TokenSet first = flow.authorize_on_loopback(
      [&](const std::string& url) { browser.open(url); }, std::chrono::seconds(20));
  browser.pending.get();
  ASSERT_FALSE(first.refresh_token.empty());

  // Only the refresh token: the provider must redeem it before the first API call.
  rr::TokenSet only_refresh;
  only_refresh.refresh_token = first.refresh_token;
  auto provider = std::make_shared<rr::RefreshTokenProvider>(o, only_refresh);
  expect_api_works(client(provider));
  EXPECT_EQ(tokens("refresh_token"), 1u);
  const auto rotated = provider->tokens();
  ASSERT_TRUE(rotated.has_value());
  EXPECT_FALSE(rotated->refresh_token.empty());
  EXPECT_TRUE(rotated->refresh_token != first.refresh_token) << "no rotation";

  rr::RefreshTokenProvider replay(o, only_refresh);  // the used refresh token again
  try {
    (void)replay.access_token();
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_grant");
    EXPECT_EQ(std::string(e.what()).find(first.refresh_token), std::string::npos);
  }
}

class AuthEmulatorShortTtlTest : public AuthEmulatorTest {
 public:
  void SetUp() override {
    rr_emulator::Options options;
    options.token_ttl = std::chrono::seconds(1);
    start(options);
  }
};

TEST_F(AuthEmulatorShortTtlTest, ShortLivedTokenIsRenewedOnceItExpires) {
  auto o = oauth();
  o.refresh_skew = std::chrono::seconds(0);
  auto provider = std::make_shared<rr::ClientCredentialsTokenProvider>(o);
  auto c = client(provider);
  expect_api_works(c);
  EXPECT_EQ(tokens("client_credentials"), 1u);
  const auto expires_at = provider->tokens()->expires_at;
  ASSERT_TRUE(expires_at.has_value());
  // Wait for the expiry itself (a condition on the clock), not for a guessed duration.
  while (std::chrono::system_clock::now() < *expires_at)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  expect_api_works(c);
  EXPECT_EQ(tokens("client_credentials"), 2u);
}

TEST_F(AuthEmulatorTest, SixtyFourThreadsOnAJustExpiredTokenCauseOneTokenRequest) {
  // The provider's clock can jump; the emulator's tokens stay valid an hour in real time.
  auto offset = std::make_shared<std::atomic<long long>>(0);
  auto o = oauth();
  o.clock.system_now = [offset] {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset->load());
  };
  auto provider = std::make_shared<rr::ClientCredentialsTokenProvider>(o);
  auto c = client(provider);
  const std::string id = c.objects().create("customer", {{"name", "Shared"}})["id"];
  ASSERT_EQ(tokens("client_credentials"), 1u);
  offset->store(3600);  // the cached token has just expired, as far as the client knows

  const int ok = rr_test::run_together(64, [&](int) {
    try {
      return c.objects().get(id)["name"] == "Shared";
    } catch (const rr::Error&) {
      return false;
    }
  });
  EXPECT_EQ(ok, 64);
  EXPECT_EQ(tokens("client_credentials"), 2u) << "exactly one token request for 64 threads";
  EXPECT_EQ(api_total(), 65u) << "no request was refused and resent";
}

}  // namespace
