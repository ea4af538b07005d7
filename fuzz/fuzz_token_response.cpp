// Token endpoint responses: the provider gets a token or throws the SDK's error; the client
// secret never appears in an exception text.
#include <cstring>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto response = rr_fuzz::response_from(data, size);
  auto mock = std::make_shared<roserocket::mock::MockTransport>();
  mock->set_fallback([response](const roserocket::HttpRequest&) { return response; });
  roserocket::OAuthOptions o;
  o.token_url = "https://auth.example/oauth/token";
  o.client_id = "fuzz-client";
  o.client_secret = "fuzz-secret-9c1e";
  o.transport = mock;
  roserocket::ClientCredentialsTokenProvider provider(o);
  try {
    (void)provider.access_token();
    (void)provider.access_token();
  } catch (const roserocket::Error& e) {
    if (std::strstr(e.what(), "fuzz-secret-9c1e") != nullptr)
      __builtin_trap();
  }
  return 0;
}
