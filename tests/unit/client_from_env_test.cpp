// ClientOptions::from_env and oauth_endpoints_for (issue 23, item 1): the RR_* variables, and a
// client secret that never goes to a host the environment did not name.

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/endpoints.hpp"
#include "roserocket/client.hpp"
#include "roserocket/testing/mock_transport.hpp"
#include "support/build_paths.hpp"
#include "support/text_files.hpp"

namespace {

using roserocket::ClientOptions;
using roserocket::EnvironmentLookup;
using roserocket::InvalidArgumentError;
using roserocket::OAuthOptions;
using roserocket::mock::MockTransport;

EnvironmentLookup from_env_map(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end() || it->second.empty())
      return std::nullopt;
    return it->second;
  };
}

// One mock transport for the token requests (through the OAuth template) and the API calls.
struct FromEnvRig {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();

  OAuthOptions oauth() const {
    OAuthOptions o;
    o.transport = mock;
    o.retry = roserocket::RetryPolicy::none();
    return o;
  }
};

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const InvalidArgumentError& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

TEST(OAuthEndpointsFor, RoseRocketHostsUseRoseRocketsTenant) {
  for (const char* base : {"https://network.roserocket.com", "https://acme.roserocket.com",
                           "https://NETWORK.RoseRocket.com/", "https://roserocket.com"}) {
    const auto endpoints = roserocket::oauth_endpoints_for(base);
    ASSERT_TRUE(endpoints) << base;
    EXPECT_EQ(endpoints->token_url, "https://a.roserocket.com/oauth/token") << base;
    EXPECT_EQ(endpoints->authorize_url, "https://a.roserocket.com/authorize") << base;
    EXPECT_EQ(endpoints->issuer, "https://a.roserocket.com/") << base;
  }
}

TEST(OAuthEndpointsFor, LoopbackHostsServeTheirOwnOAuthRoutes) {
  const auto endpoints = roserocket::oauth_endpoints_for("http://127.0.0.1:8080");
  ASSERT_TRUE(endpoints);
  EXPECT_EQ(endpoints->token_url, "http://127.0.0.1:8080/oauth/token");
  EXPECT_EQ(endpoints->authorize_url, "http://127.0.0.1:8080/authorize");
  EXPECT_EQ(endpoints->issuer, "http://127.0.0.1:8080");
  EXPECT_EQ(endpoints->jwks_url, "http://127.0.0.1:8080/.well-known/jwks.json");
  const auto localhost = roserocket::oauth_endpoints_for("http://localhost:9000/api");
  ASSERT_TRUE(localhost);
  EXPECT_EQ(localhost->token_url, "http://localhost:9000/oauth/token");
  const auto v6 = roserocket::oauth_endpoints_for("http://[::1]:81");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->token_url, "http://[::1]:81/oauth/token");
}

TEST(OAuthEndpointsFor, EveryOtherHostIsUnknown) {
  for (const char* base :
       {"https://staging.example.com", "https://roserocket.com.evil.example",
        "https://evilroserocket.com", "http://network.roserocket.com",
        "https://network.roserocket.com:8443", "https://127.evil.example", "not a url", ""}) {
    EXPECT_FALSE(roserocket::oauth_endpoints_for(base)) << base;
  }
}

TEST(ClientFromEnv, OnlyTheBaseUrlSetNeverSendsTheSecretToProduction) {
  // The emulator on loopback, RR_TOKEN_URL forgotten: the token request goes to the emulator.
  FromEnvRig rig;
  rig.mock->enqueue_json(200, {{"access_token", "tok-1"}, {"expires_in", 3600}});
  rig.mock->enqueue_json(200, {{"id", "x"}});
  ClientOptions options =
      ClientOptions::from_env(from_env_map({{"RR_BASE_URL", "http://127.0.0.1:4010"},
                                            {"RR_CLIENT_ID", "staging-id"},
                                            {"RR_CLIENT_SECRET", "staging-secret-value"}}),
                              rig.oauth());
  EXPECT_EQ(options.base_url, "http://127.0.0.1:4010");
  options.transport = rig.mock;
  roserocket::Client client(options);
  roserocket::ApiRequest get;
  get.operation = "test.get";
  get.path = "/objects/x";
  client.call(get);
  const auto requests = rig.mock->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, "http://127.0.0.1:4010/oauth/token");
  for (const auto& request : requests)
    EXPECT_EQ(request.url.find("roserocket.com"), std::string::npos) << request.url;
}

TEST(ClientFromEnv, AnUnknownHostWithoutTokenUrlIsRefusedBeforeAnythingIsSent) {
  FromEnvRig rig;
  const std::string message = message_of([&] {
    (void)ClientOptions::from_env(from_env_map({{"RR_BASE_URL", "https://staging.example.com"},
                                                {"RR_CLIENT_ID", "staging-id"},
                                                {"RR_CLIENT_SECRET", "staging-secret-value"}}),
                                  rig.oauth());
  });
  EXPECT_NE(message.find("set RR_TOKEN_URL"), std::string::npos) << message;
  EXPECT_NE(message.find("https://staging.example.com"), std::string::npos) << message;
  EXPECT_EQ(message.find("staging-secret-value"), std::string::npos) << message;
  EXPECT_EQ(rig.mock->request_count(), 0u);
}

