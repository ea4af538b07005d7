// Issue 15 against MockTransport: token-endpoint retries and redirects, OpenID discovery,
// RFC 9207 `iss` in the redirect, and where resource, prompt and the extra parameters go.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth_test_helpers.hpp"
#include "support/threads.hpp"

namespace {

namespace rr = roserocket;
using auth_test::contains;
using auth_test::FakeTokenEndpoint;
using auth_test::fields_of;
using auth_test::json_response;
using auth_test::ManualClock;
using roserocket::mock::MockTransport;

constexpr const char* kTokenUrl = "https://auth.example.test/oauth/token";
constexpr const char* kIssuer = "https://id.example.test";
constexpr const char* kDiscoveryUrl = "https://id.example.test/.well-known/openid-configuration";

nlohmann::json discovery_document(const std::string& issuer = kIssuer) {
  return {{"issuer", issuer},
          {"authorization_endpoint", "https://id.example.test/oauth2/authorize"},
          {"token_endpoint", "https://id.example.test/oauth2/token"},
          {"jwks_uri", "https://id.example.test/oauth2/keys"},
          {"response_types_supported", nlohmann::json::array({"code"})},
          {"token_endpoint_auth_methods_supported",
           nlohmann::json::array({"client_secret_basic", "private_key_jwt"})},
          {"authorization_response_iss_parameter_supported", true}};
}

struct RetryTest : ::testing::Test {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  FakeTokenEndpoint endpoint;
  ManualClock manual;
  std::mutex sleeps_mutex;
  std::vector<std::chrono::milliseconds> sleeps;

  rr::OAuthOptions options() {
    rr::OAuthOptions o;
    o.token_url = kTokenUrl;
    o.authorize_url = "https://auth.example.test/authorize";
    o.client_id = "client-1";
    o.client_secret = "the-client-secret";
    o.transport = mock;
    o.clock = manual.clock();
    // Every backoff is recorded, never waited for.
    o.clock.sleep = [this](std::chrono::milliseconds d) {
      std::lock_guard<std::mutex> lock(sleeps_mutex);
      sleeps.push_back(d);
    };
    o.retry.jitter = 0;  // backoffs are then exactly 250 ms, 500 ms, ...
    return o;
  }
  void serve_tokens() {
    mock->set_fallback([this](const rr::HttpRequest& r) { return endpoint.answer(r); });
  }
  rr::HttpResponse status(int code, rr::Headers headers = {}) {
    headers.set("Content-Type", "application/json");
    return {code, std::move(headers), R"({"error":"temporarily_unavailable"})"};
  }
};

class RetryableStatus : public RetryTest, public ::testing::WithParamInterface<int> {};

TEST_P(RetryableStatus, IsSentAgainWithTheSameRequestAfterTheBackoff) {
  serve_tokens();
  mock->enqueue(status(GetParam()));
  mock->enqueue(status(GetParam()));
  rr::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "access-1");

  const auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, rr::HttpMethod::kPost);
    EXPECT_EQ(r.url, kTokenUrl);
    EXPECT_TRUE(r.body == requests[0].body) << "every attempt sends the same request";
  }
  EXPECT_EQ(fields_of(requests[0])["grant_type"], "client_credentials");
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(250),
                                                            std::chrono::milliseconds(500)}));
}

INSTANTIATE_TEST_SUITE_P(TokenEndpoint, RetryableStatus, ::testing::Values(429, 502, 503, 504));

class FinalStatus : public RetryTest, public ::testing::WithParamInterface<int> {};

TEST_P(FinalStatus, IsOneRequestAndAnAuthError) {
  serve_tokens();
  mock->enqueue(json_response(GetParam(), {{"error", "invalid_grant"}}));
  rr::ClientCredentialsTokenProvider provider(options());
  try {
    (void)provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.status(), GetParam());
    EXPECT_EQ(e.oauth_error(), "invalid_grant");
  }
  EXPECT_EQ(mock->request_count(), 1u);
  EXPECT_TRUE(sleeps.empty());
}

INSTANTIATE_TEST_SUITE_P(TokenEndpoint, FinalStatus, ::testing::Values(400, 401, 403, 500));

