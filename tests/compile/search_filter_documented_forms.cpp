// Issue 23 item 2: the ways docs/search.md writes a SearchFilter compile without a warning under
// -Wall -Wextra -Wpedantic -Werror (braced with members left out, braced in full, factories).
// With RR_CONTROL_AGGREGATE, an aggregate without member defaults written the same way shows
// that these flags do catch a missing initializer.
#include <string>
#include <vector>

#include <roserocket/objects/objects_api.hpp>

using roserocket::Json;
using roserocket::SearchFilter;
using Op = roserocket::SearchOperator;

std::vector<SearchFilter> documented_filters() {
  std::vector<SearchFilter> filters;
  filters.push_back({"status", Op::kIn, Json::array({"booked", "in transit"})});
  filters.push_back({"customer.name", Op::kStartsWith, "XYZ"});
  filters.push_back({"name", Op::kContains, "Freight", "", "string"});
  filters.push_back({"status", Op::kNotEmpty});
  filters.push_back(SearchFilter::in("status", {"booked", "in transit"}));
  filters.push_back(SearchFilter::between("weight", 10, 20));
  filters.push_back(SearchFilter::equals("name", "Acme"));
  filters.push_back(SearchFilter::empty("externalId"));
  SearchFilter f{};
  f.path = "fullId";
  filters.push_back(f);
  return filters;
}

#ifdef RR_CONTROL_AGGREGATE
struct ControlFilter {
  std::string path;
  Op op = Op::kEquals;
  Json value;
  std::string filter_key;
  std::string field_type;
};
ControlFilter control() {
  return {"status", Op::kIn, Json::array({"booked"})};
}
#endif
