// Runs examples/authorization_code against the test token server: the whole authorization-code
// flow, end to end, with no human step, and nothing secret in its output.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support/build_paths.hpp"
#include "support/oauth_test_server.hpp"
#include "support/process.hpp"

#ifdef RR_AUTHORIZATION_CODE_EXAMPLE

namespace {

using rr_test::ProcessResult;

TEST(AuthorizationCodeExample, RunsTheFlowEndToEndWithoutPrintingSecrets) {
  rr_test::OAuthTestServer server;
  ::setenv("RR_CLIENT_SECRET", server.options().client_secret.c_str(), 1);
  const ProcessResult result = rr_test::run_command(
      std::string(RR_AUTHORIZATION_CODE_EXAMPLE) + " --authorize-url " + server.authorize_url() +
      " --token-url " + server.token_url() + " --client-id " + server.options().client_id +
      " --base-url " + server.base_url() + " --record-id rec-42" + " --timeout-ms 20000" +
      " --scopes offline_access");  // the test server issues no ID tokens
  ::unsetenv("RR_CLIENT_SECRET");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.output.find("redirect received, state checked, code exchanged"),
            std::string::npos);
  EXPECT_NE(result.output.find("read record rec-42 (customer)"), std::string::npos);
  EXPECT_EQ(server.authorize_requests(), 1);
  EXPECT_EQ(server.token_requests("authorization_code"), 1);
  EXPECT_EQ(server.api_requests(), 1);

  EXPECT_EQ(result.output.find(server.options().client_secret), std::string::npos)
      << "the example printed the client secret";
  const auto secrets = server.issued_secrets();
  EXPECT_EQ(secrets.size(), 3u);  // code, access token, refresh token
  for (const auto& secret : secrets) {
    EXPECT_EQ(result.output.find(secret), std::string::npos)
        << "the example printed a token or code";
  }
}

TEST(AuthorizationCodeExample, WrongSecretFailsWithTheOAuthError) {
  rr_test::OAuthTestServer server;
  ::setenv("RR_CLIENT_SECRET", "wrong-secret-value", 1);
  const ProcessResult result = rr_test::run_command(
      std::string(RR_AUTHORIZATION_CODE_EXAMPLE) + " --authorize-url " + server.authorize_url() +
      " --token-url " + server.token_url() + " --client-id " + server.options().client_id +
      " --timeout-ms 20000 --scopes offline_access");  // no ID tokens here
  ::unsetenv("RR_CLIENT_SECRET");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("invalid_client"), std::string::npos);
  EXPECT_EQ(result.output.find("wrong-secret-value"), std::string::npos);
}

}  // namespace

#endif  // RR_AUTHORIZATION_CODE_EXAMPLE
