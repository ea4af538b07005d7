// JOSE (compact JWS, JWK sets, RS256/ES256) and the ID-token verifier against key sets served
// through MockTransport. Test tokens are signed with OpenSSL directly (tests/support).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/jose.hpp"
#include "auth_test_helpers.hpp"
#include "support/jwt_test_keys.hpp"

namespace {

namespace jose = roserocket::detail::jose;
namespace rr = roserocket;
using auth_test::contains;
using auth_test::json_response;
using auth_test::ManualClock;
using jwt_test::b64;
using jwt_test::ec_key;
using jwt_test::make_jws;
using jwt_test::other_rsa_key;
using jwt_test::rsa_key;
using roserocket::mock::MockTransport;

const nlohmann::json kRsHeader = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "rsa-1"}};
const nlohmann::json kEsHeader = {{"alg", "ES256"}, {"kid", "ec-1"}};
const nlohmann::json kClaims = {{"sub", "user-1"}, {"n", 7}};

// ---------------------------------------------------------------------------------------------
// jose

TEST(Jose, Rs256TokenSignedByOpenSslVerifies) {
  const auto token = make_jws(kRsHeader, kClaims, rsa_key());
  const auto jws = jose::parse_jws(token);
  EXPECT_EQ(jws.alg, jose::Alg::kRS256);
  EXPECT_EQ(jws.kid, "rsa-1");
  EXPECT_EQ(jws.payload["sub"], "user-1");
  EXPECT_TRUE(jose::verify(jws, rsa_key()));
  EXPECT_FALSE(jose::verify(jws, other_rsa_key())) << "another RSA key must not verify";
  EXPECT_FALSE(jose::verify(jws, ec_key())) << "an EC key cannot verify RS256";
}

TEST(Jose, Es256TokenSignedByOpenSslVerifies) {
  const auto token = make_jws(kEsHeader, kClaims, ec_key());
  const auto jws = jose::parse_jws(token);
  EXPECT_EQ(jws.alg, jose::Alg::kES256);
  EXPECT_EQ(jws.signature.size(), 64u) << "JWS ES256 signatures are raw r||s";
  EXPECT_TRUE(jose::verify(jws, ec_key()));
  EXPECT_FALSE(jose::verify(jws, jose::Key::generate(jose::Alg::kES256)));
  EXPECT_FALSE(jose::verify(jws, rsa_key()));
}

TEST(Jose, TamperedPayloadOrSignatureFails) {
  for (const auto* key : {&rsa_key(), &ec_key()}) {
    const auto header = key == &ec_key() ? kEsHeader : kRsHeader;
    const auto token = make_jws(header, kClaims, *key);
    const auto dot = token.find('.');
    const auto last = token.rfind('.');
    auto tampered_claims = kClaims;
    tampered_claims["sub"] = "user-2";
    const std::string swapped =
        token.substr(0, dot) + "." + b64(tampered_claims.dump()) + token.substr(last);
    EXPECT_FALSE(jose::verify(jose::parse_jws(swapped), *key));

    std::string sig;
    ASSERT_TRUE(jose::base64url_decode(token.substr(last + 1), sig));
    sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x01);
    EXPECT_FALSE(jose::verify(jose::parse_jws(token.substr(0, last + 1) + b64(sig)), *key));
    // An ES256 signature of the wrong length is refused, not read past.
    if (key == &ec_key()) {
      EXPECT_FALSE(
          jose::verify(jose::parse_jws(token.substr(0, last + 1) + b64(sig.substr(1))), *key));
    }
  }
}

