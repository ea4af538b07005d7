// Every auth failure path, run with recognisable secrets: none may reach an exception text, an
// error's context or a log line, even when the server echoes them back.

#include <gtest/gtest.h>

#include <functional>

#include "auth_test_helpers.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace {

using auth_test::fields_of;
using auth_test::json_response;
using auth_test::ManualClock;
using roserocket::mock::MockTransport;

// Every secret below contains this marker; nothing the SDK says may contain it.
const std::string kMarker = "ZEBRA";
const std::string kClientSecret = "S3CR3T-ZEBRA/client+secret";
const std::string kRefreshToken = "S3CR3T-ZEBRA-refresh";
const std::string kAccessToken = "S3CR3T-ZEBRA-access";
const std::string kCode = "S3CR3T-ZEBRA-code";
// (The client secret holds '/' and '+' so that its form-encoded echo differs from it.)

struct SecretsTest : ::testing::Test {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  ManualClock manual;
  std::vector<std::string> logs;
  std::vector<std::string> seen_verifiers;  // PKCE verifiers sent, to look for them too
  int paths_run = 0;

  roserocket::OAuthOptions options() {
    roserocket::OAuthOptions o;
    o.token_url = "https://auth.example.test/oauth/token";
    o.authorize_url = "https://auth.example.test/authorize";
    o.client_id = "client-1";
    o.client_secret = kClientSecret;
    o.transport = mock;
    o.clock = manual.clock();
    o.logger = [this](const roserocket::LogRecord& r) { logs.push_back(r.message); };
    return o;
  }

  // Text echoing the whole request, raw and decoded, as a careless server or proxy might.
  static std::string echo(const roserocket::HttpRequest& r) {
    return "echo " + r.body + " | " + roserocket::detail::percent_decode(r.body, true) + " | " +
           r.headers.get("Authorization").value_or("");
  }
  using Handler = MockTransport::Handler;
  static Handler answer_echo(int status, const std::string& error) {
    return [=](const roserocket::HttpRequest& r) {
      return json_response(status, {{"error", error}, {"error_description", echo(r)}});
    };
  }

  void expect_clean(const std::string& text, const std::string& where) {
    EXPECT_EQ(text.find(kMarker), std::string::npos) << where << " leaks a secret";
    for (const auto& v : seen_verifiers) {
      EXPECT_EQ(text.find(v), std::string::npos) << where << " leaks the PKCE verifier";
    }
  }

  // Runs @p action, which must throw a roserocket::Error, and checks everything it says.
  void expect_failure_is_clean(const std::string& name, const std::function<void()>& action) {
    ++paths_run;
    try {
      action();
      ADD_FAILURE() << name << ": expected an error";
    } catch (const roserocket::Error& e) {
      expect_clean(e.what(), name + " what()");
      expect_clean(e.summary(), name + " summary()");
      expect_clean(e.context().error_code, name + " error_code");
      expect_clean(e.context().path, name + " path");
      for (const auto& m : e.messages())
        expect_clean(m, name + " message");
    }
  }

  void TearDown() override {
    EXPECT_FALSE(logs.empty());
    for (const auto& line : logs)
      expect_clean(line, "log line");
  }
};

