// Getting started: the vendor's first walkthrough as a program. Authenticate, create the customer
// "XYZ Freight Corp", read it back, update it, delete it, printing what happened at each step.
//
// Run it as is and it brings its own server: the local emulator, in-process. Point it at a real
// account with RR_BASE_URL plus RR_ACCESS_TOKEN, or RR_CLIENT_ID and RR_CLIENT_SECRET (see
// example_support.hpp). It never prints a token.

#include <iostream>
#include <string>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"

int main() {
  return example::run([](roserocket::Client& client) {
    using roserocket::model::Customer;

    // 1. Authenticate. The client asks its token provider for a bearer token before the first
    //    request and renews it by itself; asking here only makes the step visible.
    const std::string token = client.options().token_provider->access_token();
    std::cout << "1. authenticated: access token received (" << token.size()
              << " characters, not shown)\n";

    // 2. Create a customer. A typed record sends only the fields you set; the server fills in
    //    the id, the human-readable fullId (CUST-n) and version 1.
    Customer xyz;
    xyz.set_name("XYZ Freight Corp")
        .set_address("123 Main St")
        .set_city("New York")
        .set_state("New York")
        .set_postal("10001")
        .set_currency("usd");
    const Customer created = client.customers().create(xyz);
    const std::string id = created.id().value_or("");
    std::cout << "2. created customer id " << id << ", fullId " << created.full_id().value_or("?")
              << ", version " << created.version().value_or(0) << "\n";

    // 3. Read it back by id: everything you sent is there, plus what the server added.
    const Customer read = client.customers().get(id);
    std::cout << "3. read back: " << read.name().value_or("?") << ", " << read.city().value_or("?")
              << " " << read.postal().value_or("?") << ", status "
              << (read.status() ? read.status()->value() : std::string("(none)")) << "\n";

    // 4. Update it. Change fields on the record you read: only those are sent, so fields this
    //    SDK does not know about are left alone. Each change raises the version by one.
    Customer change = read;
    change.set_company_email("dispatch@xyz-freight.example").set_city("Brooklyn");
    const Customer updated = client.customers().update(change);
    std::cout << "4. updated: city " << updated.city().value_or("?") << ", version "
              << updated.version().value_or(0) << "\n";

    // 5. Delete it. Reading it again now fails with NotFoundError, the SDK's 404.
    client.customers().remove(id);
    try {
      (void)client.customers().get(id);
      throw roserocket::InvalidArgumentError("the deleted customer can still be read");
    } catch (const roserocket::NotFoundError&) {
      std::cout << "5. deleted " << created.full_id().value_or(id)
                << "; reading it now gives 404\n";
    }
  });
}
