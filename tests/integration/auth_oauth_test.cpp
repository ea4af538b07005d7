// The OAuth providers, the loopback receiver and Client's 401 handling against a real token
// endpoint and API on 127.0.0.1 (tests/support/oauth_test_server.hpp), over CurlTransport.

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "roserocket/objects/objects_api.hpp"
#include "roserocket/roserocket.hpp"
#include "support/oauth_test_server.hpp"
#include "support/threads.hpp"

namespace {

using rr_test::OAuthTestServer;

// A wall clock the test moves by hand (the server keeps real time).
struct ManualClock {
  std::atomic<long long> offset_seconds{0};
  roserocket::Clock clock() {
    roserocket::Clock c = roserocket::Clock::real();
    c.system_now = [this] {
      return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds.load());
    };
    return c;
  }
};

std::shared_ptr<roserocket::HttpTransport> transport() {
  static auto shared = std::make_shared<roserocket::CurlTransport>();
  return shared;
}

roserocket::OAuthOptions oauth_for(const OAuthTestServer& server) {
  roserocket::OAuthOptions o;
  o.token_url = server.token_url();
  o.authorize_url = server.authorize_url();
  o.client_id = server.options().client_id;
  o.client_secret = server.options().client_secret;
  o.transport = transport();
  return o;
}

roserocket::Client client_for(const OAuthTestServer& server,
                              std::shared_ptr<roserocket::TokenProvider> tokens) {
  roserocket::ClientOptions options;
  options.base_url = server.base_url();
  options.token_provider = std::move(tokens);
  options.transport = transport();
  options.retry = roserocket::RetryPolicy::none();
  return roserocket::Client(options);
}

// GETs @p url and returns the Location of its redirect (CurlTransport does not follow them).
std::string location_of(const std::string& url) {
  roserocket::HttpRequest request;
  request.url = url;
  const auto response = transport()->send(request);
  EXPECT_EQ(response.status, 302);
  return response.headers.get("Location").value_or("");
}

// Plays the browser: follows the authorize URL's redirect to the loopback receiver. The last
// GET runs on its own thread because the receiver answers it only once `wait` runs.
struct OAuthTestBrowser {
  std::future<roserocket::HttpResponse> pending;
  void open(const std::string& authorize_url) {
    const std::string callback = location_of(authorize_url);
    pending = std::async(std::launch::async, [callback] {
      roserocket::HttpRequest request;
      request.url = callback;
      return transport()->send(request);
    });
  }
};

TEST(OAuthLoopback, ClientCredentialsTokenReachesTheApi) {
  OAuthTestServer server;
  auto o = oauth_for(server);
  o.extra_params = {{"org_id", "org-1"}};
  auto tokens = std::make_shared<roserocket::ClientCredentialsTokenProvider>(o);
  auto client = client_for(server, tokens);
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  EXPECT_EQ(client.objects().get("c2")["id"], "c2");
  EXPECT_EQ(server.token_requests("client_credentials"), 1);
  EXPECT_EQ(server.api_requests(), 2);
}

TEST(OAuthLoopback, BasicAuthAndJsonBodiesAreAccepted) {
  OAuthTestServer server;
  auto o = oauth_for(server);
  o.client_auth = roserocket::ClientAuthMethod::kClientSecretBasic;
  o.encoding = roserocket::TokenRequestEncoding::kJson;
  roserocket::ClientCredentialsTokenProvider tokens(o);
  EXPECT_FALSE(tokens.access_token().empty());
  EXPECT_EQ(server.token_requests(), 1);
}

TEST(OAuthLoopback, WrongClientSecretIsInvalidClient) {
  OAuthTestServer server;
  auto o = oauth_for(server);
  o.client_secret = "not-the-secret";
  roserocket::ClientCredentialsTokenProvider tokens(o);
  try {
    tokens.access_token();
    FAIL() << "expected AuthError";
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_client");
    EXPECT_EQ(e.status(), 401);
    EXPECT_EQ(e.messages().at(0), "Client authentication failed");
  }
}

