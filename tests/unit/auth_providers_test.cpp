// The OAuth providers against a fake token endpoint behind MockTransport: request shapes,
// caching and expiry, single-flight refresh, rotation, error mapping, stores.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "auth/crypto.hpp"
#include "auth_test_helpers.hpp"
#include "platform/platform.hpp"
#include "support/threads.hpp"

namespace {

using auth_test::FakeTokenEndpoint;
using auth_test::fields_of;
using auth_test::json_response;
using auth_test::ManualClock;
using roserocket::mock::MockTransport;

struct ProviderTest : ::testing::Test {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  FakeTokenEndpoint endpoint;
  ManualClock manual;

  roserocket::OAuthOptions options() {
    roserocket::OAuthOptions o;
    o.token_url = "https://auth.example.test/oauth/token";
    o.authorize_url = "https://auth.example.test/authorize";
    o.client_id = "client-1";
    o.client_secret = "the-client-secret";
    o.transport = mock;
    o.clock = manual.clock();
    return o;
  }
  void serve_tokens() {
    mock->set_fallback([this](const roserocket::HttpRequest& r) { return endpoint.answer(r); });
  }
};

TEST_F(ProviderTest, ClientCredentialsPostsFormWithSecretAudienceScopeAndExtras) {
  serve_tokens();
  auto o = options();
  o.scopes = {"openid", "profile"};
  o.extra_params = {{"org_id", "org-9"}, {"user_id", "user-3"}};
  roserocket::ClientCredentialsTokenProvider provider(o);
  EXPECT_EQ(provider.access_token(), "access-1");

  const auto request = mock->last_request();
  EXPECT_EQ(request.method, roserocket::HttpMethod::kPost);
  EXPECT_EQ(request.url, "https://auth.example.test/oauth/token");
  EXPECT_EQ(request.headers.get("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_FALSE(request.headers.contains("Authorization"));
  auto fields = fields_of(request);
  EXPECT_EQ(fields["grant_type"], "client_credentials");
  EXPECT_EQ(fields["client_id"], "client-1");
  EXPECT_TRUE(fields["client_secret"] == "the-client-secret");
  EXPECT_EQ(fields["audience"], "https://roserocket.com");
  EXPECT_EQ(fields["scope"], "openid profile");
  EXPECT_EQ(fields["org_id"], "org-9");
  EXPECT_EQ(fields["user_id"], "user-3");
}

TEST_F(ProviderTest, ClientSecretBasicSendsCredentialsInHeaderOnly) {
  serve_tokens();
  auto o = options();
  o.client_auth = roserocket::ClientAuthMethod::kClientSecretBasic;
  o.client_id = "id:with space";
  roserocket::ClientCredentialsTokenProvider provider(o);
  provider.access_token();
  const auto request = mock->last_request();
  // RFC 6749 §2.3.1: form-encode each part, then base64 "id:secret".
  EXPECT_TRUE(request.headers.get("Authorization") ==
              "Basic " + roserocket::detail::base64_encode("id%3Awith%20space:the-client-secret"));
  auto fields = fields_of(request);
  EXPECT_EQ(fields.count("client_secret"), 0u);
  EXPECT_EQ(fields.count("client_id"), 0u);
}

TEST_F(ProviderTest, JsonEncodingSendsAJsonBody) {
  serve_tokens();
  auto o = options();
  o.encoding = roserocket::TokenRequestEncoding::kJson;
  roserocket::ClientCredentialsTokenProvider provider(o);
  provider.access_token();
  const auto request = mock->last_request();
  EXPECT_EQ(request.headers.get("Content-Type"), "application/json");
  const auto body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["grant_type"], "client_credentials");
  EXPECT_EQ(body["client_id"], "client-1");
}

TEST_F(ProviderTest, ReusesTokenUntilSkewBeforeExpiryThenRefreshes) {
  serve_tokens();
  auto o = options();
  o.refresh_skew = std::chrono::seconds(60);
  roserocket::ClientCredentialsTokenProvider provider(o);
  EXPECT_EQ(provider.access_token(), "access-1");
  manual.advance(3539);  // 61 s left: still good
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_EQ(endpoint.token_requests, 1);
  manual.advance(2);  // 59 s left: inside the skew
  EXPECT_EQ(provider.access_token(), "access-2");
  EXPECT_EQ(endpoint.token_requests, 2);
  EXPECT_EQ(provider.fetch_count(), 2u);
}

TEST_F(ProviderTest, TokenShorterLivedThanSkewIsStillReusedForHalfItsLife) {
  endpoint.expires_in = 10;
  serve_tokens();
  roserocket::ClientCredentialsTokenProvider provider(options());  // skew 60 s > 10 s life
  EXPECT_EQ(provider.access_token(), "access-1");
  manual.advance(4);
  EXPECT_EQ(provider.access_token(), "access-1");
  manual.advance(2);
  EXPECT_EQ(provider.access_token(), "access-2");
}

TEST_F(ProviderTest, TokenWithoutExpiresInIsKeptUntilInvalidated) {
  mock->set_fallback([](const roserocket::HttpRequest&) {
    return json_response(200, {{"access_token", "forever"}, {"token_type", "Bearer"}});
  });
  roserocket::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "forever");
  manual.advance(10 * 365 * 86400);
  EXPECT_EQ(provider.access_token(), "forever");
  EXPECT_EQ(mock->request_count(), 1u);
}

TEST_F(ProviderTest, InvalidateDropsOnlyTheRejectedToken) {
  serve_tokens();
  roserocket::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_TRUE(provider.invalidate("some-older-token"));
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_TRUE(provider.invalidate("access-1"));
  EXPECT_EQ(provider.access_token(), "access-2");
  EXPECT_EQ(endpoint.token_requests, 2);
}

TEST_F(ProviderTest, SixtyFourThreadsOnAnExpiredTokenCauseOneRequest) {
  serve_tokens();
  roserocket::ClientCredentialsTokenProvider provider(options());
  EXPECT_EQ(provider.access_token(), "access-1");
  manual.advance(3600);  // just expired
  std::vector<std::string> seen(64);
  rr_test::run_together(64, [&](int i) {
    seen[i] = provider.access_token();
    return true;
  });
  EXPECT_EQ(endpoint.token_requests, 2);
  for (const auto& token : seen)
    EXPECT_EQ(token, "access-2");
}

// A provider whose fetch blocks until the test lets it finish, to hold callers in the wait.
class GatedProvider final : public roserocket::CachingTokenProvider {
 public:
  explicit GatedProvider(roserocket::OAuthOptions o) : CachingTokenProvider(std::move(o)) {}
  void open(bool fail) {
    std::lock_guard<std::mutex> lock(m_);
    open_ = true;
    fail_ = fail;
    cv_.notify_all();
  }
  void close() {
    std::lock_guard<std::mutex> lock(m_);
    open_ = false;
  }

