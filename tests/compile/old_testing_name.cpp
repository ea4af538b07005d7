// Uses the deprecated name `roserocket::testing::MockTransport`. Compiles only when
// ROSEROCKET_DEPRECATED_TESTING_NAMESPACE is defined, and then warns at each use.
#include <type_traits>

#include <roserocket/testing/gmock_transport.hpp>
#include <roserocket/testing/mock_transport.hpp>

static_assert(std::is_same_v<roserocket::testing::MockTransport, roserocket::mock::MockTransport>);
static_assert(
    std::is_same_v<roserocket::testing::GMockTransport, roserocket::mock::GMockTransport>);

int queued_answers() {
  roserocket::testing::MockTransport transport;
  return static_cast<int>(transport.pending());
}
