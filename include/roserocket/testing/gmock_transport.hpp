#pragma once

/// @file
/// @brief `GMockTransport`: an `HttpTransport` for GoogleMock expectations.
///
/// @code
/// auto mock = std::make_shared<roserocket::testing::GMockTransport>();
/// EXPECT_CALL(*mock, send(testing::Field(&roserocket::HttpRequest::method,
///                                        roserocket::HttpMethod::kDelete)))
///     .WillOnce(testing::Return(roserocket::HttpResponse{204, {}, ""}));
/// @endcode

#include <gmock/gmock.h>

#include "roserocket/http/transport.hpp"

namespace roserocket::testing {

/// @brief `HttpTransport` with `send` as a GoogleMock method.
class GMockTransport : public HttpTransport {
 public:
  MOCK_METHOD(HttpResponse, send, (const HttpRequest& request), (override));
};

}  // namespace roserocket::testing