 protected:
  roserocket::TokenSet fetch(const std::optional<roserocket::TokenSet>&) override {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return open_; });
    if (fail_) {
      roserocket::ErrorContext c;
      c.error_code = "temporarily_unavailable";
      throw roserocket::AuthError("refused", c);
    }
    roserocket::TokenSet t;
    t.access_token = "gated-" + std::to_string(++n_);
    return t;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
  bool fail_ = false;
  int n_ = 0;
};

TEST_F(ProviderTest, FailedRefreshReachesEveryWaiterAndNextCallTriesAgain) {
  GatedProvider provider(options());
  constexpr int kThreads = 16;
  std::atomic<int> errors{0};
  std::atomic<int> right_code{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      try {
        provider.access_token();
      } catch (const roserocket::AuthError& e) {
        ++errors;
        if (e.oauth_error() == "temporarily_unavailable")
          ++right_code;
      }
    });
  }
  // Wait (on a condition, not a clock) until one caller fetches and all others wait for it.
  while (!(provider.fetch_count() == 1 && provider.waiting_callers() == kThreads - 1)) {
    std::this_thread::yield();
  }
  provider.open(/*fail=*/true);
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(errors, kThreads);
  EXPECT_EQ(right_code, kThreads);
  EXPECT_EQ(provider.fetch_count(), 1u);

  provider.open(/*fail=*/false);
  EXPECT_EQ(provider.access_token(), "gated-1");
  EXPECT_EQ(provider.fetch_count(), 2u);
}

