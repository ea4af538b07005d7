// The runtime catalog against the vendor's documentation, and the typed layer against the
// runtime catalog (both are expanded from catalog.def; this pins the expansions together).

#include <set>
#include <type_traits>

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace rr = roserocket;
using namespace rr::model;

TEST(Catalog, KnowsTheFifteenDocumentedObjectsEachWithAFacade) {
  const std::vector<std::string> documented = {"customer",
                                               "order",
                                               "task",
                                               "address",
                                               "commodity",
                                               "manifest",
                                               "webhookDestination",
                                               "webhookSubscription",
                                               "partner",
                                               "quote",
                                               "financialLineItem",
                                               "invoice",
                                               "tag",
                                               "asset",
                                               "bill",
                                               "contact"};
  for (const auto& key : documented) {
    const ObjectSpec* spec = find_object(key);
    ASSERT_NE(spec, nullptr) << key;
    EXPECT_FALSE(spec->facade.empty()) << key;
    EXPECT_FALSE(spec->client_method.empty()) << key;
  }
  EXPECT_EQ(find_object("load__c"), nullptr);
}

TEST(Catalog, DocumentedReadOnlyFields) {
  EXPECT_EQ(find_field("invoice", "subTotal")->access, Access::kDerived);
  EXPECT_EQ(find_field("invoice", "subTotal")->derived_from, std::vector<std::string>{"lineItems"});
  EXPECT_EQ(find_field("invoice", "subTotal")->type, FieldType::kMoney);
  EXPECT_EQ(find_field("address", "name")->access, Access::kDerived);
  const FieldSpec* hours = find_field("customer", "formattedBusinessHours");
  ASSERT_NE(hours, nullptr);
  EXPECT_EQ(hours->derived_from.size(), 14u);
  for (const char* common :
       {"id", "objectKey", "orgId", "fullId", "source", "createdAt", "createdBy", "updatedAt",
        "updatedBy", "version", "widgets", "widgetToOpen", "mapMarkers"}) {
    EXPECT_FALSE(read_only_reason("anything__c", common).empty()) << common;
  }
  EXPECT_TRUE(read_only_reason("customer", "externalId").empty());
  EXPECT_TRUE(read_only_reason("customer", "name").empty());
  EXPECT_TRUE(read_only_reason("customer", "load__c").empty());
}

TEST(Catalog, DocumentedEnumsAndConnections) {
  EXPECT_EQ(find_field("order", "status")->enum_values,
            (std::vector<std::string>{"new", "booked", "in transit", "delivered", "invoiced",
                                      "tendered", "rejected", "archived"}));
  EXPECT_EQ(find_field("commodity", "freightClass")->enum_values.size(), 19u);
  EXPECT_EQ(find_field("task", "commodities")->target, "commodity");
  EXPECT_EQ(find_field("order", "order")->target, "order");
  EXPECT_EQ(find_field("invoice", "lineItems")->target, "financialLineItem");
  EXPECT_EQ(find_field("customer", "status")->type, FieldType::kEnum);  // overrides common
  EXPECT_EQ(find_field("tag", "status")->type, FieldType::kString);
  EXPECT_EQ(find_field("customer", "etaDelayNotifyEnabled")->provenance, Provenance::kObserved);
  EXPECT_EQ(find_object("customer")->full_id_prefix, "CUST");
  EXPECT_EQ(find_object("order")->full_id_prefix_provenance, Provenance::kDocumented);
}

TEST(Catalog, EveryConnectionPointsAtAKnownObjectAndNamesAreUnique) {
  for (const auto& o : objects()) {
    std::set<std::string> names;
    for (const auto& f : o.fields) {
      EXPECT_TRUE(names.insert(f.name).second) << o.key << "." << f.name << " twice";
      if (f.is_connection()) {
        EXPECT_NE(find_object(f.target), nullptr) << o.key << "." << f.name;
      }
      if (f.type == FieldType::kEnum) {
        EXPECT_FALSE(f.enum_values.empty()) << f.name;
      }
      for (const auto& source : f.derived_from) {
        EXPECT_NE(o.find(source), nullptr) << o.key << "." << f.name << " from " << source;
      }
    }
  }
  EXPECT_NE(enum_values("EventType"), nullptr);
  EXPECT_EQ(enum_values("NoSuchEnum"), nullptr);
}

TEST(Catalog, CustomNamesEndInDoubleUnderscoreC) {
  EXPECT_TRUE(is_custom("load__c"));
  EXPECT_FALSE(is_custom("__c"));
  EXPECT_FALSE(is_custom("loadc"));
}

// ---- The typed layer agrees with the runtime catalog.

namespace {

// Detectors for setters that must not exist (read-only fields), per object and read-only name.
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) \
  namespace detect_##Type {
