// Next step 4: set nested objects. An order with its tasks, and the tasks with their commodities,
// are created in one request: connected records without an id are created with their parent.

#include <iostream>
#include <string>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"

int main() {
  return example::run([](roserocket::Client& client) {
    using namespace roserocket::model;

    Customer customer;
    customer.set_name("XYZ Freight Corp");
    customer = client.customers().create(customer);

    // Build the tree bottom-up: commodities go in tasks, tasks go in the order.
    Commodity skids;
    skids.set_commodity_type(CommodityType::kSkid).set_weight_unit(WeightUnit::kLbs);
    Task pickup;
    pickup.set_task_type(TaskType::kPickup)
        .set_appointment_time(DateTimeValue::at("2024-05-01T09:00:00"))
        .set_commodities({skids});
    Task delivery;
    delivery.set_task_type(TaskType::kDelivery);
    Order order;
    order.set_customer(customer.ref()).set_tasks({pickup, delivery});

    // One request. It is never retried once it may have reached the server: a repeat could
    // create the order and every nested record twice.
    const Order saved = client.orders().create(order);
    const std::string id = saved.id().value_or("");
    std::cout << "order " << saved.full_id().value_or("?") << " created with its tasks\n";

    // Read it back with dot paths for each level wanted.
    const Order read =
        client.orders().get(id, {Order::tasks_path, Order::tasks_path / Task::commodities_path});
    for (const auto& task : read.tasks()) {  // views into `read`: nothing is copied
      std::cout << "  task " << task.full_id().value_or("?") << " ("
                << (task.task_type() ? task.task_type()->value() : "?") << "), "
                << task.commodities().size() << " commodit"
                << (task.commodities().size() == 1 ? "y" : "ies");
      for (const auto& c : task.commodities())
        std::cout << " " << (c.commodity_type() ? c.commodity_type()->value() : "?");
      std::cout << "\n";
    }
    if (read.tasks().size() != 2)
      throw roserocket::InvalidArgumentError("expected the order's two tasks back");
  });
}