TEST_F(ProviderTest, RefreshRotatesTokensAndReportsEverySet) {
  serve_tokens();
  auto o = options();
  auto store = std::make_shared<roserocket::InMemoryTokenStore>();
  std::vector<std::string> reported;
  o.token_store = store;
  o.on_tokens = [&](const roserocket::TokenSet& t) { reported.push_back(t.refresh_token); };
  roserocket::TokenSet initial;
  initial.access_token = "initial-access";
  initial.refresh_token = "initial-refresh";
  initial.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(manual.seconds));
  roserocket::RefreshTokenProvider provider(o, initial);

  EXPECT_EQ(provider.access_token(), "access-1");  // initial one had expired
  auto fields = fields_of(mock->last_request());
  EXPECT_EQ(fields["grant_type"], "refresh_token");
  EXPECT_TRUE(fields["refresh_token"] == "initial-refresh");
  EXPECT_EQ(fields["client_id"], "client-1");

  EXPECT_TRUE(provider.invalidate("access-1"));
  EXPECT_EQ(provider.access_token(), "access-2");
  fields = fields_of(mock->last_request());
  EXPECT_TRUE(fields["refresh_token"] == "refresh-1") << "the rotated refresh token is used";

  ASSERT_EQ(reported.size(), 3u);
  EXPECT_TRUE(reported[0] == "initial-refresh");
  EXPECT_TRUE(reported[1] == "refresh-1");
  EXPECT_TRUE(reported[2] == "refresh-2");
  ASSERT_TRUE(store->load().has_value());
  EXPECT_TRUE(store->load()->refresh_token == "refresh-2");
}

TEST_F(ProviderTest, RefreshWithoutRotationKeepsTheOldRefreshToken) {
  endpoint.rotate = false;
  serve_tokens();
  roserocket::TokenSet initial;
  initial.refresh_token = "long-lived";
  roserocket::RefreshTokenProvider provider(options(), initial);
  EXPECT_EQ(provider.access_token(), "access-1");
  provider.invalidate("access-1");
  provider.access_token();
  EXPECT_TRUE(fields_of(mock->last_request())["refresh_token"] == "long-lived");
  EXPECT_TRUE(provider.tokens()->refresh_token == "long-lived");
}

TEST_F(ProviderTest, RefreshProviderStartsFromTheStore) {
  serve_tokens();
  auto o = options();
  auto store = std::make_shared<roserocket::InMemoryTokenStore>();
  roserocket::TokenSet saved;
  saved.refresh_token = "saved-refresh";
  store->save(saved);
  o.token_store = store;
  roserocket::RefreshTokenProvider provider(o);
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_TRUE(fields_of(mock->last_request())["refresh_token"] == "saved-refresh");
}

TEST_F(ProviderTest, RefreshProviderNeedsSomeToken) {
  EXPECT_THROW(roserocket::RefreshTokenProvider{options()}, roserocket::InvalidArgumentError);
  EXPECT_THROW(roserocket::RefreshTokenProvider(options(), roserocket::TokenSet{}),
               roserocket::InvalidArgumentError);
}

TEST_F(ProviderTest, AccessTokenWithoutRefreshTokenCannotBeRenewed) {
  roserocket::TokenSet initial;
  initial.access_token = "only-access";
  roserocket::RefreshTokenProvider provider(options(), initial);
  EXPECT_EQ(provider.access_token(), "only-access");
  EXPECT_FALSE(provider.invalidate("only-access"));
  EXPECT_THROW(provider.access_token(), roserocket::AuthError);
  EXPECT_EQ(mock->request_count(), 0u);
}

TEST_F(ProviderTest, InvalidGrantBecomesAuthErrorAndNextCallTriesAgain) {
  mock->enqueue(json_response(400, {{"error", "invalid_grant"},
                                    {"error_description", "Unknown or invalid refresh token."}}));
  roserocket::TokenSet initial;
  initial.refresh_token = "revoked";
  roserocket::RefreshTokenProvider provider(options(), initial);
  try {
    provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_grant");
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.operation(), "auth.refresh_token");
    ASSERT_EQ(e.messages().size(), 1u);
    EXPECT_EQ(e.messages()[0], "Unknown or invalid refresh token.");
    EXPECT_EQ(e.context().path, "/oauth/token");
  }
  serve_tokens();
  EXPECT_EQ(provider.access_token(), "access-1");
}