TEST(Jose, SdkSignatureVerifiesWithOpenSslKeyAndRoundTripsThroughJwk) {
  for (const auto alg : {jose::Alg::kRS256, jose::Alg::kES256}) {
    const auto& key = alg == jose::Alg::kRS256 ? rsa_key() : ec_key();
    const auto token = jose::sign(kClaims, key, alg, "k1");
    const auto jws = jose::parse_jws(token);
    EXPECT_EQ(jws.header["alg"], jose::alg_name(alg));
    EXPECT_EQ(jws.header["typ"], "JWT");
    EXPECT_EQ(jws.kid, "k1");
    const auto keys = jose::parse_jwks(jwt_test::jwks_of({{&key, "k1"}}));
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].alg, alg);
    EXPECT_TRUE(jose::verify(jws, keys[0].key)) << "verified with the key read back from its JWK";
    // The public half read back from PEM verifies as well; the private PEM reads back too.
    EXPECT_TRUE(jose::verify(jws, jose::Key::from_public_pem(key.public_pem())));
    const auto again = jose::Key::from_private_pem(key.private_pem());
    EXPECT_TRUE(jose::verify(jose::parse_jws(jose::sign(kClaims, again, alg, "")), key));
  }
  EXPECT_THROW((void)jose::sign(kClaims, rsa_key(), jose::Alg::kES256, ""), jose::JoseError);
}

TEST(Jose, AlgNoneAndHmacAreRefused) {
  const std::string body = b64(kClaims.dump());
  EXPECT_THROW((void)jose::parse_jws(b64(R"({"alg":"none"})") + "." + body + "."), jose::JoseError);
  EXPECT_THROW((void)jose::parse_jws(b64(R"({"alg":"none"})") + "." + body + ".AAAA"),
               jose::JoseError);
  // HS256 "signed" with the RSA public key's PEM as the HMAC secret: the classic confusion.
  const std::string hs = b64(R"({"alg":"HS256","kid":"rsa-1"})") + "." + body + ".AAAA";
  try {
    (void)jose::parse_jws(hs);
    FAIL() << "HS256 accepted";
  } catch (const jose::JoseError& e) {
    EXPECT_TRUE(contains(e.what(), "not allowed"));
  }
  EXPECT_THROW((void)jose::parse_jws(b64(R"({"alg":"RS512"})") + "." + body + ".AAAA"),
               jose::JoseError);
  EXPECT_THROW((void)jose::parse_jws(b64(R"({"alg":"rs256"})") + "." + body + ".AAAA"),
               jose::JoseError);
  EXPECT_THROW((void)jose::parse_jws(b64(R"({"typ":"JWT"})") + "." + body + ".AAAA"),
               jose::JoseError);
  EXPECT_THROW(
      (void)jose::parse_jws(b64(R"({"alg":"RS256","crit":["exp"]})") + "." + body + ".AAAA"),
      jose::JoseError);
}

TEST(Jose, MalformedCompactFormsAreRefused) {
  const auto token = make_jws(kRsHeader, kClaims, rsa_key());
  const auto first = token.find('.');
  const auto last = token.rfind('.');
  const std::string header = token.substr(0, first);
  const std::string payload = token.substr(first + 1, last - first - 1);
  const std::string sig = token.substr(last + 1);
  const std::vector<std::string> bad = {
      "",
      "abc",
      header + "." + payload,                                         // two parts
      token + ".x",                                                   // four parts
      header + "=." + payload + "." + sig,                            // padding
      header + "." + payload + "." + sig + "=",                       // padding
      header + "." + payload.substr(1) + "." + sig,                   // length 4n+1 or wrong bits
      header + ".+/+/." + sig,                                        // base64, not base64url
      header + "." + payload + "." + sig + " ",                       // a space
      header + "." + payload + ".",                                   // empty signature
      b64("not json") + "." + payload + "." + sig,                    // header not JSON
      b64("[1,2]") + "." + payload + "." + sig,                       // header not an object
      header + "." + b64("[\"a\"]") + "." + sig,                      // payload not an object
      header + "." + b64("{\"a\":") + "." + sig,                      // payload cut short
      b64(R"({"alg":"RS256","kid":7})") + "." + payload + "." + sig,  // kid not a string
  };
  for (const auto& text : bad) {
    try {
      (void)jose::parse_jws(text);
      ADD_FAILURE() << "accepted a malformed JWS #" << (&text - bad.data());
    } catch (const jose::JoseError& e) {
      // Never echo the token.
      if (text.size() > 8) {
        EXPECT_FALSE(contains(e.what(), text.substr(0, 8)));
      }
    }
  }
  // Non-canonical base64url (unused bits set) is refused too.
  std::string out;
  EXPECT_TRUE(jose::base64url_decode("QQ", out));
  EXPECT_EQ(out, "A");
  EXPECT_FALSE(jose::base64url_decode("QR", out));
  EXPECT_FALSE(jose::base64url_decode("Q", out));
}

