// The GoogleMock pattern of docs/testing-your-code.md, written as a user would: with
// `using namespace roserocket;` and GoogleTest's names pulled in. Before issue 8 the SDK's
// namespace `roserocket::testing` made every `testing::` below ambiguous; this file compiling
// (it defines no ROSEROCKET_DEPRECATED_TESTING_NAMESPACE) is the test.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include <roserocket/roserocket.hpp>
#include <roserocket/testing/gmock_transport.hpp>

using namespace roserocket;
using ::testing::Field;
using ::testing::Return;

namespace {

// The user's code under test.
void delete_stale_customer(const Client& client) {
  client.objects().remove("c-stale");
}

}  // namespace

TEST(GMockPatternWithUsingNamespace, CompilesAndSeesTheRequest) {
  auto transport = std::make_shared<testing::StrictMock<mock::GMockTransport>>();
  EXPECT_CALL(*transport,
              send(testing::AllOf(Field(&HttpRequest::method, HttpMethod::kDelete),
                                  Field(&HttpRequest::url, testing::EndsWith("/objects/c-stale")))))
      .WillOnce(Return(HttpResponse{204, {}, ""}));

  ClientOptions options;
  options.transport = transport;
  options.token_provider = std::make_shared<StaticTokenProvider>("test-token");
  options.retry = RetryPolicy::none();
  const Client client(options);

  delete_stale_customer(client);
}