TEST_F(ProviderTest, WrongClientSecretIsInvalidClient) {
  mock->enqueue(json_response(
      401, {{"error", "invalid_client"}, {"error_description", "Client authentication failed"}}));
  roserocket::ClientCredentialsTokenProvider provider(options());
  try {
    provider.access_token();
    FAIL() << "expected AuthError";
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "invalid_client");
    EXPECT_EQ(e.status(), 401);
  }
}

TEST_F(ProviderTest, UnreadableAnswersAreReported) {
  mock->enqueue({502, {}, "<html>bad gateway</html>"});
  mock->enqueue({200, {}, "not json"});
  mock->enqueue(json_response(200, {{"token_type", "Bearer"}}));
  mock->enqueue(json_response(200, {{"access_token", "a"}, {"expires_in", "soon"}}));
  mock->enqueue_error(std::make_exception_ptr(roserocket::TransportError("refused", {}, false)));
  auto o = options();
  o.retry =
      roserocket::RetryPolicy::none();  // one answer each (retries: auth_discovery_retry_test)
  roserocket::ClientCredentialsTokenProvider provider(o);
  try {
    provider.access_token();
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.status(), 502);
    ASSERT_EQ(e.messages().size(), 1u);
    EXPECT_EQ(e.messages()[0], "(not JSON) <html>bad gateway</html>");
  }
  EXPECT_THROW(provider.access_token(), roserocket::MalformedResponseError);
  EXPECT_THROW(provider.access_token(), roserocket::MalformedResponseError);
  EXPECT_THROW(provider.access_token(), roserocket::MalformedResponseError);
  try {
    provider.access_token();
    FAIL();
  } catch (const roserocket::TransportError& e) {
    EXPECT_EQ(e.operation(), "auth.client_credentials");
    EXPECT_FALSE(e.request_may_have_been_sent());
  }
}

TEST_F(ProviderTest, QuotedExpiresInIsAccepted) {
  mock->enqueue(json_response(200, {{"access_token", "a"}, {"expires_in", "120"}}));
  roserocket::ClientCredentialsTokenProvider provider(options());
  provider.access_token();
  ASSERT_TRUE(provider.tokens()->expires_at.has_value());
  EXPECT_EQ(*provider.tokens()->expires_at,
            std::chrono::system_clock::time_point(std::chrono::seconds(manual.seconds + 120)));
}

TEST_F(ProviderTest, OptionsDefaultToAnInMemoryStoreAndKeepTheTransport) {
  roserocket::ClientCredentialsTokenProvider provider(options());
  ASSERT_NE(provider.options().token_store, nullptr);
  EXPECT_EQ(provider.options().transport, mock);
  EXPECT_FALSE(provider.options().token_store->load().has_value());
  serve_tokens();
  provider.access_token();
  EXPECT_TRUE(provider.options().token_store->load().has_value());
  roserocket::AuthorizationCodeFlow flow(options());
  EXPECT_EQ(flow.options().client_id, "client-1");
}

TEST_F(ProviderTest, OptionsAreValidated) {
  auto o = options();
  o.token_url = "http://auth.example.test/oauth/token";
  EXPECT_THROW(roserocket::ClientCredentialsTokenProvider{o}, roserocket::InvalidArgumentError);
  o.dangerously_allow_plain_http = true;
  EXPECT_NO_THROW(roserocket::ClientCredentialsTokenProvider{o});
  o = options();
  o.token_url = "http://127.0.0.1:1/oauth/token";
  EXPECT_NO_THROW(roserocket::ClientCredentialsTokenProvider{o});
  o = options();
  o.client_id.clear();
  EXPECT_THROW(roserocket::ClientCredentialsTokenProvider{o}, roserocket::InvalidArgumentError);
  o = options();
  o.client_secret.clear();
  EXPECT_THROW(roserocket::ClientCredentialsTokenProvider{o}, roserocket::InvalidArgumentError);
  o = options();
  o.authorize_url = "http://auth.example.test/authorize";
  EXPECT_THROW(roserocket::AuthorizationCodeFlow{o}, roserocket::InvalidArgumentError);
  o = options();
  o.refresh_skew = std::chrono::seconds(-1);
  EXPECT_THROW(roserocket::ClientCredentialsTokenProvider{o}, roserocket::InvalidArgumentError);
}

