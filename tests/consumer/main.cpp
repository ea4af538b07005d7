// Compiled by a consumer of the installed package (CMake, pkg-config, or the Debian packages):
// checks the version macros against the library it runs with, then makes one call against the
// mock transport.
#include <roserocket/roserocket.hpp>
#include <roserocket/testing/mock_transport.hpp>
#include <roserocket/version.hpp>

#include <iostream>

static_assert(ROSEROCKET_VERSION_MAJOR >= 1, "generated version macros");

int main() {
  if (roserocket::version() != ROSEROCKET_VERSION_STRING) {
    std::cerr << "headers are " << ROSEROCKET_VERSION_STRING << ", library is "
              << roserocket::version() << "\n";
    return 1;
  }
  auto mock = std::make_shared<roserocket::mock::MockTransport>();
  mock->enqueue_json(200, {{"id", "c-1"}, {"objectKey", "customer"}});
  roserocket::ClientOptions options;
  options.transport = mock;
  options.token_provider = std::make_shared<roserocket::StaticTokenProvider>("consumer-token");
  roserocket::Client client(options);
  const auto record = client.objects().get("c-1");
  // An SDK exception thrown inside the library is caught here by its type.
  try {
    client.objects().get("");
    std::cerr << "an empty id was accepted\n";
    return 1;
  } catch (const roserocket::InvalidArgumentError&) {
  }
  std::cout << "consumer " << roserocket::version() << " got "
            << record.at("objectKey").get<std::string>() << "\n";
  return record.at("id") == "c-1" ? 0 : 1;
}