TEST(ClientFromEnv, NamedTokenUrlAudienceAndOrgAreUsed) {
  FromEnvRig rig;
  rig.mock->enqueue_json(200, {{"access_token", "tok-2"}, {"expires_in", 3600}});
  const ClientOptions options = ClientOptions::from_env(
      from_env_map({{"RR_BASE_URL", "https://staging.example.com"},
                    {"RR_TOKEN_URL", "https://auth.staging.example.com/oauth/token"},
                    {"RR_AUDIENCE", "https://staging.example.com"},
                    {"RR_ORG_ID", "org-7"},
                    {"RR_CLIENT_ID", "staging-id"},
                    {"RR_CLIENT_SECRET", "staging-secret-value"}}),
      rig.oauth());
  EXPECT_EQ(options.org_id, "org-7");
  ASSERT_TRUE(options.token_provider);
  EXPECT_EQ(options.token_provider->access_token(), "tok-2");
  const auto request = rig.mock->last_request();
  EXPECT_EQ(request.url, "https://auth.staging.example.com/oauth/token");
  EXPECT_NE(request.body.find("audience=https%3A%2F%2Fstaging.example.com"), std::string::npos)
      << request.body;
}

TEST(ClientFromEnv, DefaultBaseUrlUsesRoseRocketsTenant) {
  FromEnvRig rig;
  rig.mock->enqueue_json(200, {{"access_token", "tok-3"}, {"expires_in", 3600}});
  const ClientOptions options = ClientOptions::from_env(
      from_env_map({{"RR_CLIENT_ID", "prod-id"}, {"RR_CLIENT_SECRET", "prod-secret-value"}}),
      rig.oauth());
  EXPECT_EQ(options.base_url, "https://network.roserocket.com");
  EXPECT_EQ(options.token_provider->access_token(), "tok-3");
  EXPECT_EQ(rig.mock->last_request().url, "https://a.roserocket.com/oauth/token");
}

TEST(ClientFromEnv, AccessTokenIsUsedAsIs) {
  const ClientOptions options = ClientOptions::from_env(from_env_map(
      {{"RR_BASE_URL", "https://staging.example.com"}, {"RR_ACCESS_TOKEN", "pasted-token"}}));
  ASSERT_TRUE(options.token_provider);
  EXPECT_EQ(options.token_provider->access_token(), "pasted-token");
  EXPECT_FALSE(options.org_id);
}

TEST(ClientFromEnv, MissingOrHalfCredentialsNameTheVariable) {
  EXPECT_NE(message_of([] {
              (void)ClientOptions::from_env(from_env_map({}));
            }).find("set RR_ACCESS_TOKEN, or RR_CLIENT_ID and RR_CLIENT_SECRET"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              (void)ClientOptions::from_env(from_env_map({{"RR_CLIENT_ID", "id"}}));
            }).find("RR_CLIENT_SECRET is not"),
            std::string::npos);
  const std::string only_secret = message_of([] {
    (void)ClientOptions::from_env(from_env_map({{"RR_CLIENT_SECRET", "lonely-secret-value"}}));
  });
  EXPECT_NE(only_secret.find("RR_CLIENT_ID is not"), std::string::npos) << only_secret;
  EXPECT_EQ(only_secret.find("lonely-secret-value"), std::string::npos) << only_secret;
}

std::string without_whitespace(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
      out += c;
  }
  return out;
}

// example.readme_first_program_against_rr_emulator runs tests/readme/first_program.cpp: it must
// be the README's program.
TEST(ReadmeFirstProgram, TheTestedFileIsTheReadmesProgram) {
  const std::string root = ROSEROCKET_SOURCE_DIR;
  const std::string readme = rr_test::read_text(root + "/README.md");
  const std::string heading = "## First program\n\n```cpp\n";
  const auto start = readme.find(heading);
  ASSERT_NE(start, std::string::npos);
  const auto code_start = start + heading.size();
  const auto end = readme.find("```", code_start);
  ASSERT_NE(end, std::string::npos);
  const std::string program = without_whitespace(readme.substr(code_start, end - code_start));
  const std::string tested =
      without_whitespace(rr_test::read_text(root + "/tests/readme/first_program.cpp"));
  ASSERT_FALSE(program.empty());
  EXPECT_NE(tested.find(program), std::string::npos)
      << "tests/readme/first_program.cpp differs from README.md's first program";
  EXPECT_NE(program.find("ClientOptions::from_env()"), std::string::npos);
}

}  // namespace