TEST_F(ProviderTest, AuthorizeUrlCarriesPkceStateAndParameters) {
  auto o = options();
  o.scopes = {"openid", "offline_access"};
  o.jwks_url = "https://auth.example.test/jwks.json";  // openid: ID tokens are checked
  o.extra_params = {{"org_id", "org-9"}};
  roserocket::AuthorizationCodeFlow flow(o);
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  ASSERT_EQ(request.url.rfind("https://auth.example.test/authorize?", 0), 0u);
  std::map<std::string, std::string> q;
  for (auto& [k, v] : roserocket::detail::parse_query(request.url.substr(request.url.find('?'))))
    q[k] = v;
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], "client-1");
  EXPECT_EQ(q["redirect_uri"], "http://127.0.0.1:5555/callback");
  EXPECT_EQ(q["scope"], "openid offline_access");
  EXPECT_EQ(q["audience"], "https://roserocket.com");
  EXPECT_EQ(q["org_id"], "org-9");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_TRUE(q["state"] == request.state);
  EXPECT_EQ(request.state.size(), 32u);
  EXPECT_EQ(request.code_verifier.size(), 43u);
  EXPECT_TRUE(q["code_challenge"] == roserocket::pkce_code_challenge(request.code_verifier));
  EXPECT_EQ(q.count("code_verifier"), 0u);
  EXPECT_EQ(q.count("client_secret"), 0u);

  const auto second = flow.begin("http://127.0.0.1:5555/callback");
  EXPECT_NE(second.state, request.state);
  EXPECT_FALSE(second.code_verifier == request.code_verifier);
  EXPECT_THROW((void)flow.begin(""), roserocket::InvalidArgumentError);
}

TEST_F(ProviderTest, ExchangeChecksStateThenSendsCodeVerifierAndRedirect) {
  serve_tokens();
  roserocket::AuthorizationCodeFlow flow(options());
  const auto request = flow.begin("http://127.0.0.1:5555/callback");
  try {
    (void)flow.exchange(request, {"the-code", "forged-state"});
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "state_mismatch");
  }
  EXPECT_EQ(mock->request_count(), 0u) << "a forged redirect's code is never sent";

  const auto tokens = flow.exchange(request, {"the-code", request.state});
  EXPECT_EQ(tokens.access_token, "access-1");
  EXPECT_EQ(tokens.refresh_token, "refresh-1");
  auto fields = fields_of(mock->last_request());
  EXPECT_EQ(fields["grant_type"], "authorization_code");
  EXPECT_TRUE(fields["code"] == "the-code");
  EXPECT_EQ(fields["redirect_uri"], "http://127.0.0.1:5555/callback");
  EXPECT_TRUE(fields["code_verifier"] == request.code_verifier);
  EXPECT_TRUE(fields["client_secret"] == "the-client-secret");
}

TEST(ParseRedirect, ReadsCodeAndStateOrTheError) {
  const auto ok = roserocket::AuthorizationCodeFlow::parse_redirect(
      "http://127.0.0.1:1/callback?code=abc%2Fd&state=s1#frag");
  EXPECT_EQ(ok.code, "abc/d");
  EXPECT_EQ(ok.state, "s1");
  EXPECT_EQ(roserocket::AuthorizationCodeFlow::parse_redirect("code=c&state=s").code, "c");
  try {
    (void)roserocket::AuthorizationCodeFlow::parse_redirect(
        "http://x/cb?error=access_denied&error_description=User+said+no&state=s");
    FAIL();
  } catch (const roserocket::AuthError& e) {
    EXPECT_EQ(e.oauth_error(), "access_denied");
    EXPECT_EQ(e.messages().at(0), "User said no");
  }
  EXPECT_THROW((void)roserocket::AuthorizationCodeFlow::parse_redirect("http://x/cb?state=s"),
               roserocket::AuthError);
}