TEST_F(RetryTest, ConnectionFailuresAreRetried) {
  serve_tokens();
  rr::ErrorContext context;
  mock->enqueue_error(
      std::make_exception_ptr(rr::TransportError("connection refused", context, false)));
  mock->enqueue_error(
      std::make_exception_ptr(rr::TimeoutError("timed out", context, /*sent=*/true)));
  rr::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_EQ(mock->request_count(), 3u);
  EXPECT_EQ(sleeps.size(), 2u);
}

TEST_F(RetryTest, RetryAfterSecondsAndDateReplaceTheBackoff) {
  serve_tokens();
  mock->enqueue(status(429, {{"Retry-After", "7"}}));
  // ManualClock's wall clock stands at 1,700,000,000 s = Tue, 14 Nov 2023 22:13:20 GMT.
  mock->enqueue(status(503, {{"Retry-After", "Tue, 14 Nov 2023 22:13:32 GMT"}}));
  rr::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_EQ(mock->request_count(), 3u);
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{std::chrono::seconds(7),
                                                            std::chrono::seconds(12)}));
}

TEST_F(RetryTest, RetryAfterLongerThanThePolicyAllowsEndsTheRetries) {
  serve_tokens();
  mock->enqueue(status(503, {{"Retry-After", "120"}}));
  rr::ClientCredentialsTokenProvider provider(options());
  try {
    (void)provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.status(), 503);
  }
  EXPECT_EQ(mock->request_count(), 1u);
  EXPECT_TRUE(sleeps.empty());
}

TEST_F(RetryTest, GivesUpAfterMaxAttemptsWithTheLastAnswer) {
  mock->set_fallback([this](const rr::HttpRequest&) { return status(502); });
  auto o = options();
  o.retry.max_attempts = 3;
  rr::ClientCredentialsTokenProvider provider(o);
  try {
    (void)provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_EQ(e.oauth_error(), "temporarily_unavailable");
  }
  EXPECT_EQ(mock->request_count(), 3u);

  rr::ErrorContext context;
  mock->set_fallback([context](const rr::HttpRequest&) -> rr::HttpResponse {
    throw rr::TransportError("connection refused", context, false);
  });
  EXPECT_THROW((void)provider.access_token(), rr::TransportError);
  EXPECT_EQ(mock->request_count(), 6u);
}

TEST_F(RetryTest, RetryPolicyNoneSendsOnce) {
  mock->enqueue(status(503));
  auto o = options();
  o.retry = rr::RetryPolicy::none();
  rr::ClientCredentialsTokenProvider provider(o);
  EXPECT_THROW((void)provider.access_token(), rr::AuthError);
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(RetryTest, RefreshTokenAndCodeExchangeRetryToo) {
  serve_tokens();
  mock->enqueue(status(503));
  rr::TokenSet initial;
  initial.refresh_token = "refresh-0";
  rr::RefreshTokenProvider refresher(options(), initial);
  EXPECT_EQ(refresher.access_token(), "access-1");
  EXPECT_EQ(mock->request_count(), 2u);
  EXPECT_EQ(fields_of(mock->requests()[1])["refresh_token"], "refresh-0");

  mock->enqueue(status(504));
  rr::AuthorizationCodeFlow flow(options());
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  EXPECT_EQ(flow.exchange(request, {"the-code", request.state, ""}).access_token, "access-2");
  EXPECT_EQ(mock->request_count(), 4u);
}

TEST_F(RetryTest, ManyWaitersShareOneRefreshWithItsRetries) {
  serve_tokens();
  rr::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "access-1");
  manual.advance(3600);  // expired
  mock->enqueue(status(503));
  mock->enqueue(status(429));
  std::vector<std::string> seen(32);
  rr_test::run_together(32, [&](int i) {
    seen[static_cast<std::size_t>(i)] = provider.access_token();
    return true;
  });
  EXPECT_EQ(mock->request_count(), 4u) << "1 first token + one refresh of 3 attempts";
  EXPECT_EQ(endpoint.token_requests, 2);
  for (const auto& token : seen)
    EXPECT_EQ(token, "access-2");
}

