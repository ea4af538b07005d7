// ClientOptions::from_env against the real emulator over loopback (issue 23, item 1): with
// RR_BASE_URL and the demo client only, the token comes from the emulator's own token endpoint.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "roserocket/client.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

TEST(ClientFromEnvEmulator, BaseUrlAndDemoClientAreEnough) {
  rr_emulator::Emulator emulator;
  emulator.start();
  const std::map<std::string, std::string> variables = {
      {"RR_BASE_URL", emulator.base_url()},
      {"RR_CLIENT_ID", rr_emulator::kDemoClientId},
      {"RR_CLIENT_SECRET", rr_emulator::kDemoClientSecret}};
  const roserocket::EnvironmentLookup lookup =
      [&variables](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    return it == variables.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  roserocket::Client client(roserocket::ClientOptions::from_env(lookup));
  const auto created = client.objects().create("customer", {{"name", "From Env Freight"}});
  EXPECT_FALSE(created.value("id", std::string()).empty()) << created.dump();
  EXPECT_EQ(emulator.stats().token_requests.at("client_credentials"), 1u);
}

}  // namespace