struct FileStoreTest : ::testing::Test {
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("rr-auth-store-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(FileStoreTest, AFileOthersMayReadIsNotOwnerOnly) {
  // The check FileTokenStore's files pass can fail: a file written the ordinary way (mode 0644
  // under the usual umask; on Windows, entries inherited from the folder) does not pass it.
  const auto path = (dir / "plain.json").string();
  std::ofstream(path) << "{}";
#ifndef _WIN32
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
#endif
  std::string why;
  EXPECT_FALSE(roserocket::detail::platform::owner_only(path, why));
  EXPECT_FALSE(why.empty());
}

TEST_F(FileStoreTest, SavedFileIsReadableByItsOwnerOnly) {
  // POSIX: mode 0600 and owned by the user. Windows: owned by the user, with a protected DACL
  // whose one entry is the user's SID (docs/auth.md, "The file store").
  const auto path = (dir / "tokens.json").string();
  roserocket::FileTokenStore store(path);
  roserocket::TokenSet tokens;
  tokens.access_token = "a1";
  store.save(tokens);
  std::string why;
  EXPECT_TRUE(roserocket::detail::platform::owner_only(path, why)) << why;
  store.save(tokens);  // a replaced file is just as private
  EXPECT_TRUE(roserocket::detail::platform::owner_only(path, why)) << why;
}

TEST_F(FileStoreTest, SavesPrivatelyAtomicallyAndLoadsBack) {
  const auto path = (dir / "tokens.json").string();
  roserocket::FileTokenStore store(path);
  EXPECT_FALSE(store.load().has_value());
  roserocket::TokenSet tokens;
  tokens.access_token = "a1";
  tokens.refresh_token = "r1";
  tokens.scope = "openid";
  tokens.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(1234567890));
  store.save(tokens);
#ifndef _WIN32
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
#endif

  tokens.refresh_token = "r2";
  store.save(tokens);
  const auto loaded = store.load();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->access_token, "a1");
  EXPECT_EQ(loaded->refresh_token, "r2");
  EXPECT_EQ(loaded->scope, "openid");
  EXPECT_TRUE(loaded->expires_at ==
              std::chrono::system_clock::time_point(std::chrono::seconds(1234567890)));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1) << "no temporary file is left behind";
  store.clear();
  EXPECT_FALSE(store.load().has_value());
  EXPECT_NO_THROW(store.clear());
}

TEST_F(FileStoreTest, CorruptFileIsAnErrorThatDoesNotQuoteIt) {
  const auto path = (dir / "tokens.json").string();
  std::ofstream(path) << "secret-looking-garbage";
  roserocket::FileTokenStore store(path);
  try {
    (void)store.load();
    FAIL();
  } catch (const roserocket::Error& e) {
    EXPECT_FALSE(auth_test::contains(e.what(), "secret-looking-garbage"));
  }
}

TEST_F(FileStoreTest, UnwritableDirectoryIsAnErrorAndKeepsTheTokensInMemory) {
  roserocket::FileTokenStore bad((dir / "missing" / "tokens.json").string());
  EXPECT_THROW(bad.save(roserocket::TokenSet{}), roserocket::Error);
  EXPECT_THROW(roserocket::FileTokenStore(""), roserocket::InvalidArgumentError);
}

TEST_F(ProviderTest, StoreFailureIsLoggedAndTokensStayCached) {
  serve_tokens();
  auto o = options();
  o.token_store = std::make_shared<roserocket::FileTokenStore>("/nonexistent-dir/x/tokens.json");
  std::vector<std::string> logs;
  o.logger = [&](const roserocket::LogRecord& r) { logs.push_back(r.message); };
  roserocket::ClientCredentialsTokenProvider provider(o);
  EXPECT_EQ(provider.access_token(), "access-1");
  EXPECT_EQ(provider.access_token(), "access-1");
  bool warned = false;
  for (const auto& line : logs)
    warned = warned || auth_test::contains(line, "token store");
  EXPECT_TRUE(warned);
}

}  // namespace
