#pragma once

/// @file
/// @brief The typed records (`Customer`, `Order`, `Task`, ...) and typed enums (`OrderStatus`,
/// `TaskType`, ...), generated from the field catalog `roserocket/model/catalog.def`.
///
/// For every catalog entry of an object the record class has:
/// - a value field `wireName` of type T: `std::optional<T> cpp_name() const` and
///   `Self& set_cpp_name(T)` (no setter when the field is read-only);
/// - an enum field: the same with the generated enum type, which also takes values the SDK does
///   not know (`OrderStatus("quoted")`);
/// - a connection to one record: `std::optional<Target> cpp_name() const`,
///   `set_cpp_name(Ref)` to link an existing record and `set_cpp_name(Target)` to create one with
///   this record, and `static constexpr Connection<Self, Target> cpp_name_path` for `paths`;
/// - a list connection: `ListView<TargetView> cpp_name() const&`, a range of views into this
///   record's JSON (no copies; it converts to `std::vector<Target>`, which copies), and
///   `std::vector<Target> cpp_name() &&` on a temporary record (moved out of it);
///   `set_cpp_name(std::vector<Ref>)`, `set_cpp_name(std::vector<Target>)` and `cpp_name_path`
///   (ADR 0024).
/// Each enum has `static constexpr EnumConstant<E> kValue` per documented value.
///
/// Beside each record `Type` there is `TypeView` (`Type::View`, from `record.view()`): the same
/// getters, no setters, over a pointer into the record's JSON. Its connection getters return
/// `std::optional<TargetView>` and `ListView<TargetView>` (a range of views), so reading a large
/// order's tasks and commodities copies nothing: `for (auto task : order.tasks())
/// for (auto c : task.commodities()) total += c.weight().value_or(0);`. The catalog's
/// description of each field is its documentation (see docs/object-model.md).
///
/// Any field, custom `__c` ones included, stays reachable with `Record::get`/`set`.
/// Thread safety: as `Record`.

#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "roserocket/model/record.hpp"
#include "roserocket/model/values.hpp"

namespace roserocket::model {

// ---- Typed enums: one class per RR_ENUM_BEGIN group.
#define RR_ENUM_BEGIN(EnumType)                              \
  class EnumType : public OpenEnum<EnumType> {               \
   public:                                                   \
    using Self = EnumType;                                   \
    static constexpr std::string_view kEnumName = #EnumType; \
    using OpenEnum<EnumType>::OpenEnum;
#define RR_ENUM_ANY_CASE() static constexpr bool kReadAnyCase = true;
#define RR_ENUM_VALUE(constant, value) static constexpr EnumConstant<Self> constant{value};
#define RR_ENUM_END() \
  }                   \
  ;
#include "roserocket/model/catalog.def"

// ---- Every record type, declared first so that connections may point forwards.
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) class Type;
#include "roserocket/model/catalog.def"

// The generated getters and setters are member templates whose one parameter defaults to the
// field's type (and must be it): their bodies are instantiated only where a program calls them.
// As plain inline functions, every translation unit that includes this header instantiated the
// JSON reads and writes of every field of every object (roserocket.hpp's cost, issue 23 item 9).
#define RR_GETTER_(cpp, wire, T)                                          \
  template <class R = T>                                                  \
  [[nodiscard]] std::optional<R> cpp() const {                            \
    static_assert(std::is_same_v<R, T>, "a field reads as its own type"); \
    return this->template get_as<R>(#wire);                               \
  }
#define RR_SETTER_(cpp, wire, T)                                       \
  template <class V = T>                                               \
  Self& set_##cpp(typename TypeIdentity<V>::type value) {              \
    static_assert(std::is_same_v<V, T>, "a field takes its own type"); \
    return this->set(#wire, Json(std::move(value)));                   \
  }

// ---- Read-only views (`OrderView`, ...): the same getters over a pointer into a record's JSON;
// connections and lists read as views, so nothing is copied. See roserocket/model/view.hpp.
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) class Type##View;
#include "roserocket/model/catalog.def"

#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) \
  class Type##View : public RecordView<Type##View> {                          \
   public:                                                                    \
    using RecordType = Type;                                                  \
    static constexpr std::string_view kObjectKey = #object_key;               \
    using RecordView<Type##View>::RecordView;
