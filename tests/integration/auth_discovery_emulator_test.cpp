// Issue 15 over loopback HTTP: OpenID discovery against the emulator (the issuer alone is
// enough), RFC 9207 `iss` on its redirects, token-endpoint retries through injected faults, and
// a redirecting token endpoint on a loopback test server.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

namespace rr = roserocket;

class AuthDiscoveryEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>(rr_emulator::Options{});
    emulator_->start();
  }
  void TearDown() override { emulator_->stop(); }

  // Nothing but the issuer and the client's credentials: no URL at all.
  [[nodiscard]] rr::OAuthOptions by_issuer() const {
    rr::OAuthOptions o;
    o.issuer = emulator_->base_url();
    o.client_id = rr_emulator::kDemoClientId;
    o.client_secret = rr_emulator::kDemoClientSecret;
    return o;
  }

  [[nodiscard]] std::uint64_t tokens(const std::string& grant) const {
    const auto stats = emulator_->stats();
    const auto it = stats.token_requests.find(grant);
    return it == stats.token_requests.end() ? 0 : it->second;
  }

  // Plays the browser up to the redirect: GETs the authorize URL and returns its Location.
  [[nodiscard]] static std::string redirect_of(const std::string& authorize_url) {
    rr::CurlTransport http;
    rr::HttpRequest get;
    get.url = authorize_url;
    const auto answer = http.send(get);
    EXPECT_EQ(answer.status, 302);
    return answer.headers.get("Location").value_or("");
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
};

TEST_F(AuthDiscoveryEmulatorTest, TheIssuerAloneIsEnoughToCallTheApi) {
  auto provider = std::make_shared<rr::ClientCredentialsTokenProvider>(by_issuer());
  EXPECT_EQ(provider->options().token_url, emulator_->token_url());
  EXPECT_EQ(provider->options().authorize_url, emulator_->base_url() + "/authorize");
  EXPECT_EQ(provider->options().jwks_url, emulator_->base_url() + "/.well-known/jwks.json");
  EXPECT_TRUE(provider->options().require_authorization_response_iss);

  rr::ClientOptions options;
  options.base_url = emulator_->base_url();
  options.token_provider = provider;
  rr::Client client(options);
  const std::string id = client.objects().create("customer", {{"name", "Found by issuer"}})["id"];
  EXPECT_EQ(client.objects().get(id)["name"], "Found by issuer");
  EXPECT_EQ(tokens("client_credentials"), 1u);
}

TEST_F(AuthDiscoveryEmulatorTest, AnotherIssuerNameIsRefusedBeforeAnyTokenRequest) {
  auto o = by_issuer();
  // Same server, other spelling: the document names 127.0.0.1, not localhost.
  o.issuer = "http://localhost:" + std::to_string(emulator_->port());
  try {
    rr::ClientCredentialsTokenProvider provider(o);
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "issuer_mismatch");
  }
  EXPECT_TRUE(emulator_->stats().token_requests.empty());
}

TEST_F(AuthDiscoveryEmulatorTest, CodeFlowChecksTheRedirectsIss) {
  auto o = by_issuer();
  o.scopes = {"openid", "offline_access"};
  rr::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:9/callback");
  const std::string location = redirect_of(request.url);
  const auto response = rr::AuthorizationCodeFlow::parse_redirect(location);
  EXPECT_EQ(response.iss, emulator_->base_url());

  auto without_iss = response;
  without_iss.iss.clear();
  EXPECT_THROW((void)flow.exchange(request, without_iss), rr::AuthError);
  auto wrong_iss = response;
  wrong_iss.iss = "http://127.0.0.1:1";
  EXPECT_THROW((void)flow.exchange(request, wrong_iss), rr::AuthError);
  EXPECT_EQ(tokens("authorization_code"), 0u) << "the code was never sent";

  const auto set = flow.exchange(request, response);
  EXPECT_FALSE(set.access_token.empty());
  EXPECT_EQ(tokens("authorization_code"), 1u);
}

TEST_F(AuthDiscoveryEmulatorTest, TokenRequestsRetryInjected503sAnd429s) {
  rr_emulator::Fault unavailable;
  unavailable.method = "POST";
  unavailable.path_prefix = "/oauth/token";
  unavailable.status = 503;
  emulator_->add_fault(unavailable);
  rr_emulator::Fault throttled = unavailable;
  throttled.status = 429;
  throttled.retry_after = "0";
  emulator_->add_fault(throttled);

  auto o = by_issuer();
  o.retry.initial_backoff = std::chrono::milliseconds(1);
  rr::ClientCredentialsTokenProvider provider(o);
  EXPECT_FALSE(provider.access_token().empty());
  EXPECT_EQ(emulator_->stats().faults_served, 2u);
  EXPECT_EQ(tokens("client_credentials"), 1u);
}

// A token endpoint that moved: it answers every POST with 308 and a Location.
TEST(AuthRedirectLoopback, ARedirectingTokenEndpointIsAnAuthErrorThatNamesIt) {
  httplib::Server server;
  std::atomic<int> posts{0};
  server.Post("/oauth/token", [&](const httplib::Request&, httplib::Response& res) {
    ++posts;
    res.status = 308;
    res.set_header("Location", "https://new-auth.example.test/oauth/token?client_secret=x");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running())
    std::this_thread::yield();

  rr::OAuthOptions o;
  o.token_url = "http://127.0.0.1:" + std::to_string(port) + "/oauth/token";
  o.client_id = "client";
  o.client_secret = "s3cret-value";
  rr::ClientCredentialsTokenProvider provider(o);
  std::string what;
  try {
    (void)provider.access_token();
  } catch (const rr::AuthError& e) {
    what = e.what();
  }
  server.stop();
  thread.join();
  EXPECT_NE(what.find("308"), std::string::npos) << what;
  EXPECT_NE(what.find("https://new-auth.example.test"), std::string::npos) << what;
  EXPECT_EQ(what.find("client_secret"), std::string::npos) << what;
  EXPECT_EQ(posts.load(), 1);
}

}  // namespace
