// Runs examples/getting_started as a separate process with each way of naming a server in RR_*
// variables (the shared setup in examples/example_support.hpp): a pasted access token, client
// credentials, and incomplete or wrong settings, which must fail with one clear line.

#include <gtest/gtest.h>

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "rr_emulator/emulator.hpp"
#include "support/build_paths.hpp"
#include "support/process.hpp"

#ifdef RR_GETTING_STARTED_EXAMPLE

namespace {

using rr_test::ProcessResult;

// Runs the example with @p environment (shell assignments) and nothing else of the caller's RR_*.
ProcessResult run_example(const std::string& environment) {
  const std::string command =
      "env -u RR_BASE_URL -u RR_ACCESS_TOKEN -u RR_CLIENT_ID -u RR_CLIENT_SECRET -u RR_TOKEN_URL "
      "-u RR_AUDIENCE -u RR_ORG_ID " +
      environment + " " + RR_GETTING_STARTED_EXAMPLE;
  return rr_test::run_command(command);
}

// A token from the emulator's client-credentials grant, fetched with plain httplib.
std::string demo_token(const rr_emulator::Emulator& emulator) {
  httplib::Client c("127.0.0.1", emulator.port());
  auto r = c.Post("/oauth/token",
                  "grant_type=client_credentials&client_id=demo-client-id"
                  "&client_secret=demo-client-secret",
                  "application/x-www-form-urlencoded");
  if (!r || r->status != 200)
    return {};
  return nlohmann::json::parse(r->body).value("access_token", std::string());
}

TEST(ExamplesSettings, PastedAccessTokenIsUsedAndNeverPrinted) {
  rr_emulator::Emulator emulator;
  emulator.start();
  const std::string token = demo_token(emulator);
  ASSERT_FALSE(token.empty());
  const auto result =
      run_example("RR_BASE_URL=" + emulator.base_url() + " RR_ACCESS_TOKEN=" + token);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("server: " + emulator.base_url() + " (RR_ACCESS_TOKEN)"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("5. deleted CUST-1"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find(token), std::string::npos) << "the example printed the token";
  EXPECT_EQ(emulator.stats().token_requests.size(), 1u) << "only the test's own token request";
}

TEST(ExamplesSettings, ClientCredentialsAgainstTheNamedServer) {
  rr_emulator::Emulator emulator;
  emulator.start();
  const auto result =
      run_example("RR_BASE_URL=" + emulator.base_url() + " RR_TOKEN_URL=" + emulator.token_url() +
                  " RR_CLIENT_ID=demo-client-id RR_CLIENT_SECRET=demo-client-secret");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(emulator.stats().token_requests.at("client_credentials"), 1u);
  EXPECT_EQ(result.output.find("demo-client-secret"), std::string::npos);
  EXPECT_EQ(result.output.find("in-process"), std::string::npos) << result.output;
}

TEST(ExamplesSettings, ServerWithoutCredentialsFailsWithOneClearLine) {
  const auto result = run_example("RR_BASE_URL=http://127.0.0.1:9");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.output,
            "failed: no credentials in the environment: set RR_ACCESS_TOKEN, or RR_CLIENT_ID and "
            "RR_CLIENT_SECRET\n");
}

// RR_TOKEN_URL forgotten: the token request goes to the emulator named by RR_BASE_URL (its OAuth
// routes share the origin), never to Rose Rocket's tenant.
TEST(ExamplesSettings, ClientCredentialsWithoutTokenUrlGoToTheNamedEmulator) {
  rr_emulator::Emulator emulator;
  emulator.start();
  const auto result =
      run_example("RR_BASE_URL=" + emulator.base_url() +
                  " RR_CLIENT_ID=demo-client-id RR_CLIENT_SECRET=demo-client-secret");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("(client credentials at " + emulator.token_url() + ")"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(emulator.stats().token_requests.at("client_credentials"), 1u);
  EXPECT_EQ(result.output.find("demo-client-secret"), std::string::npos);
}

// Another host without RR_TOKEN_URL: refused before any request, naming the setting.
TEST(ExamplesSettings, UnknownHostWithoutTokenUrlIsRefused) {
  const auto result = run_example(
      "RR_BASE_URL=https://staging.invalid RR_CLIENT_ID=id RR_CLIENT_SECRET=staging-secret-x");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("set RR_TOKEN_URL"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("staging-secret-x"), std::string::npos) << result.output;
}

TEST(ExamplesSettings, WrongSecretFailsWithTheOAuthErrorAndHidesTheSecret) {
  rr_emulator::Emulator emulator;
  emulator.start();
  const auto result =
      run_example("RR_BASE_URL=" + emulator.base_url() + " RR_TOKEN_URL=" + emulator.token_url() +
                  " RR_CLIENT_ID=demo-client-id RR_CLIENT_SECRET=wrong-secret-value");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("failed: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("invalid_client"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("wrong-secret-value"), std::string::npos);
}

}  // namespace

#endif  // RR_GETTING_STARTED_EXAMPLE
