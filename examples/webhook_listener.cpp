// React to an order's status change as it happens: a small HTTP server receives the platform's
// webhook deliveries through roserocket::WebhookReceiver, which checks the secret in the URL,
// drops redeliveries and re-reads the order before the handler sees it.
//
// The server here is cpp-httplib, but the receiver does not care: any server that can pass on
// (method, target, headers, body) and send back (status, body) will do.
//
// With no settings it runs against the in-process emulator, which delivers to 127.0.0.1. A real
// account cannot reach 127.0.0.1: set RR_WEBHOOK_PUBLIC_URL to a public https URL that forwards
// to this program's port (a tunnel), and the subscription is made with that URL instead.

#include <httplib.h>

#include <chrono>
#include <future>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "example_support.hpp"
#include "roserocket/resources/resource.hpp"
#include "roserocket/webhooks/webhook_receiver.hpp"
#include "roserocket/webhooks/webhooks.hpp"

namespace {

// A fresh secret for this run: 32 hex characters (128 bits).
std::string random_secret() {
  std::random_device device;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i)
    out.push_back(hex[device() % 16]);
  return out;
}

}  // namespace

int main() {
  return example::run([](roserocket::Client& client) {
    using namespace roserocket::model;
    const std::string path = "/hooks/rose-rocket";
    const std::string secret = random_secret();

    // 1. The receiver: secret, path, and a re-read of the order by refId before the handler.
    roserocket::WebhookReceiverOptions options;
    options.secret = secret;
    options.path = path;
    options.reread_client = client;
    roserocket::WebhookReceiver receiver(options);

    std::promise<std::string> received;
    auto got_one = received.get_future();
    receiver.on("Order Status Changed", "order", [&received](const roserocket::WebhookEvent& e) {
      const Order now = e.record<Order>();  // the re-read version, as it is now
      std::cout << "received \"" << e.type << "\" (event " << e.id << ") for order "
                << now.full_id().value_or("?") << ": status "
                << (now.status() ? now.status()->value() : "?") << ", version "
                << now.version().value_or(0) << "\n";
      try {
        received.set_value(e.id);
      } catch (const std::future_error&) {
        // A later delivery: already reported.
      }
    });

    // 2. An HTTP server that hands every request to the receiver. Only the receiver decides.
    httplib::Server server;
    server.Post(".*", [&receiver](const httplib::Request& req, httplib::Response& res) {
      roserocket::Headers headers;
      for (const auto& field : req.headers)
        headers.add(field.first, field.second);
      const auto answer = receiver.handle(req.method, req.target, headers, req.body);
      res.status = answer.status;
      res.set_content(answer.body, answer.content_type.c_str());
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    if (port < 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    std::thread serving([&server] { server.listen_after_bind(); });
    struct StopServer {
      httplib::Server& server;
      std::thread& thread;
      ~StopServer() {
        server.stop();
        thread.join();
      }
    } stop_server{server, serving};

    // 3. Subscribe this listener: one destination with its subscription, in one call. The
    //    secret travels in the URL, because the platform signs nothing.
    const std::string base = example::env("RR_WEBHOOK_PUBLIC_URL").empty()
                                 ? "http://127.0.0.1:" + std::to_string(port)
                                 : example::env("RR_WEBHOOK_PUBLIC_URL");
    auto destination = client.webhooks().subscribe(
        "webhook_listener example", base + path + "/" + secret, {"Order Status Changed"});
    std::cout << "subscribed destination " << destination.id().value_or("?") << " with "
              << destination.subscriptions().size() << " subscription(s)\n";

    // 4. Change an order's status.
    Customer customer;
    customer.set_name("Webhook Freight Corp").set_currency("usd");
    customer = client.customers().create(customer);
    Order order;
    order.set_customer(customer.ref());
    order = client.orders().create(order);
    order.set_status(OrderStatus::kBooked);  // only the status is sent
    order = client.orders().update(order);
    std::cout << "order " << order.full_id().value_or("?") << " is now "
              << (order.status() ? order.status()->value() : "?") << "\n";

    // 5. Wait for the delivery, a bounded time, then clean up.
    const bool arrived = got_one.wait_for(std::chrono::seconds(15)) == std::future_status::ready;
    client.webhooks().remove(*destination.id());
    if (!arrived)
      throw std::runtime_error("no webhook delivery arrived within 15 s");
    std::cout << "subscription removed\n";
  });
}
