// Listing pages: every reader of a page with a `total` (events().list, user_groups().search,
// objects().search, a typed facade's search) and of membership counts (change_members) returns
// or throws the SDK's error, whatever the body; totals and counts such as 1e30, -1 or 2.5 are
// refused as MalformedResponseError, never converted out of range (seeds in
// corpus/fuzz_event_page).
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
  try {
    (void)client.user_groups().search({});
  } catch (const roserocket::Error&) {
  }
  try {
    (void)client.user_groups().change_members("g1", {"u1"}, {});
  } catch (const roserocket::Error&) {
  }
  roserocket::SearchRequest search;
  search.board_id = "b1";
  try {
    (void)client.objects().search(search);
  } catch (const roserocket::Error&) {
  }
  try {
    const auto page = client.customers().search(search);
    for (const auto& c : page.results)
      (void)c.version();
  } catch (const roserocket::Error&) {
  }
  return 0;
}
