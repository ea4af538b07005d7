// The README's "First program", verbatim (tests/unit/client_from_env_test.cpp holds them
// equal). ctest runs it against rr-emulator with RR_BASE_URL, RR_CLIENT_ID and RR_CLIENT_SECRET
// only: example.readme_first_program_against_rr_emulator.

#include <iostream>
#include <roserocket/roserocket.hpp>

int main() try {
  // RR_BASE_URL, and RR_CLIENT_ID + RR_CLIENT_SECRET (a service account: the client-credentials
  // grant, renewed ahead of expiry) or RR_ACCESS_TOKEN: the table under "Examples" below.
  roserocket::Client client(roserocket::ClientOptions::from_env());

  roserocket::model::Customer customer;
  customer.set_name("XYZ Freight Corp").set_city("New York").set_currency("usd");
  auto created = client.customers().create(customer);    // POST /objects
  std::cout << created.full_id().value_or("?") << "\n";  // "CUST-9"

  created.set_company_phone("555-555-5555");  // only this field is sent
  client.customers().update(created);         // PUT /objects/{id}
  client.customers().remove(*created.id());   // DELETE /objects/{id}
} catch (const roserocket::Error& e) {
  std::cerr << e.what() << "\n";  // operation, status, the server's messages; never a secret
  return 1;
}