TEST(Jose, JwksKeepsUsableKeysAndSkipsTheRest) {
  auto rsa = rsa_key().public_jwk("r1");
  auto ec = ec_key().public_jwk("e1");
  auto encryption = rsa_key().public_jwk("enc");
  encryption["use"] = "enc";
  auto mislabelled = rsa_key().public_jwk("mis");
  mislabelled["alg"] = "ES256";
  auto p384 = ec_key().public_jwk("p384");
  p384["crv"] = "P-384";
  auto off_curve = ec_key().public_jwk("off");
  off_curve["y"] = b64(std::string(32, '\x01'));
  auto broken_n = rsa_key().public_jwk("broken");
  broken_n["n"] = "!!";
  auto small = nlohmann::json{
      {"kty", "RSA"}, {"kid", "small"}, {"n", b64(std::string(64, '\xC5'))}, {"e", "AQAB"}};
  const nlohmann::json set = {
      {"keys",
       {rsa, ec, encryption, mislabelled, p384, off_curve, broken_n, small,
        nlohmann::json{{"kty", "oct"}, {"k", "c2VjcmV0"}},
        nlohmann::json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}}, 42, "text"}}};
  const auto keys = jose::parse_jwks(set.dump());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].kid, "r1");
  EXPECT_EQ(keys[0].alg, jose::Alg::kRS256);
  EXPECT_EQ(keys[1].kid, "e1");
  EXPECT_EQ(keys[1].alg, jose::Alg::kES256);

  EXPECT_THROW((void)jose::parse_jwks("[]"), jose::JoseError);
  EXPECT_THROW((void)jose::parse_jwks("{\"keys\": {}}"), jose::JoseError);
  EXPECT_THROW((void)jose::parse_jwks("not json"), jose::JoseError);
  EXPECT_TRUE(jose::parse_jwks("{\"keys\": []}").empty());
}

TEST(Jose, PemReadersRefuseOtherTextWithoutQuotingIt) {
  const std::string garbage =
      "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n"
      "-----END PRIVATE KEY-----\n";
  try {
    (void)jose::Key::from_private_pem(garbage);
    FAIL() << "garbage accepted";
  } catch (const jose::JoseError& e) {
    EXPECT_FALSE(contains(e.what(), "c2VjcmV0"));
  }
  EXPECT_THROW((void)jose::Key::from_private_pem(rsa_key().public_pem()), jose::JoseError);
  EXPECT_THROW((void)jose::Key::from_public_pem("hello"), jose::JoseError);
}

// ---------------------------------------------------------------------------------------------
// IdTokenVerifier

constexpr long long kNow = 1'700'000'000;

struct VerifierTest : ::testing::Test {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  ManualClock manual;
  std::atomic<long long> steady_seconds{1000};
  std::string jwks = jwt_test::jwks_of({{&rsa_key(), "rsa-1"}, {&ec_key(), "ec-1"}});
  int jwks_status = 200;

