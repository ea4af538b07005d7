// Next step 1: create an order for a customer. An order points at its customer; the connection
// is written as a reference {"id": ...} to a record that already exists.

#include <iostream>
#include <string>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"

int main() {
  return example::run([](roserocket::Client& client) {
    using namespace roserocket::model;

    // Orders belong to customers, so there must be one first.
    Customer customer;
    customer.set_name("XYZ Freight Corp").set_city("New York").set_currency("usd");
    customer = client.customers().create(customer);
    std::cout << "customer " << customer.full_id().value_or("?") << " created\n";

    // ref() turns a saved record into a reference; the platform refuses a bare id string.
    Order order;
    order.set_customer(customer.ref()).set_status(OrderStatus::kNew);
    order = client.orders().create(order);
    const std::string order_id = order.id().value_or("");
    std::cout << "order " << order.full_id().value_or("?") << " created (id " << order_id
              << ", status " << (order.status() ? order.status()->value() : "?") << ")\n";

    // A get returns only the order's own fields; name the customer in paths to get it too.
    const Order read = client.orders().get(order_id, {Order::customer_path});
    const auto owner = read.customer();
    std::cout << "order " << read.full_id().value_or("?") << " is for "
              << (owner ? owner->name().value_or("?") : std::string("nobody")) << "\n";
  });
}