TEST(OAuthLoopback, RefreshRotatesAndTheOldRefreshTokenIsThenInvalidGrant) {
  OAuthTestServer server;
  const std::string first = server.issue_refresh_token();
  auto store = std::make_shared<roserocket::InMemoryTokenStore>();
  auto o = oauth_for(server);
  o.token_store = store;
  int reported = 0;
  o.on_tokens = [&](const roserocket::TokenSet&) { ++reported; };
  roserocket::TokenSet initial;
  initial.refresh_token = first;
  auto tokens = std::make_shared<roserocket::RefreshTokenProvider>(o, initial);
  auto client = client_for(server, tokens);
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  const std::string second = tokens->tokens()->refresh_token;
  EXPECT_FALSE(second.empty());
  EXPECT_TRUE(second != first) << "the server rotated the refresh token";
  EXPECT_TRUE(store->load()->refresh_token == second);

  server.revoke_access_tokens();  // forces a 401 -> refresh with the rotated token
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  EXPECT_EQ(server.token_requests("refresh_token"), 2);
  EXPECT_TRUE(store->load()->refresh_token != second);
  EXPECT_EQ(reported, 3);  // initial + two refreshes

  roserocket::TokenSet stale;
  stale.refresh_token = first;  // already used: rotation revoked it
  roserocket::RefreshTokenProvider replay(oauth_for(server), stale);
  try {
    replay.access_token();
    FAIL() << "expected AuthError";
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_grant");
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(OAuthLoopback, ShortLivedTokenIsRenewedBeforeTheServerRefusesIt) {
  OAuthTestServer::Options server_options;
  server_options.access_ttl = std::chrono::seconds(1);
  OAuthTestServer server(server_options);
  auto tokens = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth_for(server));
  auto client = client_for(server, tokens);
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  const auto expires_at = *tokens->tokens()->expires_at;
  // Wait for the expiry itself (a condition on the clock), not for a guessed duration.
  while (std::chrono::system_clock::now() < expires_at) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  EXPECT_EQ(server.token_requests(), 2);
  EXPECT_EQ(server.api_401s(), 0) << "renewed ahead of expiry, not after a 401";
}

TEST(OAuthLoopback, A401RefreshesOnceAndResends) {
  OAuthTestServer server;
  auto tokens = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth_for(server));
  auto client = client_for(server, tokens);
  client.objects().get("c1");
  server.revoke_access_tokens();
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  EXPECT_EQ(server.token_requests(), 2);
  EXPECT_EQ(server.api_401s(), 1);
  EXPECT_EQ(server.api_requests(), 3);
}

TEST(OAuthLoopback, ASecond401IsUnauthorized) {
  OAuthTestServer::Options server_options;
  server_options.access_ttl = std::chrono::milliseconds(0);  // every token is dead on arrival
  OAuthTestServer server(server_options);
  auto tokens = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth_for(server));
  auto client = client_for(server, tokens);
  EXPECT_THROW(client.objects().get("c1"), roserocket::UnauthorizedError);
  EXPECT_EQ(server.token_requests(), 2);
  EXPECT_EQ(server.api_requests(), 2);
}

TEST(OAuthLoopback, SixtyFourThreadsOnAJustExpiredTokenCauseExactlyOneTokenRequest) {
  OAuthTestServer server;
  ManualClock manual;
  auto o = oauth_for(server);
  o.clock = manual.clock();
  auto tokens = std::make_shared<roserocket::ClientCredentialsTokenProvider>(o);
  auto client = client_for(server, tokens);
  client.objects().get("c0");
  ASSERT_EQ(server.token_requests(), 1);
  manual.offset_seconds = 3600;  // the cached token has just expired (for the client)

  const int ok = rr_test::run_together(64, [&](int i) {
    const auto id = "c" + std::to_string(i);
    return client.objects().get(id)["id"] == id;
  });
  EXPECT_EQ(ok, 64);
  EXPECT_EQ(server.token_requests(), 2) << "exactly one token request for 64 threads";
  EXPECT_EQ(server.api_401s(), 0);
}

TEST(OAuthLoopback, AuthorizationCodeFlowEndToEnd) {
  OAuthTestServer server;
  auto o = oauth_for(server);
  // No openid: this test server issues no ID tokens (auth_openid_emulator_test.cpp has those).
  o.scopes = {"offline_access"};
  roserocket::AuthorizationCodeFlow flow(o);
  OAuthTestBrowser browser;
  const auto tokens = flow.authorize_on_loopback([&](const std::string& url) { browser.open(url); },
                                                 std::chrono::seconds(10));
  const auto page = browser.pending.get();
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Signed in"), std::string::npos);
  EXPECT_FALSE(tokens.access_token.empty());
  EXPECT_FALSE(tokens.refresh_token.empty());
  EXPECT_EQ(server.token_requests("authorization_code"), 1);

  auto provider = std::make_shared<roserocket::RefreshTokenProvider>(o, tokens);
  auto client = client_for(server, provider);
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  server.revoke_access_tokens();
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  EXPECT_EQ(server.token_requests("refresh_token"), 1);
}