  void SetUp() override {
    manual.seconds = kNow;
    mock->set_fallback([this](const rr::HttpRequest& request) {
      EXPECT_EQ(request.url, "https://issuer.example.test/jwks.json");
      EXPECT_EQ(request.method, rr::HttpMethod::kGet);
      return rr::HttpResponse{jwks_status, {{"Content-Type", "application/json"}}, jwks};
    });
  }
  rr::OAuthOptions options() {
    rr::OAuthOptions o;
    o.client_id = "client-1";
    o.issuer = "https://issuer.example.test";
    o.jwks_url = "https://issuer.example.test/jwks.json";
    o.transport = mock;
    o.clock = manual.clock();
    o.clock.steady_now = [this] {
      return std::chrono::steady_clock::time_point(std::chrono::seconds(steady_seconds.load()));
    };
    return o;
  }
  static nlohmann::json claims() {
    return {{"iss", "https://issuer.example.test"},
            {"sub", "user-1"},
            {"aud", "client-1"},
            {"exp", kNow + 300},
            {"iat", kNow},
            {"nonce", "n-123"},
            {"email", "ada@example.test"},
            {"name", "Ada"},
            {"org_id", "org-9"}};
  }
  static std::string token(const nlohmann::json& payload, const nlohmann::json& header = kRsHeader,
                           const jose::Key& key = rsa_key()) {
    return make_jws(header, payload, key);
  }
  // The AuthError message of verifying @p id_token, or "" when it passed.
  std::string refusal(const std::string& id_token, const std::string& nonce = "n-123") {
    rr::IdTokenVerifier verifier(options());
    try {
      (void)verifier.verify(id_token, nonce);
      return "";
    } catch (const rr::AuthError& e) {
      EXPECT_FALSE(contains(e.what(), id_token.substr(0, 20))) << "the token leaked";
      return e.what();
    }
  }
};