class RedirectStatus : public RetryTest, public ::testing::WithParamInterface<int> {};

TEST_P(RedirectStatus, IsAnAuthErrorNamingTheRedirectAndOnlyItsHost) {
  mock->enqueue(rr::HttpResponse{
      GetParam(),
      {{"Location", "https://user:pw-secret@moved.example.test:8443/oauth/token?key=leak#frag"}},
      ""});
  rr::ClientCredentialsTokenProvider provider(options());
  try {
    (void)provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.status(), GetParam());
    EXPECT_TRUE(contains(what, std::to_string(GetParam()))) << what;
    EXPECT_TRUE(contains(what, "redirect")) << what;
    EXPECT_TRUE(contains(what, "https://moved.example.test:8443")) << what;
    EXPECT_FALSE(contains(what, "pw-secret")) << what;
    EXPECT_FALSE(contains(what, "leak")) << what;
    EXPECT_FALSE(contains(what, "/oauth/token?")) << what;
  }
  EXPECT_EQ(mock->request_count(), 1u) << "a redirect is neither followed nor retried";
}

INSTANTIATE_TEST_SUITE_P(TokenEndpoint, RedirectStatus, ::testing::Values(301, 302, 303, 307, 308));

TEST_F(RetryTest, RelativeRedirectAndMissingLocationAreNamedToo) {
  mock->enqueue(rr::HttpResponse{307, {{"Location", "/elsewhere?secret=1"}}, ""});
  mock->enqueue(rr::HttpResponse{308, {}, ""});
  rr::ClientCredentialsTokenProvider provider(options());
  try {
    (void)provider.access_token();
    FAIL();
  } catch (const rr::AuthError& e) {
    EXPECT_TRUE(contains(e.what(), "a location on the same host")) << e.what();
    EXPECT_FALSE(contains(e.what(), "secret=1")) << e.what();
  }
  try {
    (void)provider.access_token();
    FAIL();
  } catch (const rr::AuthError& e) {
    EXPECT_TRUE(contains(e.what(), "no Location")) << e.what();
  }
}

TEST_F(RetryTest, RetriesAreLoggedWithoutTheSecret) {
  serve_tokens();
  mock->enqueue(status(503));
  std::vector<std::string> logged;
  std::mutex log_mutex;
  auto o = options();
  o.logger = [&](const rr::LogRecord& r) {
    std::lock_guard<std::mutex> lock(log_mutex);
    logged.push_back(r.message);
  };
  rr::ClientCredentialsTokenProvider provider(o);
  (void)provider.access_token();
  bool retry_logged = false;
  for (const auto& line : logged) {
    EXPECT_FALSE(contains(line, "the-client-secret")) << line;
    retry_logged = retry_logged || contains(line, "status 503; retrying in 250 ms");
  }
  EXPECT_TRUE(retry_logged);
}

// ---- OpenID discovery ----

struct DiscoveryTest : RetryTest {
  std::atomic<int> discovery_gets{0};
  nlohmann::json document = discovery_document();

  // Answers the discovery GET with `document` and token requests with the fake endpoint.
  void serve_all() {
    mock->set_fallback([this](const rr::HttpRequest& r) {
      if (r.method == rr::HttpMethod::kGet && r.url == kDiscoveryUrl) {
        ++discovery_gets;
        return json_response(200, document);
      }
      return endpoint.answer(r);
    });
  }
  rr::OAuthOptions issuer_options() {
    auto o = options();
    o.token_url.clear();
    o.authorize_url.clear();
    o.issuer = kIssuer;
    return o;
  }
};

TEST_F(DiscoveryTest, IssuerAloneFindsTheEndpointsOnceForManyTokenRequests) {
  serve_all();
  rr::ClientCredentialsTokenProvider provider(issuer_options());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(provider.access_token(), "access-" + std::to_string(i + 1));
    manual.advance(3600);
  }
  EXPECT_EQ(discovery_gets, 1);
  const auto requests = mock->requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[0].method, rr::HttpMethod::kGet);
  EXPECT_EQ(requests[0].url, kDiscoveryUrl);
  EXPECT_EQ(requests[0].headers.get("Accept"), "application/json");
  EXPECT_TRUE(requests[0].body.empty());
  for (std::size_t i = 1; i < requests.size(); ++i)
    EXPECT_EQ(requests[i].url, "https://id.example.test/oauth2/token");
  EXPECT_EQ(provider.options().token_url, "https://id.example.test/oauth2/token");
  EXPECT_EQ(provider.options().authorize_url, "https://id.example.test/oauth2/authorize");
  EXPECT_EQ(provider.options().jwks_url, "https://id.example.test/oauth2/keys");
  EXPECT_TRUE(provider.options().require_authorization_response_iss);
}

