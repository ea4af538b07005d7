// Next step 3: add a partner carrier and give it an order to carry. A partner is a record like
// any other (objectKey "partner"); an order's `partner` connection says who carries it.

#include <iostream>
#include <string>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"

int main() {
  return example::run([](roserocket::Client& client) {
    using namespace roserocket::model;

    // The SDK's catalog documents no partner fields, so they are set by name with set(): any
    // field, known or not, can be written that way.
    Partner carrier;
    carrier.set("name", "Fast Lane Carriers").set("currency", "usd");
    carrier.set_external_id("CARRIER-7");
    carrier = client.partners().create(carrier);
    std::cout << "partner " << carrier.full_id().value_or("?") << " created ("
              << carrier.get("name").get<std::string>() << ")\n";

    Customer customer;
    customer.set_name("XYZ Freight Corp");
    customer = client.customers().create(customer);

    // Connect both: the customer who pays, the partner who carries.
    Order order;
    order.set_customer(customer.ref()).set_partner(carrier.ref());
    order = client.orders().create(order);
    std::cout << "order " << order.full_id().value_or("?") << " created\n";

    // Read the order with the partner attached, found again by the carrier's external id.
    const Order read = client.orders().get(order.id().value_or(""), {Order::partner_path});
    const Partner by_external = client.partners().get_by_external_id("CARRIER-7");
    const auto assigned = read.partner();
    std::cout << "order " << read.full_id().value_or("?") << " is carried by "
              << (assigned ? assigned->full_id().value_or("?") : std::string("nobody"))
              << "; CARRIER-7 is " << by_external.full_id().value_or("?") << "\n";
  });
}
