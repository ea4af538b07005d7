// The emulator's request handling, in process: raw HTTP bytes go through httplib's parser, the
// routing and every handler (the same GuardedServer and routes rr-emulator serves with), with no
// socket. "TOKEN" in the input becomes a valid bearer token, so authenticated routes are reached.
#include <cstdint>
#include <string>

#include "core.hpp"
#include "faults.hpp"
#include "guarded_server.hpp"
#include "oauth.hpp"
#include "pacing.hpp"
#include "server.hpp"
#include "webhooks.hpp"

namespace {

struct World {
  rr_emulator::detail::Core core{rr_emulator::Options{}, {}, {}};
  rr_emulator::detail::OAuthServer oauth{core.options};
  rr_emulator::detail::FaultTable faults;
  rr_emulator::detail::StatsCounter stats;
  // Never started: changes queue deliveries that no thread sends (no socket leaves the fuzzer).
  rr_emulator::detail::WebhookDispatcher webhooks{core.options.webhooks};
  rr_emulator::detail::Pacing pacing{0, 0.0};  // no latency, no rate limit
  rr_emulator::detail::Services services{core, oauth, faults, stats, webhooks, pacing};
  rr_emulator::detail::GuardedServer server{rr_emulator::detail::ConnectionLimits{}};
  std::string token;

  World() {
    rr_emulator::detail::harden(server);
    rr_emulator::detail::install_routes(server, services);
    const std::string form =
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret";
    const std::string reply = server.serve_bytes(
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: " +
        std::to_string(form.size()) + "\r\n\r\n" + form);
    const auto at = reply.find("\"access_token\":\"");
    if (at != std::string::npos) {
      const auto start = at + 16;
      token = reply.substr(start, reply.find('"', start) - start);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World* world = new World();
  std::string input(reinterpret_cast<const char*>(data), size);
  for (auto at = input.find("TOKEN"); at != std::string::npos; at = input.find("TOKEN", at + 1))
    input.replace(at, 5, world->token);
  (void)world->server.serve_bytes(input);
  world->faults.clear();  // a delay fault would make later inputs sleep
  // Bounded memory across runs: the fuzzer would otherwise fill the state with records.
  if (world->core.state.records.size() > 1000)
    rr_emulator::detail::reset_everything(world->services);
  return 0;
}
