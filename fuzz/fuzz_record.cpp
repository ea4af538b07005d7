// Records and values: every typed getter of every record type, and of its read-only view, on
// arbitrary JSON returns a value, nothing, or throws the SDK's error; a view's lists iterate.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_limits.hpp"
#include "roserocket/roserocket.hpp"

namespace {

template <class F>
void guarded(F&& f) {
  try {
    f();
  } catch (const roserocket::Error&) {
  }
}

void every_getter(const roserocket::model::Json& json) {
  using namespace roserocket::model;  // NOLINT: the catalog's type names
  guarded([&] {
    const Record r = Record::from_json(json);
#define RR_COMMON(cpp, wire, type, access, description) guarded([&] { (void)r.cpp(); });
#include "roserocket/model/catalog.def"
    for (const auto& item : json.items()) {
      const std::string& key = item.key();  // a plain name: lambdas cannot capture a binding
      guarded([&] { (void)r.get_as<std::int64_t>(key); });
      guarded([&] { (void)r.get_as<int>(key); });
      guarded([&] { (void)r.get_as<double>(key); });
      guarded([&] { (void)r.get_as<bool>(key); });
      guarded([&] { (void)r.get_as<std::string>(key); });
      guarded([&] { (void)r.get_as<Money>(key); });
      guarded([&] { (void)r.get_as<DateTimeValue>(key); });
      guarded([&] { (void)r.get_as<TimeOfDay>(key); });
      guarded([&] { (void)r.get_as<Ref>(key); });
    }
  });
#define RR_OBJECT_BEGIN(Type, key, prefix, prefix_provenance, display) \
  guarded([&] {                                                        \
    const auto r = Type::from_json(json);                              \
    const auto v = r.view();                                           \
    (void)v;
#define RR_FIELD(cpp, wire, type, provenance, description) \
  guarded([&] { (void)r.cpp(); });                         \
  guarded([&] { (void)v.cpp(); });
#define RR_ENUM_FIELD(cpp, wire, EnumType, provenance, description) \
  guarded([&] { (void)r.cpp(); });                                  \
  guarded([&] { (void)v.cpp(); });
#define RR_DERIVED(cpp, wire, type, from, provenance, description) \
  guarded([&] { (void)r.cpp(); });                                 \
  guarded([&] { (void)v.cpp(); });
#define RR_ONE(cpp, wire, Target, provenance, description) \
  guarded([&] { (void)r.cpp(); });                         \
  guarded([&] { (void)v.cpp(); });
#define RR_MANY(cpp, wire, Target, provenance, description) \
  guarded([&] { (void)r.cpp(); });                          \
  guarded([&] {                                             \
    for (const auto& item : v.cpp())                        \
      (void)item.id();                                      \
  });
#define RR_OBJECT_END() \
  });
#include "roserocket/model/catalog.def"
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  roserocket::detail::JsonParse outcome = roserocket::detail::JsonParse::kOk;
  const auto json = roserocket::detail::parse_json_limited(
      std::string_view(reinterpret_cast<const char*>(data), size), outcome);
  if (outcome == roserocket::detail::JsonParse::kOk && json.is_object())
    every_getter(json);
  return 0;
}