TEST_F(VerifierTest, GoodRs256AndEs256TokensGiveTheirClaims) {
  rr::IdTokenVerifier verifier(options());
  const auto verified = verifier.verify(token(claims()), "n-123");
  EXPECT_EQ(verified.issuer, "https://issuer.example.test");
  EXPECT_EQ(verified.subject, "user-1");
  EXPECT_EQ(verified.audience, std::vector<std::string>{"client-1"});
  EXPECT_EQ(verified.nonce, "n-123");
  EXPECT_EQ(verified.email, "ada@example.test");
  EXPECT_EQ(verified.name, "Ada");
  EXPECT_EQ(verified.expires_at,
            std::chrono::system_clock::time_point(std::chrono::seconds(kNow + 300)));
  EXPECT_EQ(verified.issued_at, std::chrono::system_clock::time_point(std::chrono::seconds(kNow)));
  ASSERT_NE(verified.find("org_id"), nullptr);
  EXPECT_EQ(*verified.find("org_id"), "org-9");
  EXPECT_EQ(verified.find("missing"), nullptr);

  const auto es = verifier.verify(token(claims(), kEsHeader, ec_key()), "n-123");
  EXPECT_EQ(es.subject, "user-1");
  EXPECT_EQ(verifier.jwks_fetch_count(), 1u) << "the key set is cached";
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(VerifierTest, ForgedOrMisdirectedTokensAreRefused) {
  EXPECT_TRUE(contains(refusal(token(claims(), kRsHeader, other_rsa_key())), "signature"));
  // The EC key's header claims RS256: no RS256 key with that kid exists.
  EXPECT_TRUE(contains(refusal(token(claims(), {{"alg", "RS256"}, {"kid", "ec-1"}})), "no RS256"));

  auto c = claims();
  c["iss"] = "https://evil.example.test";
  EXPECT_TRUE(contains(refusal(token(c)), "issuer"));
  c = claims();
  c["aud"] = "client-2";
  EXPECT_TRUE(contains(refusal(token(c)), "audience"));
  c["aud"] = nlohmann::json::array({"client-2", "client-1"});
  EXPECT_TRUE(contains(refusal(token(c)), "azp"));
  c["azp"] = "client-2";
  EXPECT_TRUE(contains(refusal(token(c)), "azp"));
  c["azp"] = "client-1";
  EXPECT_EQ(refusal(token(c)), "");
  c = claims();
  c["aud"] = 5;
  EXPECT_FALSE(refusal(token(c)).empty());
  c = claims();
  c.erase("sub");
  EXPECT_TRUE(contains(refusal(token(c)), "sub"));
  c = claims();
  c["nonce"] = "n-other";
  EXPECT_TRUE(contains(refusal(token(c)), "nonce"));
  c.erase("nonce");
  EXPECT_TRUE(contains(refusal(token(c)), "nonce"));
  EXPECT_EQ(refusal(token(c), ""), "") << "no nonce expected (a refresh): none needed";
  c = claims();
  c["exp"] = "soon";
  EXPECT_TRUE(contains(refusal(token(c)), "exp"));
  EXPECT_TRUE(contains(refusal("a.b.c"), "malformed"));
}

TEST_F(VerifierTest, ExpiryAndIssueTimeHonourTheSkewExactly) {
  // Default skew: 60 s.
  auto c = claims();
  c["exp"] = kNow - 60;  // expired 60 s ago: at the edge, refused
  EXPECT_TRUE(contains(refusal(token(c)), "expired"));
  c["exp"] = kNow - 59;
  EXPECT_EQ(refusal(token(c)), "");
  c = claims();
  c["iat"] = kNow + 61;
  EXPECT_TRUE(contains(refusal(token(c)), "future"));
  c["iat"] = kNow + 60;
  EXPECT_EQ(refusal(token(c)), "");

  auto o = options();
  o.id_token_skew = std::chrono::seconds(0);
  rr::IdTokenVerifier strict(o);
  c = claims();
  c["exp"] = kNow;
  EXPECT_THROW((void)strict.verify(token(c), "n-123"), rr::AuthError);
  c["exp"] = kNow + 1;
  EXPECT_NO_THROW((void)strict.verify(token(c), "n-123"));
  o.id_token_skew = std::chrono::seconds(-1);
  EXPECT_THROW(rr::IdTokenVerifier{o}, rr::InvalidArgumentError);
}

TEST_F(VerifierTest, UnknownKidRefetchesOnceAndAtMostOncePerMinute) {
  rr::IdTokenVerifier verifier(options());
  EXPECT_NO_THROW((void)verifier.verify(token(claims()), "n-123"));
  EXPECT_EQ(verifier.jwks_fetch_count(), 1u);

  // The issuer rotates in a new key; the cache does not know "rsa-2" yet.
  const nlohmann::json rotated_header = {{"alg", "RS256"}, {"kid", "rsa-2"}};
  const auto rotated = token(claims(), rotated_header, other_rsa_key());
  jwks = jwt_test::jwks_of({{&rsa_key(), "rsa-1"}, {&other_rsa_key(), "rsa-2"}});
  // Within a minute of the last fetch: refused without fetching (no fetch loop).
  steady_seconds += 30;
  EXPECT_THROW((void)verifier.verify(rotated, "n-123"), rr::AuthError);
  EXPECT_EQ(verifier.jwks_fetch_count(), 1u);
  // A minute later: one refetch, and the token verifies.
  steady_seconds += 31;
  EXPECT_NO_THROW((void)verifier.verify(rotated, "n-123"));
  EXPECT_EQ(verifier.jwks_fetch_count(), 2u);
  // Many tokens with made-up kids right after: no more fetches.
  for (int i = 0; i < 20; ++i) {
    const nlohmann::json made_up = {{"alg", "RS256"}, {"kid", "x" + std::to_string(i)}};
    EXPECT_THROW((void)verifier.verify(token(claims(), made_up), "n-123"), rr::AuthError);
  }
  EXPECT_EQ(verifier.jwks_fetch_count(), 2u);
  EXPECT_EQ(mock->request_count(), 2u);
  // Known kids keep working from the cache.
  EXPECT_NO_THROW((void)verifier.verify(token(claims()), "n-123"));
  EXPECT_EQ(verifier.jwks_fetch_count(), 2u);
}

TEST_F(VerifierTest, MissingOrBrokenKeySetIsAClearError) {
  auto o = options();
  o.jwks_url.clear();
  rr::IdTokenVerifier none(o);
  try {
    (void)none.verify(token(claims()), "n-123");
    FAIL();
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.context().error_code, "id_token_unverifiable");
    EXPECT_TRUE(contains(e.what(), "OAuthOptions.jwks_url"));
  }
  EXPECT_EQ(mock->request_count(), 0u);

  jwks_status = 500;
  EXPECT_TRUE(contains(refusal(token(claims())), "HTTP 500"));
  jwks_status = 200;
  jwks = "<html>";
  EXPECT_TRUE(contains(refusal(token(claims())), "key set is unreadable"));

  o = options();
  o.jwks_url = "http://issuer.example.test/jwks.json";
  EXPECT_THROW(rr::IdTokenVerifier{o}, rr::InvalidArgumentError);
}

