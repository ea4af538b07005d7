// No client secret, access token or refresh token reaches any field of a log record or of an
// observer event, even from a server that echoes credentials back in every header it can.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "roserocket/testing/mock_transport.hpp"

namespace rr = roserocket;
using nlohmann::json;

namespace {

const std::string kSecret = "client-secret-Q7Z9";
const std::string kAccess1 = "access-token-one-K2M4";
const std::string kRefresh1 = "refresh-token-one-P5R8";
const std::string kAccess2 = "access-token-two-W3X6";
const std::string kRefresh2 = "refresh-token-two-J1L0";

std::string all_fields(const rr::RequestFields& f) {
  return f.operation + "|" + f.method + "|" + f.path + "|" + std::to_string(f.status) + "|" +
         std::to_string(f.attempt) + "|" + f.request_id + "|" + f.error_kind;
}

// An answer whose request id and body repeat the Authorization header it was sent.
rr::HttpResponse echo(int status, const rr::HttpRequest& r) {
  rr::HttpResponse out;
  out.status = status;
  const std::string auth = r.headers.get("Authorization").value_or("");
  const std::string token = auth.size() > 7 ? auth.substr(7) : auth;
  out.headers.add("x-request-id", token);
  out.body = json{{"statusCode", status}, {"message", "echo " + auth + " " + kSecret}}.dump();
  return out;
}

}  // namespace

TEST(TelemetrySecrets, NoTokenOrSecretReachesAnyFieldOfLogsOrObserverEvents) {
  auto auth = std::make_shared<rr::mock::MockTransport>();
  auto api = std::make_shared<rr::mock::MockTransport>();
  std::vector<std::string> seen;

  rr::OAuthOptions oauth;
  oauth.token_url = "https://auth.example.test/oauth/token";
  oauth.client_id = "client-1";
  oauth.client_secret = kSecret;
  oauth.transport = auth;
  oauth.logger = [&seen](const rr::LogRecord& r) {
    seen.push_back(r.message + "|" + all_fields(r.request));
  };
  rr::TokenSet initial;
  initial.access_token = kAccess1;
  initial.refresh_token = kRefresh1;
  auth->enqueue_json(200, {{"access_token", kAccess2},
                           {"refresh_token", kRefresh2},
                           {"token_type", "Bearer"},
                           {"expires_in", 3600}});

  rr::ClientOptions options;
  options.transport = api;
  options.token_provider = std::make_shared<rr::RefreshTokenProvider>(oauth, initial);
  options.clock.sleep = [](std::chrono::milliseconds) {};
  options.logger = [&seen](const rr::LogRecord& r) {
    seen.push_back(r.message + "|" + all_fields(r.request));
  };
  options.observer = [&seen](const rr::AttemptEvent& e) { seen.push_back(all_fields(e.request)); };
  rr::Client client(options);

  // 401 (the refresh), 503 (a retry), then success: every path that logs or observes.
  api->enqueue_handler([](const rr::HttpRequest& r) { return echo(401, r); });
  api->enqueue_handler([](const rr::HttpRequest& r) { return echo(503, r); });
  api->enqueue_handler([](const rr::HttpRequest& r) { return echo(200, r); });
  api->enqueue_handler([](const rr::HttpRequest& r) { return echo(404, r); });
  rr::ResponseMetadata meta;
  rr::RequestOptions ro;
  ro.metadata = &meta;
  (void)client.objects().get("c1", ro);
  EXPECT_THROW((void)client.objects().get("c2"), rr::NotFoundError);
  EXPECT_EQ(api->request_count(), 4u);
  EXPECT_EQ(auth->request_count(), 1u);  // the refresh happened
  EXPECT_EQ(meta.request_id, "***");

  ASSERT_GE(seen.size(), 8u);
  for (const auto& text : seen) {
    for (const std::string* secret : {&kSecret, &kAccess1, &kRefresh1, &kAccess2, &kRefresh2}) {
      EXPECT_EQ(text.find(*secret), std::string::npos) << "leaked in: " << text;
    }
  }
}