TEST_F(SecretsTest, NoFailurePathRevealsASecret) {
  // 1. Wrong client secret, with the request echoed in error_description.
  mock->enqueue_handler(answer_echo(401, "invalid_client"));
  roserocket::ClientCredentialsTokenProvider cc(options());
  expect_failure_is_clean("invalid_client", [&] { cc.access_token(); });

  // 2. A non-JSON 500 echoing the request.
  mock->enqueue_handler([](const roserocket::HttpRequest& r) {
    return roserocket::HttpResponse{500, {}, "<pre>" + echo(r) + "</pre>"};
  });
  expect_failure_is_clean("500 not JSON", [&] { cc.access_token(); });

  // 3. An error code that echoes the request.
  mock->enqueue_handler([](const roserocket::HttpRequest& r) {
    return json_response(400, {{"error", echo(r)}});
  });
  expect_failure_is_clean("echoed error code", [&] { cc.access_token(); });

  // 4. A 200 without access_token, then one that is not JSON.
  mock->enqueue(json_response(200, {{"refresh_token", kRefreshToken}}));
  expect_failure_is_clean("no access_token", [&] { cc.access_token(); });
  mock->enqueue_handler([](const roserocket::HttpRequest& r) {
    return roserocket::HttpResponse{200, {}, echo(r)};
  });
  expect_failure_is_clean("200 not JSON", [&] { cc.access_token(); });

  // 5. Transport failure and timeout whose texts quote the request.
  mock->enqueue_handler([](const roserocket::HttpRequest& r) -> roserocket::HttpResponse {
    throw roserocket::TransportError("reset " + echo(r), {}, true);
  });
  expect_failure_is_clean("transport error", [&] { cc.access_token(); });
  mock->enqueue_handler([](const roserocket::HttpRequest& r) -> roserocket::HttpResponse {
    throw roserocket::TimeoutError("timeout " + echo(r), {}, true);
  });
  expect_failure_is_clean("timeout", [&] { cc.access_token(); });

  // 6. Refresh token rejected (invalid_grant) with the request echoed; also with basic auth.
  roserocket::TokenSet initial;
  initial.refresh_token = kRefreshToken;
  initial.access_token = kAccessToken;
  initial.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(manual.seconds));
  roserocket::RefreshTokenProvider refresh(options(), initial);
  mock->enqueue_handler(answer_echo(400, "invalid_grant"));
  expect_failure_is_clean("invalid_grant on refresh", [&] { refresh.access_token(); });
  auto basic = options();
  basic.client_auth = roserocket::ClientAuthMethod::kClientSecretBasic;
  roserocket::RefreshTokenProvider refresh_basic(basic, initial);
  mock->enqueue_handler(answer_echo(401, "invalid_client"));
  expect_failure_is_clean("invalid_client with basic auth", [&] { refresh_basic.access_token(); });

  // 7. Expired access token and no refresh token.
  roserocket::TokenSet access_only;
  access_only.access_token = kAccessToken;
  roserocket::RefreshTokenProvider no_refresh(options(), access_only);
  no_refresh.invalidate(kAccessToken);
  expect_failure_is_clean("no refresh token", [&] { no_refresh.access_token(); });

  // 8. Authorization code: state mismatch, then invalid_grant echoing code and verifier.
  roserocket::AuthorizationCodeFlow flow(options());
  const auto request = flow.begin("http://127.0.0.1:1/callback");
  seen_verifiers.push_back(request.code_verifier);
  expect_failure_is_clean("state mismatch", [&] { (void)flow.exchange(request, {kCode, "x"}); });
  mock->enqueue_handler(answer_echo(400, "invalid_grant"));
  expect_failure_is_clean("invalid_grant on code", [&] {
    (void)flow.exchange(request, {kCode, request.state});
  });
  expect_failure_is_clean("redirect without code", [&] {
    (void)roserocket::AuthorizationCodeFlow::parse_redirect("http://x/cb?state=s&code=");
  });

  // 9. The API refuses the token twice, echoing the Authorization header.
  mock->set_fallback([](const roserocket::HttpRequest& r) {
    if (r.url == "https://auth.example.test/oauth/token") {
      return json_response(200, {{"access_token", kAccessToken}, {"expires_in", 3600}});
    }
    const std::string auth = r.headers.get("Authorization").value_or("");
    return json_response(401, {{"statusCode", 401}, {"message", "bad token " + auth}});
  });
  roserocket::ClientOptions client_options;
  client_options.base_url = "https://api.example.test";
  client_options.transport = mock;
  client_options.clock = manual.clock();
  client_options.logger = [this](const roserocket::LogRecord& r) { logs.push_back(r.message); };
  client_options.token_provider =
      std::make_shared<roserocket::ClientCredentialsTokenProvider>(options());
  roserocket::Client client(client_options);
  expect_failure_is_clean("API 401 twice", [&] { client.objects().get("c1"); });

  // 10. The token store cannot be written and the callback throws: logged, never leaked.
  auto o = options();
  o.token_store = std::make_shared<roserocket::FileTokenStore>("/nonexistent/dir/tokens.json");
  o.on_tokens = [](const roserocket::TokenSet& t) { throw std::runtime_error(t.refresh_token); };
  roserocket::RefreshTokenProvider stored(o, initial);
  mock->enqueue_handler(answer_echo(400, "invalid_grant"));
  expect_failure_is_clean("store and callback", [&] { stored.access_token(); });

  EXPECT_EQ(paths_run, 15);
}

}  // namespace