TEST_F(DiscoveryTest, ExplicitUrlsWinOverDiscoveredOnes) {
  serve_all();
  auto o = issuer_options();
  o.token_url = kTokenUrl;
  o.jwks_url = "https://keys.example.test/jwks";
  rr::AuthorizationCodeFlow flow(o);
  EXPECT_EQ(flow.options().token_url, kTokenUrl);
  EXPECT_EQ(flow.options().authorize_url, "https://id.example.test/oauth2/authorize");
  EXPECT_EQ(flow.options().jwks_url, "https://keys.example.test/jwks");
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  EXPECT_EQ(request.url.rfind("https://id.example.test/oauth2/authorize?", 0), 0u);
  (void)flow.exchange(request, {"the-code", request.state, kIssuer});
  EXPECT_EQ(mock->last_request().url, kTokenUrl);
  EXPECT_EQ(discovery_gets, 1);
}

TEST_F(DiscoveryTest, AnotherIssuerInTheDocumentIsAnAuthErrorAndNothingIsUsed) {
  document = discovery_document("https://evil.example.test");
  serve_all();
  try {
    rr::ClientCredentialsTokenProvider provider(issuer_options());
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "issuer_mismatch");
    EXPECT_TRUE(contains(e.what(), "https://evil.example.test")) << e.what();
    EXPECT_TRUE(contains(e.what(), kIssuer)) << e.what();
  }
  EXPECT_EQ(mock->request_count(), 1u) << "no token request to a mixed-up issuer";

  document.erase("issuer");
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{issuer_options()}, rr::AuthError);
  // Case and path matter: only a trailing slash is forgiven.
  document = discovery_document("https://ID.example.test");
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{issuer_options()}, rr::AuthError);
  document = discovery_document("https://id.example.test/tenant");
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{issuer_options()}, rr::AuthError);
}

TEST_F(DiscoveryTest, ATrailingSlashOnEitherSideIsTheSameIssuer) {
  document = discovery_document("https://id.example.test/");
  serve_all();
  rr::ClientCredentialsTokenProvider provider(issuer_options());
  EXPECT_EQ(provider.options().issuer, "https://id.example.test/") << "the document's spelling";
  EXPECT_EQ(mock->requests()[0].url, kDiscoveryUrl);

  auto o = issuer_options();
  o.issuer = "https://id.example.test/";
  rr::ClientCredentialsTokenProvider second(o);
  EXPECT_EQ(mock->requests()[1].url, kDiscoveryUrl) << "no double slash";
}

TEST_F(DiscoveryTest, TransientFailuresAreRetriedAndOthersReported) {
  serve_all();
  mock->enqueue(status(503));
  rr::ClientCredentialsTokenProvider provider(issuer_options());
  EXPECT_EQ(discovery_gets, 1);
  EXPECT_EQ(mock->request_count(), 2u);

  mock->enqueue(json_response(404, {{"message", "Not Found"}}));
  try {
    rr::ClientCredentialsTokenProvider missing(issuer_options());
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.operation(), "auth.discovery");
  }
  mock->enqueue(rr::HttpResponse{200, {}, "<html>login</html>"});
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{issuer_options()}, rr::MalformedResponseError);
  mock->enqueue(rr::HttpResponse{302, {{"Location", "https://sso.example.test/x?y"}}, ""});
  try {
    rr::ClientCredentialsTokenProvider redirected(issuer_options());
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_TRUE(contains(e.what(), "https://sso.example.test")) << e.what();
  }
}

