// Prints Markdown generated from the field catalog, for the docs:
//   catalog_docs             the read-only fields table (docs/read-only-fields.md)
//   catalog_docs --fields    every object's fields (docs/object-model.md)
// The unit test CatalogDocs.* checks that the committed docs equal this output.
//
//   catalog_docs --doxygen FILE
// writes a header for the API reference only (never compiled): it declares the members the
// catalog's X-macros generate (typed records and enums, the common fields of Record and
// TypedRecord, the facades of Client), each with its catalog description as documentation.
// Doxygen cannot see macro expansions nor take comments from them; this file stands in for them
// (see docs/adr/0004-test-support-and-reference.md).

#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "roserocket/model/catalog.hpp"
#include "roserocket/model/values.hpp"

namespace {

namespace model = roserocket::model;
using model::FieldType;

// The spelling of each value type in the reference.
template <class T>
const char* spelled();
template <>
const char* spelled<std::string>() {
  return "std::string";
}
template <>
const char* spelled<std::int64_t>() {
  return "std::int64_t";
}
template <>
const char* spelled<double>() {
  return "double";
}
template <>
const char* spelled<bool>() {
  return "bool";
}
template <>
const char* spelled<model::Money>() {
  return "Money";
}
template <>
const char* spelled<model::DateTimeValue>() {
  return "DateTimeValue";
}
template <>
const char* spelled<model::TimeOfDay>() {
  return "TimeOfDay";
}
template <>
const char* spelled<model::Json>() {
  return "Json";
}

template <FieldType F>
std::string value_type() {
  return spelled<model::ValueType<F>>();
}

// A catalog description as a sentence: capitalised, with a full stop.
std::string sentence(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  if (!text.empty() && text.back() != '.')
    text += '.';
  return text;
}

void getter(std::ostream& out, const std::string& returns, const std::string& cpp,
            const std::string& wire, const std::string& description, const char* extra) {
  out << "  /// @brief `" << wire << "`: " << sentence(description) << extra << "\n"
      << "  /// @return the value, or nothing when the field is absent or null.\n"
      << "  /// @throw MalformedResponseError when the value does not have this type.\n"
      << "  [[nodiscard]] std::optional<" << returns << "> " << cpp << "() const;\n";
}

void setter(std::ostream& out, const std::string& self, const std::string& param,
            const std::string& cpp, const std::string& wire, const std::string& description) {
  out << "  /// @brief Sets `" << wire << "`: " << sentence(description) << "\n"
      << "  /// @param value the new value, marked changed (sent by the next write).\n"
      << "  /// @return this record, for chaining.\n"
      << "  " << self << "& set_" << cpp << "(" << param << " value);\n";
}

void connections(std::ostream& out, const std::string& self, bool many, const std::string& target,
                 const std::string& cpp, const std::string& wire, const std::string& description) {
  const std::string what = many ? "`" + target + "` records" : "a `" + target + "` record";
  out << "  /// @brief `" << wire << "`, " << what << ": " << sentence(description) << "\n"
      << "  /// @return "
      << (many ? "the connected records (ids only unless read with this path); empty when absent"
               : "the connected record (its id only unless read with this path), or nothing "
                 "when absent")
      << ".\n"
      << "  /// @throw MalformedResponseError when the value is not a connection.\n"
      << "  template <class T = " << target << ">\n"
      << "  [[nodiscard]] " << (many ? "std::vector<T> " : "std::optional<T> ") << cpp
      << "() const;\n";
  if (many) {
    out << "  /// @brief Links `" << wire << "` to existing `" << target << "` records.\n"
        << "  /// @param refs references to records that exist.\n";
  } else {
    out << "  /// @brief Links `" << wire << "` to an existing `" << target << "` record.\n"
        << "  /// @param ref a reference to a record that exists.\n";
  }
  out << "  /// @return this record, for chaining.\n"
      << "  " << self << "& set_" << cpp << "("
      << (many ? "const std::vector<Ref>& refs" : "const Ref& ref") << ");\n";
  if (many) {
    out << "  /// @brief Sets `" << wire << "` to `" << target
        << "` records: those with an id are linked, the others created with this record.\n"
        << "  /// @param records the connected records.\n";
  } else {
    out << "  /// @brief Sets `" << wire << "` to a `" << target
        << "` record: linked when it has an id, otherwise created with this record.\n"
        << "  /// @param record the connected record.\n";
  }
  out << "  /// @return this record, for chaining.\n"
      << "  template <class T = " << target << ">\n"
      << "  " << self << "& set_" << cpp << "("
      << (many ? "const std::vector<typename TypeIdentity<T>::type>& records"
               : "const typename TypeIdentity<T>::type& record")
      << ");\n"
      << "  /// @brief `" << wire << "` as a typed `paths` entry, e.g. `get(id, {" << self
      << "::" << cpp << "_path})`.\n"
      << "  static constexpr Connection<" << self << ", " << target << "> " << cpp << "_path{\""
      << wire << "\"};\n";
}

std::string reference_header() {
  std::ostringstream out;
  out << "// Generated by `catalog_docs --doxygen` from roserocket/model/catalog.def. For the API\n"
         "// reference only, never compiled: it declares what the catalog's X-macros generate,\n"
         "// with each catalog description as documentation.\n\n"
         "namespace roserocket::model {\n\n";

  // The common fields' accessors on Record (setters return Record&) and TypedRecord (Self&).
  out << "class Record {\n public:\n";
#define RR_COMMON(cpp, wire, type, access, description)                         \
  getter(out, value_type<FieldType::type>(), #cpp, #wire, description,          \
         Access::access == Access::kWritable ? "" : " Written by the server."); \
  if (Access::access == Access::kWritable)                                      \
    setter(out, "Record", value_type<FieldType::type>(), #cpp, #wire, description);
  using model::Access;
#include "roserocket/model/catalog.def"
  out << "};\n\n";
  out << "template <class Self>\nclass TypedRecord : public Record {\n public:\n";
#define RR_COMMON(cpp, wire, type, access, description) \
  if (Access::access == Access::kWritable)              \
    setter(out, "Self", value_type<FieldType::type>(), #cpp, #wire, description);
#include "roserocket/model/catalog.def"
  out << "};\n\n";

  // The typed enums.
  std::string self;
#define RR_ENUM_BEGIN(EnumType)                                                                  \
  self = #EnumType;                                                                              \
  out << "/// @class " #EnumType                                                                 \
         " roserocket/model/records.hpp \"roserocket/model/records.hpp\"\n"                      \
      << "/// @brief The documented values of `" #EnumType "`; any other value is kept as is.\n" \
      << "class " #EnumType " : public OpenEnum<" #EnumType "> {\n public:\n"                    \
      << "  /// @brief The enum's name in the catalog.\n"                                        \
      << "  static constexpr std::string_view kEnumName = \"" #EnumType "\";\n"                  \
      << "  /// @brief The constructors of `OpenEnum`.\n"                                        \
      << "  using OpenEnum<" #EnumType ">::OpenEnum;\n";
#define RR_ENUM_VALUE(constant, value)                        \
  out << "  /// @brief The wire value \"" << value << "\".\n" \
      << "  static constexpr EnumConstant<" << self << "> " #constant "{\"" << value << "\"};\n";
#define RR_ENUM_END() out << "};\n\n";
#include "roserocket/model/catalog.def"

  // The typed records.
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display)                   \
  self = #Type;                                                                                 \
  out << "/// @class " #Type " roserocket/model/records.hpp \"roserocket/model/records.hpp\"\n" \
      << "/// @brief A " << display << " record (object key `" #object_key "`, full ids `"      \
      << prefix << "-<n>`), with typed accessors generated from the catalog.\n"                 \
      << "///\n/// Thread safety: as `Record`.\n"                                               \
      << "class " #Type " : public TypedRecord<" #Type "> {\n public:\n"                        \
      << "  /// @brief This record type itself.\n  using Self = " #Type ";\n"                   \
      << "  /// @brief The object key, \"" #object_key "\".\n"                                  \
      << "  static constexpr std::string_view kObjectKey = \"" #object_key "\";\n"              \
      << "  /// @brief The object's name for people, \"" << display << "\".\n"                  \
      << "  static constexpr std::string_view kDisplayName = \"" << display << "\";\n"          \
      << "  /// @brief The constructors of `TypedRecord`.\n"                                    \
      << "  using TypedRecord<" #Type ">::TypedRecord;\n";
#define RR_OBJECT_END() out << "};\n\n";
#define RR_FIELD(cpp, wire, type, provenance, description)                  \
  getter(out, value_type<FieldType::type>(), #cpp, #wire, description, ""); \
  setter(out, self, value_type<FieldType::type>(), #cpp, #wire, description);
#define RR_ENUM_FIELD(cpp, wire, EnumType, provenance, description) \
  getter(out, #EnumType, #cpp, #wire, description, "");             \
  setter(out, self, "const " #EnumType "&", #cpp, #wire, description);
#define RR_DERIVED(cpp, wire, type, from, provenance, description)     \
  getter(out, value_type<FieldType::type>(), #cpp, #wire, description, \
         std::string(" Derived by the server from `" from "`; read-only.").c_str());
#define RR_ONE(cpp, wire, Target, provenance, description) \
  connections(out, self, false, #Target, #cpp, #wire, description);
#define RR_MANY(cpp, wire, Target, provenance, description) \
  connections(out, self, true, #Target, #cpp, #wire, description);
#include "roserocket/model/catalog.def"
  out << "}  // namespace roserocket::model\n\nnamespace roserocket {\n\n";

  // The facades: aliases and Client's accessors.
#define RR_FACADE(Type, Facade, method)                                                \
  out << "/// @brief The typed facade of `model::" #Type "` records (`client." #method \
         "()`).\nusing " #Facade " = Resource<model::" #Type ">;\n\n";
#include "roserocket/model/catalog.def"
  out << "class Client {\n public:\n";
#define RR_FACADE(Type, Facade, method)                          \
  out << "  /// @brief The typed facade of `model::" #Type       \
         "` records (include\n"                                  \
         "  /// roserocket/resources/resource.hpp to use it).\n" \
         "  /// @return a `" #Facade                             \
         "` over this client; cheap, thread-safe as `Client`.\n" \
         "  [[nodiscard]] " #Facade " " #method "() const;\n";
#include "roserocket/model/catalog.def"
  out << "};\n\n}  // namespace roserocket\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "--read-only";
  if (mode == "--read-only") {
    std::cout << model::read_only_fields_markdown();
  } else if (mode == "--fields") {
    std::cout << model::fields_markdown();
  } else if (mode == "--doxygen" && argc == 3) {
    std::ofstream file(argv[2], std::ios::binary | std::ios::trunc);
    file << reference_header();
    if (!file.flush()) {
      std::cerr << "catalog_docs: cannot write " << argv[2] << "\n";
      return 1;
    }
  } else {
    std::cerr << "usage: catalog_docs [--read-only | --fields | --doxygen FILE]\n";
    return 2;
  }
  return 0;
}