#define RR_OBJECT_END() }
// (Called, not named: the setters are member templates, so `&T::set_x` names no one function.)
#define RR_DERIVED(cpp, wire, kind, from, provenance, description)           \
  template <class T, class = void>                                           \
  struct has_set_##cpp : std::false_type {};                                 \
  template <class T>                                                         \
  struct has_set_##cpp<T, std::void_t<decltype(std::declval<T&>().set_##cpp( \
                              std::declval<ValueType<FieldType::kind>>()))>> : std::true_type {};
#include "roserocket/model/catalog.def"
#define RR_COMMON(cpp, wire, kind, access, description)                      \
  template <class T, class = void>                                           \
  struct has_set_##cpp : std::false_type {};                                 \
  template <class T>                                                         \
  struct has_set_##cpp<T, std::void_t<decltype(std::declval<T&>().set_##cpp( \
                              std::declval<ValueType<FieldType::kind>>()))>> : std::true_type {};
#include "roserocket/model/catalog.def"

template <class V>
V sample();
template <>
std::string sample<std::string>() {
  return "sample";
}
template <>
std::int64_t sample<std::int64_t>() {
  return 7;
}
template <>
double sample<double>() {
  return 1.5;
}
template <>
bool sample<bool>() {
  return true;
}
template <>
Money sample<Money>() {
  return Money{100, "USD"};
}
template <>
DateTimeValue sample<DateTimeValue>() {
  return DateTimeValue::at("2024-05-01T09:00:00");
}
template <>
TimeOfDay sample<TimeOfDay>() {
  return TimeOfDay::of(9, 0);
}
template <>
Json sample<Json>() {
  return Json::object();
}

const FieldSpec& spec_of(std::string_view key, std::string_view wire) {
  const FieldSpec* f = find_object(key)->find(wire);
  if (f == nullptr)
    throw std::runtime_error("not in the runtime catalog: " + std::string(wire));
  return *f;
}

}  // namespace

