#pragma once

// Shared by the libFuzzer harnesses: turning fuzz bytes into an HTTP response, and a Client over
// the mock transport that answers with it (no sockets, no sleeping).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "roserocket/roserocket.hpp"
#include "roserocket/testing/mock_transport.hpp"

namespace rr_fuzz {

/// @brief Input layout: 2 bytes of status, then "Retry-After\nrequest id\nbody".
inline roserocket::HttpResponse response_from(const std::uint8_t* data, std::size_t size) {
  roserocket::HttpResponse response;
  response.status = 200;
  if (size >= 2) {
    response.status = 100 + (data[0] * 256 + data[1]) % 500;
    data += 2;
    size -= 2;
  }
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  auto take_line = [&rest]() {
    const auto nl = rest.find('\n');
    std::string line(rest.substr(0, nl));
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    return line;
  };
  const std::string retry_after = take_line();
  const std::string request_id = take_line();
  if (!retry_after.empty())
    response.headers.add("Retry-After", retry_after);
  if (!request_id.empty())
    response.headers.add("x-request-id", request_id);
  response.body = std::string(rest);
  return response;
}

/// @brief A client whose every request is answered with @p response.
inline roserocket::Client client_answering(const roserocket::HttpResponse& response) {
  auto mock = std::make_shared<roserocket::mock::MockTransport>();
  mock->set_fallback([response](const roserocket::HttpRequest&) { return response; });
  roserocket::ClientOptions options;
  options.transport = mock;
  options.token_provider = std::make_shared<roserocket::StaticTokenProvider>("fuzz-token-123");
  options.retry = roserocket::RetryPolicy::none();
  options.clock = roserocket::Clock::real();
  options.clock.sleep = [](std::chrono::milliseconds) {};
  return roserocket::Client(options);
}

}  // namespace rr_fuzz
