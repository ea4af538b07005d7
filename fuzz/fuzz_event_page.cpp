// Event pages: events().list and user_groups() readers return or throw the SDK's error.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  roserocket::HttpResponse response;
  response.status = 200;
  response.body.assign(reinterpret_cast<const char*>(data), size);
  auto client = rr_fuzz::client_answering(response);
  roserocket::EventQuery query;
  query.record_id = "r1";
  query.object_key = "order";
  try {
    const auto page = client.events().list(query);
    for (const auto& e : page.results)
      (void)e.data.dump();
  } catch (const roserocket::Error&) {
  }
  return 0;
}