#define RR_OBJECT_END() \
  }                     \
  ;
#define RR_FIELD(cpp, wire, type, provenance, description) \
  RR_GETTER_(cpp, wire, ValueType<FieldType::type>)        \
  RR_TIME_GETTER_##type(cpp, wire)
#define RR_ENUM_FIELD(cpp, wire, EnumType, provenance, description) RR_GETTER_(cpp, wire, EnumType)
#define RR_DERIVED(cpp, wire, type, from, provenance, description) \
  RR_GETTER_(cpp, wire, ValueType<FieldType::type>)                \
  RR_TIME_GETTER_##type(cpp, wire)
#define RR_ONE(cpp, wire, Target, provenance, description) \
  template <class V = Target##View>                        \
  [[nodiscard]] std::optional<V> cpp() const {             \
    return this->template view_one<V>(#wire);              \
  }
#define RR_MANY(cpp, wire, Target, provenance, description) \
  template <class V = Target##View>                         \
  [[nodiscard]] ListView<V> cpp() const {                   \
    return this->template view_many<V>(#wire);              \
  }
#include "roserocket/model/catalog.def"

// ---- The typed records. Connection accessors are member templates whose parameter defaults
// to the target, so the target need only be complete where the accessor is used.
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) \
  class Type : public TypedRecord<Type> {                                     \
   public:                                                                    \
    using Self = Type;                                                        \
    using View = Type##View;                                                  \
    static constexpr std::string_view kObjectKey = #object_key;               \
    static constexpr std::string_view kDisplayName = display;                 \
    using TypedRecord<Type>::TypedRecord;
#define RR_OBJECT_END() \
  }                     \
  ;
#define RR_FIELD(cpp, wire, type, provenance, description) \
  RR_GETTER_(cpp, wire, ValueType<FieldType::type>)        \
  RR_TIME_GETTER_##type(cpp, wire) RR_SETTER_(cpp, wire, ValueType<FieldType::type>)
#define RR_ENUM_FIELD(cpp, wire, EnumType, provenance, description) \
  RR_GETTER_(cpp, wire, EnumType)                                   \
  RR_SETTER_(cpp, wire, EnumType)
#define RR_DERIVED(cpp, wire, type, from, provenance, description) \
  RR_GETTER_(cpp, wire, ValueType<FieldType::type>)                \
  RR_TIME_GETTER_##type(cpp, wire)
#define RR_ONE(cpp, wire, Target, provenance, description)        \
  template <class T = Target>                                     \
  [[nodiscard]] std::optional<T> cpp() const {                    \
    return this->template get_one<T>(#wire);                      \
  }                                                               \
  RR_SETTER_(cpp, wire, Ref)                                      \
  template <class T = Target>                                     \
  Self& set_##cpp(const typename TypeIdentity<T>::type& record) { \
    return this->set(#wire, record.write_json());                 \
  }                                                               \
  static constexpr Connection<Self, Target> cpp##_path{#wire};
#define RR_MANY(cpp, wire, Target, provenance, description)                     \
  template <class V = Target##View>                                             \
  [[nodiscard]] ListView<V> cpp() const& {                                      \
    return this->template view_many<V>(#wire);                                  \
  }                                                                             \
  template <class T = Target>                                                   \
  [[nodiscard]] std::vector<T> cpp()&& {                                        \
    return this->template take_many<T>(#wire);                                  \
  }                                                                             \
  template <class T = Target>                                                   \
  [[nodiscard]] std::vector<T> cpp() const&& {                                  \
    return this->template get_many<T>(#wire);                                   \
  }                                                                             \
  Self& set_##cpp(const std::vector<Ref>& refs) {                               \
    this->set_refs(#wire, refs);                                                \
    return *this;                                                               \
  }                                                                             \
  template <class T = Target>                                                   \
  Self& set_##cpp(const std::vector<typename TypeIdentity<T>::type>& records) { \
    this->set_many(#wire, records);                                             \
    return *this;                                                               \
  }                                                                             \
  static constexpr Connection<Self, Target> cpp##_path{#wire};
#include "roserocket/model/catalog.def"

#undef RR_GETTER_
#undef RR_SETTER_

}  // namespace roserocket::model