TEST_F(DiscoveryTest, NeededEndpointsMissingFromTheDocumentAreNamed) {
  document.erase("authorization_endpoint");
  serve_all();
  rr::ClientCredentialsTokenProvider fine(issuer_options());  // needs no authorize URL
  try {
    rr::AuthorizationCodeFlow flow(issuer_options());
    FAIL() << "expected InvalidArgumentError";
  } catch (const rr::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.what(), "authorization_endpoint")) << e.what();
  }
  document.erase("token_endpoint");
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{issuer_options()}, rr::InvalidArgumentError);
}

TEST_F(DiscoveryTest, DiscoveredEndpointsMustBeHttpsAndSoMustTheIssuer) {
  document["token_endpoint"] = "http://id.example.test/oauth2/token";
  serve_all();
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{issuer_options()}, rr::InvalidArgumentError);
  auto o = issuer_options();
  o.issuer = "http://id.example.test";
  const auto before = mock->request_count();
  EXPECT_THROW(rr::ClientCredentialsTokenProvider{o}, rr::InvalidArgumentError);
  EXPECT_EQ(mock->request_count(), before) << "nothing is fetched over plain http";
}

TEST_F(DiscoveryTest, WithoutIssuerTheEndpointsAreRoseRocketsAndNothingIsFetched) {
  rr::OAuthOptions o;
  EXPECT_TRUE(o.token_url.empty());
  EXPECT_TRUE(o.authorize_url.empty());
  o.client_id = "client-1";
  o.transport = mock;
  rr::AuthorizationCodeFlow flow(o);
  EXPECT_EQ(flow.options().token_url, "https://a.roserocket.com/oauth/token");
  EXPECT_EQ(flow.options().authorize_url, "https://a.roserocket.com/authorize");
  EXPECT_FALSE(flow.options().require_authorization_response_iss);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(DiscoveryTest, PublicFunctionReadsTheWholeDocument) {
  serve_all();
  const auto found = rr::discover_openid_configuration(issuer_options());
  EXPECT_EQ(found.issuer, kIssuer);
  EXPECT_EQ(found.token_endpoint, "https://id.example.test/oauth2/token");
  EXPECT_EQ(found.authorization_endpoint, "https://id.example.test/oauth2/authorize");
  EXPECT_EQ(found.jwks_uri, "https://id.example.test/oauth2/keys");
  EXPECT_TRUE(found.authorization_response_iss_parameter_supported);
  EXPECT_EQ(found.token_endpoint_auth_methods_supported,
            (std::vector<std::string>{"client_secret_basic", "private_key_jwt"}));
  EXPECT_EQ(found.response_types_supported, std::vector<std::string>{"code"});
  auto o = issuer_options();
  o.issuer.clear();
  EXPECT_THROW((void)rr::discover_openid_configuration(o), rr::InvalidArgumentError);
}

// ---- RFC 9207: iss in the authorization redirect ----

TEST_F(DiscoveryTest, RedirectWithoutIssIsRefusedWhenTheIssuerPromisesIt) {
  serve_all();
  rr::AuthorizationCodeFlow flow(issuer_options());
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  const auto before = mock->request_count();
  try {
    (void)flow.exchange(request, {"the-code", request.state, ""});
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "iss_missing");
  }
  try {
    (void)flow.exchange(request, {"the-code", request.state, "https://evil.example.test"});
    FAIL() << "expected AuthError";
  } catch (const rr::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "iss_mismatch");
    EXPECT_FALSE(contains(e.what(), "the-code")) << e.what();
  }
  EXPECT_EQ(mock->request_count(), before) << "the code is never sent after a failed check";

  const auto parsed = rr::AuthorizationCodeFlow::parse_redirect(
      "http://127.0.0.1:5555/callback?code=the-code&state=" + request.state +
      "&iss=https%3A%2F%2Fid.example.test");
  EXPECT_EQ(parsed.iss, kIssuer);
  EXPECT_EQ(flow.exchange(request, parsed).access_token, "access-1");
}

