// A user's own `Clock` beside the SDK's `roserocket::Clock` (issue 23, ADR 0022). The SDK's type
// keeps its name within the 1.x ABI, so the docs recommend a namespace alias (`namespace rr =
// roserocket;`) or a using-directive inside the user's own namespace; both compile with a global
// `Clock` of the user's. OWN_CLOCK_WITH_GLOBAL_USING_DIRECTIVE selects the form that cannot.
#include <roserocket/client.hpp>
#include <roserocket/retry.hpp>

struct Clock {
  int ticks = 0;
};

#ifdef OWN_CLOCK_WITH_GLOBAL_USING_DIRECTIVE
using namespace roserocket;
int user_ticks() {
  Clock clock;  // ambiguous: ::Clock or roserocket::Clock
  return clock.ticks;
}
#else
namespace rr = roserocket;

int user_ticks() {
  Clock clock;
  rr::ClientOptions options;
  options.clock = rr::Clock::real();
  return clock.ticks + (options.clock.steady_now ? 1 : 0);
}

namespace erp {
using namespace roserocket;  // inside the user's namespace: the global Clock is not hidden by it
struct Clock {
  long long now = 0;
};
inline long long erp_now() {
  Clock own;  // erp::Clock, declared in this scope
  ClientOptions options;
  return own.now + (options.clock.sleep ? 1 : 0);
}
}  // namespace erp
#endif