// ---------------------------------------------------------------------------------------------
// The grants

struct FlowTest : VerifierTest {
  nlohmann::json id_claims = claims();
  bool send_id_token = true;
  std::vector<std::string> token_grants;

  void SetUp() override {
    manual.seconds = kNow;
    mock->set_fallback([this](const rr::HttpRequest& request) {
      // The flows discover the issuer's endpoints first (options() sets an issuer).
      const std::string discovery = "/.well-known/openid-configuration";
      if (request.method == rr::HttpMethod::kGet && request.url.size() > discovery.size() &&
          request.url.compare(request.url.size() - discovery.size(), discovery.size(), discovery) ==
              0) {
        const rr::OAuthOptions o = options();
        return json_response(200, {{"issuer", o.issuer},
                                   {"token_endpoint", o.issuer + "/oauth/token"},
                                   {"authorization_endpoint", o.issuer + "/authorize"},
                                   {"jwks_uri", o.jwks_url}});
      }
      if (request.method == rr::HttpMethod::kGet)
        return rr::HttpResponse{200, {{"Content-Type", "application/json"}}, jwks};
      token_grants.push_back(auth_test::fields_of(request)["grant_type"]);
      nlohmann::json body = {{"access_token", "access-x"},
                             {"token_type", "Bearer"},
                             {"expires_in", 3600},
                             {"refresh_token", "refresh-x"}};
      if (send_id_token)
        body["id_token"] = token(id_claims);
      return json_response(200, body);
    });
  }
  rr::OAuthOptions flow_options() {
    auto o = options();
    o.token_url = "https://issuer.example.test/oauth/token";
    o.authorize_url = "https://issuer.example.test/authorize";
    o.scopes = {"openid", "offline_access"};
    return o;
  }
};

TEST_F(FlowTest, CodeExchangeSendsANonceAndChecksItInTheIdToken) {
  rr::AuthorizationCodeFlow flow(flow_options());
  const auto request = flow.begin("http://127.0.0.1:5555/cb");
  EXPECT_EQ(request.nonce.size(), 32u);
  std::map<std::string, std::string> q;
  for (auto& [k, v] : rr::detail::parse_query(request.url.substr(request.url.find('?'))))
    q[k] = v;
  EXPECT_EQ(q["nonce"], request.nonce);
  EXPECT_NE(flow.begin("http://127.0.0.1:5555/cb").nonce, request.nonce);

  id_claims["nonce"] = request.nonce;
  const auto tokens = flow.exchange(request, {"the-code", request.state});
  ASSERT_TRUE(tokens.id_claims.has_value());
  EXPECT_EQ(tokens.id_claims->subject, "user-1");
  EXPECT_EQ(tokens.id_claims->nonce, request.nonce);

  // A replayed ID token (another authorization's nonce) is refused.
  const auto second = flow.begin("http://127.0.0.1:5555/cb");
  try {
    (void)flow.exchange(second, {"the-code", second.state});
    FAIL() << "nonce mismatch accepted";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.context().error_code, "invalid_id_token");
    EXPECT_TRUE(contains(e.what(), "nonce"));
  }
  send_id_token = false;
  const auto third = flow.begin("http://127.0.0.1:5555/cb");
  EXPECT_THROW((void)flow.exchange(third, {"the-code", third.state}), rr::AuthError);
  // A request made without begin() (no nonce) is refused before anything is sent.
  auto handmade = third;
  handmade.nonce.clear();
  const auto before = token_grants.size();
  EXPECT_THROW((void)flow.exchange(handmade, {"the-code", handmade.state}),
               rr::InvalidArgumentError);
  EXPECT_EQ(token_grants.size(), before);
}

