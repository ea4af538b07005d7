// OpenID sign-in checks and private_key_jwt against the emulator over loopback HTTP: its signed
// ID tokens (JWKS at /.well-known/jwks.json) and its check of client assertions.

#include <future>
#include <memory>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "auth/jose.hpp"
#include "http/url.hpp"
#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

namespace rr = roserocket;
namespace jose = roserocket::detail::jose;

// Keeps the body of every token request it forwards (to replay an assertion).
class RecordingTransport : public rr::HttpTransport {
 public:
  rr::HttpResponse send(const rr::HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (request.method == rr::HttpMethod::kPost)
        last_body_ = request.body;
    }
    return inner_.send(request);
  }
  std::string last_body() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_body_;
  }

 private:
  rr::CurlTransport inner_;
  std::mutex mutex_;
  std::string last_body_;
};

const jose::Key& client_key() {
  static const jose::Key key = jose::Key::generate(jose::Alg::kES256);
  return key;
}

class OpenIdEmulatorTest : public ::testing::Test {
 public:
  void SetUp() override {
    rr_emulator::Options options;
    options.client_public_key_pem = client_key().public_pem();
    emulator_ = std::make_unique<rr_emulator::Emulator>(std::move(options));
    emulator_->start();
  }
  void TearDown() override { emulator_->stop(); }

  [[nodiscard]] rr::OAuthOptions oauth() const {
    rr::OAuthOptions o;
    o.token_url = emulator_->token_url();
    o.authorize_url = emulator_->base_url() + "/authorize";
    o.issuer = emulator_->base_url();
    o.jwks_url = emulator_->jwks_url();
    o.client_id = rr_emulator::kDemoClientId;
    o.client_secret = rr_emulator::kDemoClientSecret;
    return o;
  }

  // Follows the authorize URL (the emulator approves at once) and returns the redirect.
  static rr::AuthorizationResponse approve(const std::string& url) {
    rr::CurlTransport http;
    rr::HttpRequest get;
    get.url = url;
    const auto answer = http.send(get);
    EXPECT_EQ(answer.status, 302);
    return rr::AuthorizationCodeFlow::parse_redirect(answer.headers.get("Location").value_or(""));
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
};

TEST_F(OpenIdEmulatorTest, AuthorizationCodeWithOpenIdGivesVerifiedClaimsWithTheNonce) {
  auto o = oauth();
  o.scopes = {"openid", "email", "offline_access"};
  rr::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:9/callback");
  ASSERT_FALSE(request.nonce.empty());
  const auto tokens = flow.exchange(request, approve(request.url));
  ASSERT_TRUE(tokens.id_claims.has_value());
  EXPECT_EQ(tokens.id_claims->issuer, emulator_->base_url());
  EXPECT_EQ(tokens.id_claims->subject, emulator_->options().user_id);
  EXPECT_EQ(tokens.id_claims->audience, std::vector<std::string>{rr_emulator::kDemoClientId});
  EXPECT_EQ(tokens.id_claims->nonce, request.nonce);
  EXPECT_TRUE(tokens.id_claims->email.has_value());
  ASSERT_NE(tokens.id_claims->find("org_id"), nullptr);

  // The refresh brings a new ID token (no nonce), checked against the cached keys.
  auto provider = std::make_shared<rr::RefreshTokenProvider>(o, tokens);
  ASSERT_TRUE(provider->invalidate(tokens.access_token));
  EXPECT_FALSE(provider->access_token().empty());
  ASSERT_TRUE(provider->tokens()->id_claims.has_value());
  EXPECT_EQ(provider->tokens()->id_claims->subject, emulator_->options().user_id);
  EXPECT_EQ(emulator_->stats().token_requests.at("refresh_token"), 1u);
}

TEST_F(OpenIdEmulatorTest, IdTokenFromAnotherIssuerOrForAnotherNonceIsRefused) {
  // A flow set up for another issuer would stop at discovery (the document names the emulator),
  // so the emulator's real ID token is checked by a verifier that expects another issuer.
  auto o = oauth();
  o.scopes = {"openid"};
  rr::AuthorizationCodeFlow flow(o);
  auto request = flow.begin("http://127.0.0.1:9/callback");
  const rr::TokenSet tokens = flow.exchange(request, approve(request.url));
  ASSERT_FALSE(tokens.id_token.empty());
  auto other = o;
  other.issuer = "https://not-the-emulator.example.test";
  rr::IdTokenVerifier wrong_issuer(other);
  try {
    (void)wrong_issuer.verify(tokens.id_token, request.nonce);
    FAIL() << "an ID token of another issuer was accepted";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.context().error_code, "invalid_id_token");
    EXPECT_NE(std::string(e.what()).find("iss"), std::string::npos);
  }

  // The emulator put the sent nonce into the ID token: any other expected nonce fails.
  auto o2 = oauth();
  o2.scopes = {"openid"};
  rr::AuthorizationCodeFlow openid_flow(o2);
  auto third = openid_flow.begin("http://127.0.0.1:9/callback");
  const auto redirect = approve(third.url);
  third.nonce = "a-different-nonce";
  EXPECT_THROW((void)openid_flow.exchange(third, redirect), rr::AuthError);
}

TEST_F(OpenIdEmulatorTest, ClientCredentialsWithPrivateKeyJwtGetsAWorkingToken) {
  auto http = std::make_shared<RecordingTransport>();
  auto o = oauth();
  o.client_secret.clear();
  o.client_auth = rr::ClientAuthMethod::kPrivateKeyJwt;
  o.client_assertion_key = client_key().private_pem();
  o.client_assertion_algorithm = rr::ClientAssertionAlgorithm::kES256;
  o.transport = http;
  auto provider = std::make_shared<rr::ClientCredentialsTokenProvider>(o);

  rr::ClientOptions options;
  options.base_url = emulator_->base_url();
  options.token_provider = provider;
  rr::Client client(options);
  const auto created = client.objects().create("customer", {{"name", "Key Signed Freight"}});
  EXPECT_FALSE(created["id"].get<std::string>().empty());
  EXPECT_EQ(emulator_->stats().token_requests.at("client_credentials"), 1u);

  // The same assertion a second time: its jti is spent.
  rr::HttpRequest replay;
  replay.method = rr::HttpMethod::kPost;
  replay.url = emulator_->token_url();
  replay.headers.add("Content-Type", "application/x-www-form-urlencoded");
  replay.body = http->last_body();
  ASSERT_NE(replay.body.find("client_assertion="), std::string::npos);
  const auto again = rr::CurlTransport().send(replay);
  EXPECT_EQ(again.status, 401);
  EXPECT_NE(again.body.find("jti"), std::string::npos);
}

TEST_F(OpenIdEmulatorTest, AssertionSignedByAnotherKeyIsInvalidClient) {
  auto o = oauth();
  o.client_secret.clear();
  o.client_auth = rr::ClientAuthMethod::kPrivateKeyJwt;
  o.client_assertion_key = jose::Key::generate(jose::Alg::kES256).private_pem();
  o.client_assertion_algorithm = rr::ClientAssertionAlgorithm::kES256;
  rr::ClientCredentialsTokenProvider provider(o);
  try {
    (void)provider.access_token();
    FAIL() << "a foreign key was accepted";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.context().error_code, "invalid_client");
    EXPECT_EQ(e.status(), 401);
  }
}

}  // namespace