TEST(OAuthLoopback, ReusedCodeAndWrongVerifierAreInvalidGrant) {
  OAuthTestServer server;
  roserocket::AuthorizationCodeFlow flow(oauth_for(server));
  roserocket::LoopbackRedirectReceiver receiver;
  auto request = flow.begin(receiver.redirect_uri());
  const auto response = roserocket::AuthorizationCodeFlow::parse_redirect(location_of(request.url));
  auto tampered = request;
  tampered.code_verifier = "a-different-verifier-of-sufficient-length-0123456789";
  try {
    (void)flow.exchange(tampered, response);
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_grant");
  }
  // The server burnt the code on the failed attempt, as single-use codes are.
  try {
    (void)flow.exchange(request, response);
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_grant");
  }
}

TEST(LoopbackReceiver, IgnoresOtherPathsWrongStatesAndStatelessErrors) {
  roserocket::LoopbackRedirectReceiver receiver;
  EXPECT_EQ(receiver.redirect_uri(),
            "http://127.0.0.1:" + std::to_string(receiver.port()) + "/callback");
  auto get = [&receiver](const std::string& target) {
    roserocket::HttpRequest r;
    r.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + target;
    return transport()->send(r).status;
  };
  // One "browser" thread asks for the favicon, delivers a forged redirect and an error without
  // a state (both ignored), then the real redirect; the statuses come back in that order.
  auto browser = std::async(std::launch::async, [&] {
    std::vector<int> statuses;
    statuses.push_back(get("/favicon.ico"));
    statuses.push_back(get("/callback?code=c&state=forged"));
    statuses.push_back(get("/callback?error=access_denied"));
    statuses.push_back(get("/callback?error=access_denied&state=forged"));
    statuses.push_back(get("/callback?code=the%2Bcode&state=s1"));
    return statuses;
  });
  const auto response = receiver.wait(std::chrono::seconds(10), "s1");
  EXPECT_EQ(response.code, "the+code");
  EXPECT_EQ(response.state, "s1");
  EXPECT_EQ(browser.get(), (std::vector<int>{404, 400, 400, 400, 200}));
}

TEST(LoopbackReceiver, ReportsTheServersErrorAndTimesOut) {
  roserocket::LoopbackRedirectReceiver receiver;
  auto denied = std::async(std::launch::async, [&receiver] {
    roserocket::HttpRequest r;
    r.url = receiver.redirect_uri() + "?error=access_denied&error_description=No+thanks&state=s";
    return transport()->send(r);
  });
  try {
    (void)receiver.wait(std::chrono::seconds(10), "s");
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "access_denied");
    EXPECT_EQ(e.messages().at(0), "No thanks");
  }
  EXPECT_EQ(denied.get().status, 200);
  EXPECT_THROW((void)receiver.wait(std::chrono::milliseconds(50), "s"), roserocket::TimeoutError);
}

TEST(OAuthLoopback, FailuresAgainstTheServerNeverShowTheSecrets) {
  const std::string marker = "ZEBRA";
  OAuthTestServer::Options server_options;
  server_options.client_secret = "right-ZEBRA-secret";
  OAuthTestServer server(server_options);
  std::vector<std::string> lines;
  auto o = oauth_for(server);
  o.client_secret = "wrong-ZEBRA-secret";
  o.logger = [&](const roserocket::LogRecord& r) { lines.push_back(r.message); };
  roserocket::ClientCredentialsTokenProvider wrong(o);
  try {
    wrong.access_token();
    FAIL();
  } catch (const roserocket::Error& e) {
    lines.push_back(e.what());
  }
  auto good = oauth_for(server);
  good.client_secret = server_options.client_secret;
  good.logger = o.logger;
  roserocket::TokenSet bogus;
  bogus.refresh_token = "bogus-ZEBRA-refresh";
  roserocket::RefreshTokenProvider refresh(good, bogus);
  try {
    refresh.access_token();
    FAIL();
  } catch (const roserocket::Error& e) {
    lines.push_back(e.what());
  }
  ASSERT_GE(lines.size(), 4u);
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(marker), std::string::npos) << "a message or log line shows a secret";
  }
}

}  // namespace
