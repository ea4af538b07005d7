// Dispatch: plan a manifest from the tasks of two orders, assign a partner (the carrier) and an
// asset (the truck), move it through its stages, and read it back typed.

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"

namespace {

// One order for @p customer with a pickup and a delivery, created in one request.
roserocket::model::Order book_order(roserocket::Client& client,
                                    const roserocket::model::Ref& customer, const char* po) {
  using namespace roserocket::model;
  Order order;
  order.set_customer(customer).set_po_num(po).set_tasks(
      {Task().set_task_type(TaskType::kPickup).set_special_instructions("dock 4"),
       Task().set_task_type(TaskType::kDelivery).set_description("drop at receiving")});
  return client.orders().create(order, roserocket::with_paths({"tasks"}));
}

}  // namespace

int main() {
  return example::run([](roserocket::Client& client) {
    using namespace roserocket::model;

    Customer customer;
    customer.set_name("Lakeside Grocers");
    customer = client.customers().create(customer);
    const Order first = book_order(client, customer.ref(), "PO-1001");
    const Order second = book_order(client, customer.ref(), "PO-1002");
    std::cout << "orders " << first.full_id().value_or("?") << " and "
              << second.full_id().value_or("?") << " booked\n";

    // The carrier, with a contact, and the truck that runs the route.
    Partner carrier;
    carrier.set_contacts({Contact().set_first_name("Dana").set_last_name("Reyes")});
    carrier.set("name", "Northern Haulage");  // no page names the field: reached untyped
    carrier = client.partners().create(carrier);
    Asset truck;
    truck.set_name("TRK-7").set_asset_type("dry van").set_plate_number("ONT 4821");
    truck = client.assets().create(truck);

    // The manifest: every task of both orders, in route order (references, not copies).
    std::vector<Ref> stops;
    for (const Order* order : {&first, &second}) {
      for (TaskView task : order->view().tasks())
        stops.push_back(Ref{task.id().value_or("")});
    }
    Manifest manifest;
    manifest.set_tasks(stops).set_partner(carrier.ref()).set_assets({truck.ref()});
    manifest = client.manifests().create(manifest);
    std::cout << "manifest " << manifest.full_id().value_or("?") << " created ("
              << manifest.status().value_or(ManifestStatus::kNew).value() << ")\n";

    // Through its stages: planned, then dispatched (the emulator refuses a step backwards).
    for (ManifestStatus stage :
         {ManifestStatus(ManifestStatus::kPlanned), ManifestStatus(ManifestStatus::kDispatched)}) {
      Manifest change = Manifest::from_json(Json{{"id", *manifest.id()}});
      change.set_status(stage);
      manifest = client.manifests().update(change);
    }

    // Read it back typed, with the connections it needs in one request.
    const Manifest read = client.manifests().get(
        *manifest.id(), {Manifest::tasks_path, Manifest::partner_path,
                         Manifest::partner_path / Partner::contacts_path, Manifest::assets_path});
    const ManifestView view = read.view();
    std::cout << "manifest " << view.full_id().value_or("?") << " is "
              << view.status().value_or(ManifestStatus::kNew).value() << ": " << view.tasks().size()
              << " tasks\n";
    for (TaskView task : view.tasks()) {
      std::cout << "  " << task.full_id().value_or("?") << " "
                << (task.task_type() ? task.task_type()->value() : "?") << "\n";
    }
    const std::optional<PartnerView> partner = view.partner();
    if (!partner || partner->contacts().empty())
      throw roserocket::InvalidArgumentError("expected the partner and its contact back");
    const ContactView contact = partner->contacts().at(0);
    std::cout << "carried by " << partner->json().value("name", std::string("?")) << " (contact "
              << contact.first_name().value_or("?") << " " << contact.last_name().value_or("?")
              << "), truck " << view.assets().at(0).name().value_or("?") << "\n";
    if (view.tasks().size() != 4 || view.status() != ManifestStatus::kDispatched)
      throw roserocket::InvalidArgumentError("expected four dispatched tasks back");
  });
}
