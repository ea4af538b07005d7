// Compiled by a consumer of the installed package; runs one call against the mock transport.
#include <roserocket/roserocket.hpp>
#include <roserocket/testing/mock_transport.hpp>

#include <iostream>

int main() {
  auto mock = std::make_shared<roserocket::mock::MockTransport>();
  mock->enqueue_json(200, {{"id", "c-1"}, {"objectKey", "customer"}});
  roserocket::ClientOptions options;
  options.transport = mock;
  options.token_provider = std::make_shared<roserocket::StaticTokenProvider>("consumer-token");
  roserocket::Client client(options);
  const auto record = client.objects().get("c-1");
  std::cout << "consumer got " << record.at("objectKey").get<std::string>() << "\n";
  return record.at("id") == "c-1" ? 0 : 1;
}