TEST_F(DiscoveryTest, AnIssThatArrivesUnpromisedIsCheckedToo) {
  document["authorization_response_iss_parameter_supported"] = false;
  serve_all();
  rr::AuthorizationCodeFlow flow(issuer_options());
  EXPECT_FALSE(flow.options().require_authorization_response_iss);
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  EXPECT_THROW((void)flow.exchange(request, {"the-code", request.state, "https://other.test"}),
               rr::AuthError);
  EXPECT_EQ(flow.exchange(request, {"the-code", request.state, ""}).access_token, "access-1");
}

// ---- resource, prompt and the parameter split ----

TEST_F(RetryTest, AuthorizeUrlIsExactWithResourcesPromptAndAuthorizeParams) {
  auto o = options();
  o.scopes = {"profile"};
  o.audience.clear();
  o.resources = {"https://api.example.test/", "urn:example:orders"};
  o.prompt = "consent";
  o.authorize_params = {{"login_hint", "ann@example.test"}};
  o.token_params = {{"org_id", "org-9"}};
  rr::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  EXPECT_EQ(request.url,
            "https://auth.example.test/authorize?response_type=code&client_id=client-1"
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback&scope=profile"
            "&resource=https%3A%2F%2Fapi.example.test%2F&resource=urn%3Aexample%3Aorders"
            "&prompt=consent&state=" +
                request.state +
                "&code_challenge=" + rr::pkce_code_challenge(request.code_verifier) +
                "&code_challenge_method=S256&login_hint=ann%40example.test");
}

TEST_F(RetryTest, TokenBodiesAreExactWithResourcesAndTokenParamsButNoPrompt) {
  serve_tokens();
  auto o = options();
  o.scopes = {"profile"};
  o.resources = {"https://api.example.test/", "urn:example:orders"};
  o.prompt = "login";
  o.authorize_params = {{"login_hint", "ann@example.test"}};
  o.token_params = {{"org_id", "org-9"}};
  rr::ClientCredentialsTokenProvider provider(o);
  (void)provider.access_token();
  EXPECT_EQ(mock->last_request().body,
            "grant_type=client_credentials&audience=https%3A%2F%2Froserocket.com&scope=profile"
            "&resource=https%3A%2F%2Fapi.example.test%2F&resource=urn%3Aexample%3Aorders"
            "&org_id=org-9&client_id=client-1&client_secret=the-client-secret");

  rr::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  (void)flow.exchange(request, {"the-code", request.state, ""});
  EXPECT_EQ(mock->last_request().body,
            "grant_type=authorization_code&code=the-code"
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback&code_verifier=" +
                request.code_verifier +
                "&resource=https%3A%2F%2Fapi.example.test%2F&resource=urn%3Aexample%3Aorders"
                "&org_id=org-9&client_id=client-1&client_secret=the-client-secret");
}

TEST_F(RetryTest, JsonTokenBodyCarriesRepeatedResourcesAsAnArray) {
  serve_tokens();
  auto o = options();
  o.encoding = rr::TokenRequestEncoding::kJson;
  o.audience.clear();
  o.resources = {"https://a.example.test/", "https://b.example.test/"};
  rr::ClientCredentialsTokenProvider provider(o);
  (void)provider.access_token();
  EXPECT_EQ(nlohmann::json::parse(mock->last_request().body),
            (nlohmann::json{{"grant_type", "client_credentials"},
                            {"resource", nlohmann::json::array({"https://a.example.test/",
                                                                "https://b.example.test/"})},
                            {"client_id", "client-1"},
                            {"client_secret", "the-client-secret"}}));
}

TEST_F(RetryTest, DeprecatedExtraParamsStillGoToBothPlacesAfterTheNewLists) {
  serve_tokens();
  auto o = options();
  o.audience.clear();
  o.authorize_params = {{"a", "1"}};
  o.token_params = {{"t", "2"}};
  o.extra_params = {{"x", "3"}};
  rr::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  EXPECT_TRUE(contains(request.url, "&code_challenge_method=S256&a=1&x=3"));
  EXPECT_FALSE(contains(request.url, "t=2"));
  (void)flow.exchange(request, {"the-code", request.state, ""});
  const std::string body = mock->last_request().body;
  EXPECT_TRUE(contains(body, "&t=2&x=3&client_id=client-1")) << body;
  EXPECT_FALSE(contains(body, "a=1")) << body;
}

}  // namespace