TEST_F(FlowTest, OpenIdNeedsAKeySetSettingUnlessSwitchedOff) {
  auto o = flow_options();
  o.issuer.clear();
  o.jwks_url.clear();
  try {
    rr::AuthorizationCodeFlow flow(o);
    FAIL();
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.what(), "OAuthOptions.issuer"));
    EXPECT_TRUE(contains(e.what(), "OAuthOptions.jwks_url"));
  }
  rr::TokenSet initial;
  initial.refresh_token = "r";
  EXPECT_THROW(rr::RefreshTokenProvider(o, initial), rr::InvalidArgumentError);

  o.dangerously_skip_id_token_verification = true;
  rr::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:5555/cb");
  id_claims["nonce"] = "whatever";
  const auto tokens = flow.exchange(request, {"the-code", request.state});
  EXPECT_FALSE(tokens.id_token.empty());
  EXPECT_FALSE(tokens.id_claims.has_value()) << "unchecked claims are never offered";
  EXPECT_EQ(mock->request_count(), 1u) << "no key set fetched";
}

TEST_F(FlowTest, RefreshChecksTheIdTokenWithoutNonceAndKeepsTheUser) {
  id_claims.erase("nonce");
  rr::TokenSet initial;
  initial.refresh_token = "refresh-0";
  rr::RefreshTokenProvider provider(flow_options(), initial);
  EXPECT_EQ(provider.access_token(), "access-x");
  ASSERT_TRUE(provider.tokens()->id_claims.has_value());
  EXPECT_EQ(provider.tokens()->id_claims->subject, "user-1");

  // The next refresh brings another user's ID token: refused.
  id_claims["sub"] = "user-2";
  EXPECT_TRUE(provider.invalidate("access-x"));
  EXPECT_THROW((void)provider.access_token(), rr::AuthError);

  // A forged one is refused too.
  rr::RefreshTokenProvider second(flow_options(), initial);
  id_claims["sub"] = "user-1";
  id_claims["aud"] = "someone-else";
  EXPECT_THROW((void)second.access_token(), rr::AuthError);
}

// ---------------------------------------------------------------------------------------------
// private_key_jwt

struct PrivateKeyJwtTest : ::testing::Test {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  ManualClock manual;
  std::vector<std::string> logs;

  void SetUp() override {
    manual.seconds = kNow;
    mock->set_fallback([](const rr::HttpRequest&) {
      return json_response(200, {{"access_token", "access-1"}, {"expires_in", 3600}});
    });
  }
  rr::OAuthOptions options(const jose::Key& key) {
    rr::OAuthOptions o;
    o.token_url = "https://auth.example.test/oauth/token";
    o.client_id = "svc-1";
    o.client_auth = rr::ClientAuthMethod::kPrivateKeyJwt;
    o.client_assertion_key = key.private_pem();
    o.client_assertion_kid = "key-7";
    o.transport = mock;
    o.clock = manual.clock();
    o.logger = [this](const rr::LogRecord& record) { logs.push_back(record.message); };
    return o;
  }
};

