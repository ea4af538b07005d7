// The docs' GoogleMock pattern under `using namespace roserocket;`, with `testing::` unqualified.
#include <gmock/gmock.h>

#include <memory>

#include <roserocket/testing/gmock_transport.hpp>

using namespace roserocket;

void expect_one_delete(mock::GMockTransport& transport) {
  EXPECT_CALL(transport, send(testing::Field(&HttpRequest::method, HttpMethod::kDelete)))
      .WillOnce(testing::Return(HttpResponse{204, {}, ""}));
}
