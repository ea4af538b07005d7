// The whole client fed arbitrary responses (status, Retry-After, request id, body) through the
// mock transport, through every facade that reads a response.
#include <cstring>

#include "fuzz_support.hpp"

namespace {

template <class F>
void guarded(F&& f) {
  try {
    f();
  } catch (const roserocket::Error& e) {
    if (std::strstr(e.what(), "fuzz-token-123") != nullptr)
      __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto client = rr_fuzz::client_answering(rr_fuzz::response_from(data, size));
  guarded([&] { (void)client.objects().get("c1"); });
  guarded([&] {
    const auto c = client.customers().get("c1");
    (void)c.version();
    (void)c.json().dump();
  });
  guarded([&] { (void)client.objects().create("customer", {{"name", "n"}}); });
  guarded([&] { (void)client.user_groups().list(); });
  guarded([&] { (void)client.user_groups().change_members("g1", {"u1"}, {}); });
  guarded([&] { (void)client.boards().list(); });
  return 0;
}
