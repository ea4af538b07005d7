// Error bodies with status codes: whatever the status and body, the client throws the SDK's own
// error (or returns), never crashes, and never shows its token.
#include <cstring>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto response = rr_fuzz::response_from(data, size);
  if (response.status < 300)
    response.status += 300;  // always an error status here; fuzz_client covers the rest
  auto client = rr_fuzz::client_answering(response);
  try {
    (void)client.objects().get("c1");
  } catch (const roserocket::Error& e) {
    if (std::strstr(e.what(), "fuzz-token-123") != nullptr)
      __builtin_trap();  // a secret in an exception text is a finding
  }
  return 0;
}
