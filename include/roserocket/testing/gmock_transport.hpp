#pragma once

/// @file
/// @brief `GMockTransport`: an `HttpTransport` for GoogleMock expectations.
///
/// Link the CMake target `roserocket::testing` (it brings GoogleMock with it). The C++ namespace
/// is `roserocket::mock`, so `testing::` stays GoogleTest's even under `using namespace
/// roserocket;`:
/// @code
/// using namespace roserocket;
/// auto transport = std::make_shared<mock::GMockTransport>();
/// EXPECT_CALL(*transport, send(testing::Field(&HttpRequest::method, HttpMethod::kDelete)))
///     .WillOnce(testing::Return(HttpResponse{204, {}, ""}));
/// @endcode

#include <gmock/gmock.h>

#include "roserocket/http/transport.hpp"

namespace roserocket::mock {

/// @brief `HttpTransport` with `send` as a GoogleMock method.
///
/// Thread safety: as any GoogleMock object; expectations are set before the mock is used, calls
/// may then come from any thread.
class GMockTransport : public HttpTransport {
 public:
  /// @brief Mocked: set what it returns with `EXPECT_CALL(mock, send(...))`.
  MOCK_METHOD(HttpResponse, send, (const HttpRequest& request), (override));
};

}  // namespace roserocket::mock

#if defined(ROSEROCKET_DEPRECATED_TESTING_NAMESPACE) || defined(DOXYGEN)
namespace roserocket::testing {
/// @brief Deprecated: the old name of `roserocket::mock::GMockTransport`.
///
/// Declared only when `ROSEROCKET_DEPRECATED_TESTING_NAMESPACE` is defined before this header is
/// included: the namespace `roserocket::testing` makes `testing::` ambiguous with GoogleTest's
/// under `using namespace roserocket;`, so it is not there by default. To be removed in 1.0.
using GMockTransport [[deprecated("use roserocket::mock::GMockTransport")]] =
    ::roserocket::mock::GMockTransport;
}  // namespace roserocket::testing
#endif
