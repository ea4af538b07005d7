// Next step 2: update a customer's information, three ways: change fields on a record you read
// (PUT), upsert by your own system's id (PATCH with externalId), and the seeds' PATCH by id.

#include <iostream>
#include <string>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"

int main() {
  return example::run([](roserocket::Client& client) {
    using roserocket::model::Customer;

    Customer fresh;
    fresh.set_name("XYZ Freight Corp").set_city("New York").set_postal("10001");
    const Customer saved = client.customers().create(fresh);
    const std::string id = saved.id().value_or("");
    std::cout << "created " << saved.full_id().value_or("?") << ", version "
              << saved.version().value_or(0) << "\n";

    // 1. Read, change, update: only the changed fields travel, so a field someone else set in
    //    the meantime (or one this SDK does not know) is not overwritten with a stale value.
    Customer customer = client.customers().get(id);
    customer.set_company_phone("+1 212 555 0100").set_postal("10002");
    customer = client.customers().update(customer);
    std::cout << "updated phone and postal code: postal " << customer.postal().value_or("?")
              << ", version " << customer.version().value_or(0) << "\n";

    // 2. Upsert by external id: when your own system keeps the key, you need not remember
    //    Rose Rocket's id. The first call creates the record, the second updates the same one.
    Customer keyed;
    keyed.set_external_id("ERP-CUST-42").set_name("Acme Logistics");
    const auto first = client.customers().upsert(keyed);
    keyed.set_city("Chicago");
    const auto second = client.customers().upsert(keyed);
    std::cout << "upsert ERP-CUST-42: " << (first.created ? "created" : "updated") << " "
              << first.record.full_id().value_or("?") << ", then "
              << (second.created ? "created" : "updated") << " "
              << second.record.full_id().value_or("?") << " (city "
              << second.record.city().value_or("?") << ")\n";

    // 3. The seeds' form: PATCH /objects with the id in the body.
    Customer renamed;
    renamed.set_name("XYZ Freight Corporation");
    const auto patched = client.customers().upsert_by_id(id, renamed);
    std::cout << "PATCH by id: name now " << patched.record.name().value_or("?") << ", version "
              << patched.record.version().value_or(0) << "\n";
  });
}