TEST_F(PrivateKeyJwtTest, EachTokenRequestCarriesAFreshSignedAssertionAndNoSecret) {
  for (const auto alg : {jose::Alg::kRS256, jose::Alg::kES256}) {
    const auto& key = alg == jose::Alg::kRS256 ? rsa_key() : ec_key();
    auto o = options(key);
    o.client_assertion_algorithm = alg == jose::Alg::kRS256 ? rr::ClientAssertionAlgorithm::kRS256
                                                            : rr::ClientAssertionAlgorithm::kES256;
    rr::ClientCredentialsTokenProvider provider(o);
    EXPECT_EQ(provider.access_token(), "access-1");
    const auto first = mock->last_request();
    auto fields = auth_test::fields_of(first);
    EXPECT_EQ(fields.size(), 5u);  // grant_type, audience, client_id, assertion type, assertion
    EXPECT_EQ(fields["grant_type"], "client_credentials");
    EXPECT_EQ(fields["client_id"], "svc-1");
    EXPECT_EQ(fields["audience"], "https://roserocket.com");
    EXPECT_EQ(fields["client_assertion_type"],
              "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    EXPECT_EQ(fields.count("client_secret"), 0u);
    EXPECT_FALSE(first.headers.contains("Authorization"));

    const auto jws = jose::parse_jws(fields["client_assertion"]);
    EXPECT_EQ(jws.alg, alg);
    EXPECT_EQ(jws.kid, "key-7");
    EXPECT_EQ(jws.header["typ"], "JWT");
    EXPECT_TRUE(jose::verify(jws, jose::Key::from_public_pem(key.public_pem())));
    EXPECT_EQ(jws.payload["iss"], "svc-1");
    EXPECT_EQ(jws.payload["sub"], "svc-1");
    EXPECT_EQ(jws.payload["aud"], "https://auth.example.test/oauth/token");
    EXPECT_EQ(jws.payload["iat"], kNow);
    EXPECT_EQ(jws.payload["exp"], kNow + 60);
    EXPECT_EQ(jws.payload["jti"].get<std::string>().size(), 32u);
    EXPECT_EQ(jws.payload.size(), 6u);

    // The next request: a new jti.
    manual.advance(7200);
    EXPECT_EQ(provider.access_token(), "access-1");
    const auto next =
        jose::parse_jws(auth_test::fields_of(mock->last_request())["client_assertion"]);
    EXPECT_NE(next.payload["jti"], jws.payload["jti"]);
    EXPECT_EQ(next.payload["iat"], kNow + 7200);
    manual.seconds = kNow;
  }
  for (const auto& line : logs) {
    EXPECT_FALSE(contains(line, "PRIVATE KEY"));
    EXPECT_FALSE(contains(line, "eyJ")) << "an assertion reached the log";
  }
}

TEST_F(PrivateKeyJwtTest, UnusableSettingsAreRefusedWithoutQuotingTheKey) {
  auto o = options(rsa_key());
  o.client_assertion_key.clear();
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{o}, rr::InvalidArgumentError);
  o.client_assertion_key =
      "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LWF0LWFsbA==\n-----END PRIVATE KEY-----\n";
  try {
    rr::ClientCredentialsTokenProvider provider(o);
    FAIL();
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.what(), "client_assertion_key"));
    EXPECT_FALSE(contains(e.what(), "bm90LWEta2V5"));
  }
  o = options(rsa_key());
  o.client_assertion_algorithm = rr::ClientAssertionAlgorithm::kES256;
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{o}, rr::InvalidArgumentError);
  o = options(rsa_key());
  o.client_assertion_lifetime = std::chrono::seconds(0);
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{o}, rr::InvalidArgumentError);
  o.client_assertion_lifetime = std::chrono::seconds(601);
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{o}, rr::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(PrivateKeyJwtTest, RefusedAssertionNeverAppearsInTheError) {
  std::string sent;
  mock->set_fallback([&sent](const rr::HttpRequest& request) {
    sent = auth_test::fields_of(request)["client_assertion"];
    return json_response(
        401, {{"error", "invalid_client"}, {"error_description", "bad assertion " + sent}});
  });
  rr::ClientCredentialsTokenProvider provider(options(rsa_key()));
  try {
    (void)provider.access_token();
    FAIL();
  } catch (const rr::AuthError& e) {
    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(e.context().error_code, "invalid_client");
    EXPECT_FALSE(contains(e.what(), sent));
  }
}

}  // namespace
