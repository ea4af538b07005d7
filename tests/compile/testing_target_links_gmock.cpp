// Built with nothing but `target_link_libraries(... roserocket::testing)`: GoogleMock must come
// with that target (docs/testing-your-code.md says linking it is enough). Runs one expectation.
#include <gmock/gmock.h>

#include <iostream>
#include <memory>

#include <roserocket/roserocket.hpp>
#include <roserocket/testing/gmock_transport.hpp>

int main(int argc, char** argv) {
  ::testing::InitGoogleMock(&argc, argv);
  auto transport = std::make_shared<roserocket::mock::GMockTransport>();
  EXPECT_CALL(*transport, send(::testing::Field(&roserocket::HttpRequest::method,
                                                roserocket::HttpMethod::kGet)))
      .WillOnce(::testing::Return(
          roserocket::HttpResponse{200, {}, R"({"id":"c-1","objectKey":"customer"})"}));
  roserocket::ClientOptions options;
  options.transport = transport;
  options.token_provider = std::make_shared<roserocket::StaticTokenProvider>("test-token");
  const roserocket::Client client(options);
  const auto record = client.customers().get("c-1");
  const bool met = ::testing::Mock::VerifyAndClearExpectations(transport.get());
  std::cout << "got " << record.id().value_or("?") << "\n";
  return met && record.id() == "c-1" ? 0 : 1;
}