TEST(TypedLayer, AgreesWithTheRuntimeCatalog) {
  std::set<std::string> typed_objects;
  // One block per object: every typed accessor reads and writes the wire name the runtime
  // catalog holds, with the type, access and target it says; counts match.
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) \
  {                                                                           \
    using T = Type;                                                           \
    namespace detect = detect_##Type;                                         \
    const ObjectSpec* spec = find_object(T::kObjectKey);                      \
    ASSERT_NE(spec, nullptr) << #Type;                                        \
    EXPECT_EQ(spec->type_name, #Type);                                        \
    EXPECT_EQ(spec->full_id_prefix, prefix);                                  \
    typed_objects.insert(std::string(T::kObjectKey));                         \
    std::size_t seen = 0;
#define RR_OBJECT_END()                              \
  EXPECT_EQ(seen, spec->fields.size()) << spec->key; \
  }
#define RR_FIELD(cpp, wire, kind, provenance, description)                  \
  {                                                                         \
    ++seen;                                                                 \
    const FieldSpec& f = spec_of(T::kObjectKey, #wire);                     \
    EXPECT_EQ(f.cpp_name, #cpp);                                            \
    EXPECT_EQ(f.type, FieldType::kind) << #wire;                            \
    EXPECT_FALSE(f.read_only()) << #wire;                                   \
    T record;                                                               \
    record.set_##cpp(sample<ValueType<FieldType::kind>>());                 \
    EXPECT_EQ(record.changed_fields(), std::vector<std::string>{#wire});    \
    EXPECT_EQ(record.cpp(), sample<ValueType<FieldType::kind>>()) << #wire; \
  }
#define RR_ENUM_FIELD(cpp, wire, EnumType, provenance, description) \
  {                                                                 \
    ++seen;                                                         \
    const FieldSpec& f = spec_of(T::kObjectKey, #wire);             \
    EXPECT_EQ(f.type, FieldType::kEnum);                            \
    EXPECT_EQ(f.enum_type, EnumType::kEnumName);                    \
    EXPECT_EQ(f.enum_values, *enum_values(EnumType::kEnumName));    \
    ASSERT_FALSE(f.enum_values.empty()) << #wire;                   \
    T record;                                                       \
    record.set_##cpp(EnumType(f.enum_values.front()));              \
    EXPECT_EQ(record.get(#wire), f.enum_values.front());            \
    EXPECT_TRUE(record.cpp()->is_known());                          \
  }
#define RR_DERIVED(cpp, wire, kind, from, provenance, description)                           \
  {                                                                                          \
    ++seen;                                                                                  \
    const FieldSpec& f = spec_of(T::kObjectKey, #wire);                                      \
    EXPECT_EQ(f.access, Access::kDerived) << #wire;                                          \
    EXPECT_EQ(f.type, FieldType::kind) << #wire;                                             \
    static_assert(!detect::has_set_##cpp<T>::value, "a read-only field has a typed setter"); \
    static_assert(std::is_same_v<decltype(std::declval<T>().cpp()),                          \
                                 std::optional<ValueType<FieldType::kind>>>);                \
    T record;                                                                                \
    EXPECT_THROW(record.set(#wire, sample<ValueType<FieldType::kind>>()),                    \
                 roserocket::ReadOnlyFieldError);                                            \
  }
#define RR_ONE(cpp, wire, Target, provenance, description)                                   \
  {                                                                                          \
    ++seen;                                                                                  \
    const FieldSpec& f = spec_of(T::kObjectKey, #wire);                                      \
    EXPECT_EQ(f.type, FieldType::kConnection);                                               \
    EXPECT_EQ(f.target, Target::kObjectKey);                                                 \
    EXPECT_EQ(T::cpp##_path.name, #wire);                                                    \
    static_assert(std::is_same_v<decltype(std::declval<T>().cpp()), std::optional<Target>>); \
    T record;                                                                                \
    record.set_##cpp(Ref{"x"});                                                              \
    EXPECT_EQ(record.cpp()->id(), "x");                                                      \
  }
#define RR_MANY(cpp, wire, Target, provenance, description)                                \
  {                                                                                        \
    ++seen;                                                                                \
    const FieldSpec& f = spec_of(T::kObjectKey, #wire);                                    \
    EXPECT_EQ(f.type, FieldType::kConnectionList);                                         \
    EXPECT_EQ(f.target, Target::kObjectKey);                                               \
    EXPECT_EQ(T::cpp##_path.name, #wire);                                                  \
    static_assert(std::is_same_v<decltype(std::declval<T>().cpp()), std::vector<Target>>); \
    static_assert(std::is_same_v<decltype(std::declval<const T&>().cpp()),                 \
                                 ListView<typename Target::View>>);                        \
    T record;                                                                              \
    record.set_##cpp(std::vector<Target>{Target{}});                                       \
    EXPECT_EQ(record.get(#wire), (Json::array({Target{}.write_json()})));                  \
    EXPECT_EQ(record.cpp().size(), 1u);                                                    \
  }
#include "roserocket/model/catalog.def"

  std::set<std::string> runtime_objects;
  for (const auto& o : objects())
    runtime_objects.insert(o.key);
  EXPECT_EQ(typed_objects, runtime_objects);
}

TEST(TypedLayer, CommonAccessorsAgreeWithTheRuntimeCatalog) {
  std::size_t seen = 0;
#define RR_COMMON(cpp, wire, kind, rule, description)                                   \
  {                                                                                     \
    ++seen;                                                                             \
    const FieldSpec& f = common_fields().at(seen - 1);                                  \
    EXPECT_EQ(f.name, #wire);                                                           \
    EXPECT_EQ(f.type, FieldType::kind);                                                 \
    EXPECT_EQ(f.access, Access::rule);                                                  \
    static_assert(has_set_##cpp<Record>::value == (Access::rule == Access::kWritable)); \
    auto r = Record::from_json({{#wire, sample<ValueType<FieldType::kind>>()}});        \
    EXPECT_EQ(r.cpp(), sample<ValueType<FieldType::kind>>());                           \
  }
#include "roserocket/model/catalog.def"
  EXPECT_EQ(seen, common_fields().size());
}

TEST(TypedLayer, EnumConstantsAgreeWithTheRuntimeCatalog) {
  std::size_t enums_seen = 0;
#define RR_ENUM_BEGIN(EnumType)                     \
  {                                                 \
    using E = EnumType;                             \
    ++enums_seen;                                   \
    const auto* values = enum_values(E::kEnumName); \
    ASSERT_NE(values, nullptr) << #EnumType;        \
    std::size_t seen = 0;
#define RR_ENUM_VALUE(constant, wire_value)       \
  ASSERT_LT(seen, values->size());                \
  EXPECT_EQ(E::constant.value, values->at(seen)); \
  EXPECT_EQ(E::constant.value, wire_value);       \
  EXPECT_TRUE(E(E::constant).is_known());         \
  ++seen;
#define RR_ENUM_END()              \
  EXPECT_EQ(seen, values->size()); \
  }
#include "roserocket/model/catalog.def"
  EXPECT_EQ(enums_seen, enums().size());
}

TEST(TypedLayer, FacadesAgreeWithTheRuntimeCatalog) {
  rr_test::MockClient m;
  std::size_t facades = 0;
#define RR_FACADE(Type, Facade, method)                                     \
  {                                                                         \
    ++facades;                                                              \
    static_assert(std::is_same_v<decltype(m.client.method()), rr::Facade>); \
    const ObjectSpec* spec = find_object(Type::kObjectKey);                 \
    EXPECT_EQ(spec->facade, #Facade);                                       \
    EXPECT_EQ(spec->client_method, #method);                                \
    EXPECT_EQ(m.client.method().object_key(), Type::kObjectKey);            \
  }
#include "roserocket/model/catalog.def"
  std::size_t runtime = 0;
  for (const auto& o : objects())
    runtime += o.facade.empty() ? 0 : 1;
  EXPECT_EQ(facades, runtime);
  // Fifteen in the docs' list (webhooks being two objects), and issue 24's stop, document,
  // payStub, taxRate, taxRateComponent, taxRule and glAccount.
  EXPECT_EQ(facades, 23u);
}
