// The emulator's OAuth 2.0 server: each grant, each RFC 6749 §5.2 error, expiry, bearer checks.

#include <chrono>
#include <thread>

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

// RFC 7636 appendix B: this verifier's S256 challenge.
const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const std::string kRedirect = "http://127.0.0.1:9/callback";
const std::string kClientAuth = "client_id=demo-client-id&client_secret=demo-client-secret";

std::string query_value(const std::string& url, const std::string& key) {
  auto q = url.find('?');
  if (q == std::string::npos)
    return {};
  std::string rest = url.substr(q + 1);
  for (std::size_t start = 0; start <= rest.size();) {
    auto end = rest.find('&', start);
    if (end == std::string::npos)
      end = rest.size();
    std::string pair = rest.substr(start, end - start);
    if (pair.rfind(key + "=", 0) == 0)
      return pair.substr(key.size() + 1);
    start = end + 1;
  }
  return {};
}

class OAuthTest : public EmulatorTest {
 protected:
  /// @brief GET /authorize; returns the Location it redirects to.
  std::string authorize(const std::string& extra) {
    auto c = client();
    auto r = to_reply(c.Get(("/authorize?response_type=code&client_id=demo-client-id"
                             "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=xyz" +
                             extra)
                                .c_str()));
    EXPECT_EQ(r.status, 302) << r.body;
    return r.header("Location");
  }

  std::string code_for(const std::string& extra) { return query_value(authorize(extra), "code"); }

  Reply exchange(const std::string& code, const std::string& verifier,
                 const std::string& auth = kClientAuth) {
    return token_form("grant_type=authorization_code&code=" + code +
                      "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&code_verifier=" +
                      verifier + (auth.empty() ? "" : "&" + auth));
  }

  void expect_oauth_error(const Reply& r, int status, const std::string& error) {
    EXPECT_EQ(r.status, status) << r.body;
    ASSERT_TRUE(r.json.is_object()) << r.body;
    EXPECT_EQ(r.json["error"], error) << r.body;
    EXPECT_TRUE(r.json["error_description"].is_string());
    EXPECT_EQ(r.body.find("demo-client-secret"), std::string::npos);
  }
};

TEST_F(OAuthTest, ClientCredentialsWithFormBodyIssuesBearerToken) {
  Reply r = token_form("grant_type=client_credentials&" + kClientAuth);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["token_type"], "Bearer");
  EXPECT_EQ(r.json["expires_in"], 3600);
  EXPECT_FALSE(r.json["access_token"].get<std::string>().empty());
  EXPECT_FALSE(r.json.contains("refresh_token"));
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_EQ(api("GET", "/boards/nav", nullptr, r.json["access_token"]).status, 200);
}

