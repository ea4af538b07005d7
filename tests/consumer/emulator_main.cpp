// Compiled by a consumer of the installed package with find_package(roserocket COMPONENTS
// emulator): starts the emulator in-process, as docs/testing-your-code.md shows, and round-trips
// a customer through it with the client-credentials grant.
#include <roserocket/roserocket.hpp>
#include <rr_emulator/emulator.hpp>

#include <iostream>

int main() try {
  rr_emulator::Emulator emulator;  // declared before the client, so destroyed after it
  emulator.start();

  roserocket::OAuthOptions oauth;
  oauth.client_id = rr_emulator::kDemoClientId;
  oauth.client_secret = rr_emulator::kDemoClientSecret;
  oauth.token_url = emulator.token_url();
  roserocket::ClientOptions options;
  options.base_url = emulator.base_url();
  options.token_provider = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
  roserocket::Client client(options);

  roserocket::model::Customer customer;
  customer.set_name("Consumer Freight");
  const auto created = client.customers().create(customer);
  const auto read = client.customers().get(*created.id());
  std::cout << "emulator consumer read back " << read.name().value_or("?") << "\n";
  return read.name() == std::optional<std::string>("Consumer Freight") ? 0 : 1;
} catch (const roserocket::Error& e) {
  std::cerr << "failed: " << e.what() << "\n";
  return 1;
}