TEST_F(OAuthTest, ClientCredentialsWithJsonBody) {
  Reply r = token_json({{"grant_type", "client_credentials"},
                        {"client_id", "demo-client-id"},
                        {"client_secret", "demo-client-secret"},
                        {"audience", "https://roserocket.com"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(api("GET", "/boards/nav", nullptr, r.json["access_token"]).status, 200);
}

TEST_F(OAuthTest, ClientCredentialsWithBasicAuthentication) {
  // base64("demo-client-id:demo-client-secret")
  Reply r = token_form("grant_type=client_credentials",
                       {{"Authorization", "Basic ZGVtby1jbGllbnQtaWQ6ZGVtby1jbGllbnQtc2VjcmV0"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(api("GET", "/boards/nav", nullptr, r.json["access_token"]).status, 200);
}

TEST_F(OAuthTest, WrongSecretIsInvalidClient401) {
  expect_oauth_error(
      token_form("grant_type=client_credentials&client_id=demo-client-id&client_secret=nope"), 401,
      "invalid_client");
}

TEST_F(OAuthTest, UnknownClientIsInvalidClient401) {
  expect_oauth_error(
      token_form("grant_type=client_credentials&client_id=other&client_secret=demo-client-secret"),
      401, "invalid_client");
}

TEST_F(OAuthTest, WrongBasicSecretIsInvalidClientWithChallenge) {
  // base64("demo-client-id:wrong")
  Reply r = token_form("grant_type=client_credentials",
                       {{"Authorization", "Basic ZGVtby1jbGllbnQtaWQ6d3Jvbmc="}});
  expect_oauth_error(r, 401, "invalid_client");
  EXPECT_NE(r.header("WWW-Authenticate").find("Basic"), std::string::npos);
}

TEST_F(OAuthTest, MissingClientAuthenticationIsInvalidClient) {
  expect_oauth_error(token_form("grant_type=client_credentials"), 401, "invalid_client");
}

TEST_F(OAuthTest, TwoClientAuthenticationMethodsIsInvalidRequest) {
  expect_oauth_error(
      token_form("grant_type=client_credentials&client_secret=demo-client-secret",
                 {{"Authorization", "Basic ZGVtby1jbGllbnQtaWQ6ZGVtby1jbGllbnQtc2VjcmV0"}}),
      400, "invalid_request");
}

TEST_F(OAuthTest, MissingGrantTypeIsInvalidRequest) {
  expect_oauth_error(token_form(kClientAuth), 400, "invalid_request");
}

TEST_F(OAuthTest, UnknownGrantTypeIsUnsupportedGrantType) {
  expect_oauth_error(token_form("grant_type=password&" + kClientAuth), 400,
                     "unsupported_grant_type");
}

TEST_F(OAuthTest, MalformedJsonBodyIsInvalidRequest) {
  auto c = client();
  expect_oauth_error(to_reply(c.Post("/oauth/token", "{not json", "application/json")), 400,
                     "invalid_request");
}

TEST_F(OAuthTest, AuthorizeRedirectsAtOnceWithCodeAndState) {
  const std::string location = authorize("&scope=openid%20offline_access&audience=x");
  EXPECT_EQ(location.rfind(kRedirect + "?code=", 0), 0u);
  EXPECT_EQ(query_value(location, "state"), "xyz");
  EXPECT_FALSE(query_value(location, "code").empty());
}

TEST_F(OAuthTest, AuthorizeRejectsOtherResponseTypesByRedirect) {
  auto c = client();
  Reply r =
      to_reply(c.Get("/authorize?response_type=token&client_id=demo-client-id"
                     "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=s1"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(query_value(r.header("Location"), "error"), "unsupported_response_type");
  EXPECT_EQ(query_value(r.header("Location"), "state"), "s1");
}

TEST_F(OAuthTest, AuthorizeUnknownClientIsAnErrorPageNotARedirect) {
  auto c = client();
  Reply r = to_reply(c.Get(
      "/authorize?response_type=code&client_id=evil&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fx"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.header("Location").empty());
}

TEST_F(OAuthTest, AuthorizationCodeWithPkceS256) {
  const std::string code =
      code_for("&code_challenge=" + kChallenge + "&code_challenge_method=S256");
  Reply r = exchange(code, kVerifier);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(api("GET", "/boards/nav", nullptr, r.json["access_token"]).status, 200);
}

TEST_F(OAuthTest, AuthorizationCodeWithPkcePlain) {
  const std::string code = code_for(
      "&code_challenge=plain-verifier-0123456789-0123456789-0123"
      "&code_challenge_method=plain");
  Reply r = exchange(code, "plain-verifier-0123456789-0123456789-0123");
  ASSERT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, AuthorizationCodeWithPkceNeedsNoSecretForPublicClient) {
  const std::string code =
      code_for("&code_challenge=" + kChallenge + "&code_challenge_method=S256");
  Reply r = exchange(code, kVerifier, "client_id=demo-client-id");
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, AuthorizationCodeWithWrongVerifierIsInvalidGrant) {
  const std::string code =
      code_for("&code_challenge=" + kChallenge + "&code_challenge_method=S256");
  expect_oauth_error(exchange(code, "wrong-verifier-wrong-verifier-wrong-verifier-00"), 400,
                     "invalid_grant");
}

TEST_F(OAuthTest, AuthorizationCodeIsSingleUse) {
  const std::string code =
      code_for("&code_challenge=" + kChallenge + "&code_challenge_method=S256");
  ASSERT_EQ(exchange(code, kVerifier).status, 200);
  expect_oauth_error(exchange(code, kVerifier), 400, "invalid_grant");
}

TEST_F(OAuthTest, UnknownAuthorizationCodeIsInvalidGrant) {
  expect_oauth_error(exchange("no-such-code", kVerifier), 400, "invalid_grant");
}

TEST_F(OAuthTest, AuthorizationCodeWithOtherRedirectUriIsInvalidGrant) {
  const std::string code = code_for("");
  expect_oauth_error(token_form("grant_type=authorization_code&code=" + code +
                                "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fother&" + kClientAuth),
                     400, "invalid_grant");
}

TEST_F(OAuthTest, MissingCodeIsInvalidRequest) {
  expect_oauth_error(token_form("grant_type=authorization_code&" + kClientAuth), 400,
                     "invalid_request");
}

TEST_F(OAuthTest, RefreshTokenOnlyWithOfflineAccess) {
  Reply without = exchange(code_for("&scope=openid"), "");
  ASSERT_EQ(without.status, 200) << without.body;
  EXPECT_FALSE(without.json.contains("refresh_token"));
  Reply with = exchange(code_for("&scope=openid%20offline_access"), "");
  ASSERT_EQ(with.status, 200) << with.body;
  EXPECT_TRUE(with.json.contains("refresh_token"));
  EXPECT_EQ(with.json["scope"], "openid offline_access");
}

TEST_F(OAuthTest, RefreshTokenRotates) {
  Reply first = exchange(code_for("&scope=offline_access"), "");
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string old_refresh = first.json["refresh_token"];
  Reply second =
      token_form("grant_type=refresh_token&refresh_token=" + old_refresh + "&" + kClientAuth);
  ASSERT_EQ(second.status, 200) << second.body;
  const std::string new_refresh = second.json["refresh_token"];
  EXPECT_TRUE(new_refresh != old_refresh);  // compared without printing tokens
  EXPECT_EQ(api("GET", "/boards/nav", nullptr, second.json["access_token"]).status, 200);
  // The old refresh token stopped working; the new one works once.
  expect_oauth_error(
      token_form("grant_type=refresh_token&refresh_token=" + old_refresh + "&" + kClientAuth), 400,
      "invalid_grant");
  EXPECT_EQ(token_form("grant_type=refresh_token&refresh_token=" + new_refresh + "&" + kClientAuth)
                .status,
            200);
}

TEST_F(OAuthTest, MissingRefreshTokenIsInvalidRequest) {
  expect_oauth_error(token_form("grant_type=refresh_token&" + kClientAuth), 400, "invalid_request");
}

TEST_F(OAuthTest, MissingBearerTokenIsNestJs401) {
  Reply r = raw("GET", kApi + "/boards/nav", "", "-");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json,
            (Json{{"statusCode", 401}, {"message", "Unauthorized"}, {"error", "Unauthorized"}}));
}

TEST_F(OAuthTest, MalformedBearerHeaderIs401) {
  auto c = client();
  Reply r = to_reply(c.Get((kApi + "/boards/nav").c_str(), {{"Authorization", "Token abc"}}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json["message"], "Unauthorized");
  EXPECT_EQ(api("GET", "/boards/nav", nullptr, "not-a-token").status, 401);
}

TEST_F(OAuthTest, TokenRequestsAreCountedByGrant) {
  token_form("grant_type=client_credentials&" + kClientAuth);
  token_form("grant_type=refresh_token&refresh_token=x&" + kClientAuth);
  auto stats = emulator_->stats();
  EXPECT_EQ(stats.token_requests["client_credentials"], 2u);  // SetUp's token, and this one
  EXPECT_EQ(stats.token_requests["refresh_token"], 1u);
}

class ExpiredCodeTest : public OAuthTest {
 protected:
  rr_emulator::Options make_options() override {
    rr_emulator::Options o;
    o.code_ttl = std::chrono::seconds(0);  // every code is already expired when used
    return o;
  }
};

TEST_F(ExpiredCodeTest, ExpiredAuthorizationCodeIsInvalidGrant) {
  expect_oauth_error(exchange(code_for(""), ""), 400, "invalid_grant");
}

class ShortTokenTest : public EmulatorTest {
 protected:
  rr_emulator::Options make_options() override {
    rr_emulator::Options o;
    o.token_ttl = std::chrono::seconds(1);
    return o;
  }
};

TEST_F(ShortTokenTest, TokenExpiresAfterTtl) {
  Reply issued = token_form("grant_type=client_credentials&" + kClientAuth);
  ASSERT_EQ(issued.json["expires_in"], 1);
  const std::string token = issued.json["access_token"];
  // Waits for the condition (a 401) with a generous bound, rather than sleeping a fixed time.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (std::chrono::steady_clock::now() < give_up) {
    status = api("GET", "/boards/nav", nullptr, token).status;
    if (status == 401)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 401);
  Reply after = api("GET", "/boards/nav", nullptr, token);
  EXPECT_EQ(after.json["message"], "Unauthorized");
}

}  // namespace
}  // namespace rr_emulator_test
