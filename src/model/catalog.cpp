#include "roserocket/model/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace roserocket::model {
namespace {

FieldSpec make_field(const char* cpp_name, const char* name, FieldType type, Access access,
                     Provenance provenance, const char* description) {
  FieldSpec f;
  f.cpp_name = cpp_name;
  f.name = name;
  f.type = type;
  f.access = access;
  f.provenance = provenance;
  f.description = description;
  return f;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;)
    out.push_back(word);
  return out;
}

// "busHours*" in a derived field's sources stands for every field with that prefix.
std::vector<std::string> expand_sources(const std::string& from, const ObjectSpec& object) {
  std::vector<std::string> out;
  for (const auto& word : split_words(from)) {
    if (word.back() != '*') {
      out.push_back(word);
      continue;
    }
    const std::string prefix = word.substr(0, word.size() - 1);
    for (const auto& f : object.fields) {
      if (f.name.compare(0, prefix.size(), prefix) == 0)
        out.push_back(f.name);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> build_enums() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
#define RR_ENUM_BEGIN(EnumType) out.emplace_back(#EnumType, std::vector<std::string>{});
#define RR_ENUM_VALUE(constant, value) out.back().second.emplace_back(value);
#include "roserocket/model/catalog.def"
  return out;
}

std::vector<FieldSpec> build_common() {
  std::vector<FieldSpec> out;
#define RR_COMMON(cpp, wire, type, access, description)                                           \
  out.push_back(make_field(#cpp, #wire, FieldType::type, Access::access, Provenance::kDocumented, \
                           description));
#include "roserocket/model/catalog.def"
  return out;
}

std::vector<ObjectSpec> build_objects() {
  std::vector<ObjectSpec> out;
  // Derived fields' sources, resolved once the object's fields are all known.
  std::vector<std::pair<std::string, std::string>> sources;
  ObjectSpec current;
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) \
  current = ObjectSpec{};                                                     \
  current.key = #object_key;                                                  \
  current.full_id_prefix = prefix;                                            \
  current.full_id_prefix_provenance = Provenance::prefix_provenance;          \
  current.display_name = display;                                             \
  current.type_name = #Type;                                                  \
  sources.clear();
#define RR_OBJECT_END()                                                          \
  for (const auto& source : sources) {                                           \
    const std::string& field = source.first;                                     \
    auto it = std::find_if(current.fields.begin(), current.fields.end(),         \
                           [&](const FieldSpec& f) { return f.name == field; }); \
    it->derived_from = expand_sources(source.second, current);                   \
  }                                                                              \
  out.push_back(std::move(current));
#define RR_FIELD(cpp, wire, type, provenance, description)                             \
  current.fields.push_back(make_field(#cpp, #wire, FieldType::type, Access::kWritable, \
                                      Provenance::provenance, description));
#define RR_ENUM_FIELD(cpp, wire, EnumType, provenance, description)                     \
  current.fields.push_back(make_field(#cpp, #wire, FieldType::kEnum, Access::kWritable, \
                                      Provenance::provenance, description));            \
  current.fields.back().enum_type = #EnumType;
// Targets are written as C++ types; they become object keys below.
#define RR_ONE(cpp, wire, Target, provenance, description)                                    \
  current.fields.push_back(make_field(#cpp, #wire, FieldType::kConnection, Access::kWritable, \
                                      Provenance::provenance, description));                  \
  current.fields.back().target = #Target;
#define RR_MANY(cpp, wire, Target, provenance, description)                                       \
  current.fields.push_back(make_field(#cpp, #wire, FieldType::kConnectionList, Access::kWritable, \
                                      Provenance::provenance, description));                      \
  current.fields.back().target = #Target;
#define RR_DERIVED(cpp, wire, type, from, provenance, description)                    \
  current.fields.push_back(make_field(#cpp, #wire, FieldType::type, Access::kDerived, \
                                      Provenance::provenance, description));          \
  sources.emplace_back(#wire, from);
#define RR_ALIAS(wire, alias)         \
  for (auto& f : current.fields) {    \
    if (f.name == #wire)              \
      f.aliases.emplace_back(#alias); \
  }
#define RR_FACADE(Type, Facade, method) \
  for (auto& o : out) {                 \
    if (o.type_name == #Type) {         \
      o.facade = #Facade;               \
      o.client_method = #method;        \
    }                                   \
  }
#include "roserocket/model/catalog.def"

  const auto enums = build_enums();
  for (auto& object : out) {
    for (auto& f : object.fields) {
      if (f.is_connection()) {
        for (const auto& candidate : out) {
          if (candidate.type_name == f.target)
            f.target = candidate.key;
        }
      }
      if (f.type == FieldType::kEnum) {
        for (const auto& [name, values] : enums) {
          if (name == f.enum_type)
            f.enum_values = values;
        }
      }
    }
  }
  return out;
}

std::string escape_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

const FieldSpec* ObjectSpec::find(std::string_view name) const noexcept {
  for (const auto& f : fields) {
    if (f.name == name)
      return &f;
  }
  for (const auto& f : common_fields()) {
    if (f.name == name)
      return &f;
  }
  return nullptr;
}

const std::vector<FieldSpec>& common_fields() {
  static const std::vector<FieldSpec> fields = build_common();
  return fields;
}

const std::vector<ObjectSpec>& objects() {
  static const std::vector<ObjectSpec> all = build_objects();
  return all;
}

const std::vector<std::pair<std::string, std::vector<std::string>>>& enums() {
  static const auto all = build_enums();
  return all;
}

bool enum_reads_any_case(std::string_view enum_type) noexcept {
  return enum_values(enum_type) != nullptr;
}

namespace {

// The loose form of an enum spelling: ASCII letters lower-cased, spaces, '_' and '-' dropped
// ("In transit", "in_transit" and "inTransit" all become "intransit").
std::string loose_spelling(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '-')
      continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

struct LooseEnum {
  const std::vector<std::string>* values;
  std::vector<std::string> loose;
};

const std::vector<std::pair<std::string_view, LooseEnum>>& loose_enums() {
  static const auto all = [] {
    std::vector<std::pair<std::string_view, LooseEnum>> out;
    for (const auto& [name, values] : enums()) {
      LooseEnum e{&values, {}};
      for (const auto& v : values)
        e.loose.push_back(loose_spelling(v));
      out.emplace_back(name, std::move(e));
    }
    return out;
  }();
  return all;
}

}  // namespace

const std::string* canonical_enum_value(std::string_view enum_type,
                                        std::string_view value) noexcept {
  const LooseEnum* found = nullptr;
  for (const auto& [name, e] : loose_enums()) {
    if (name == enum_type) {
      found = &e;
      break;
    }
  }
  if (found == nullptr)
    return nullptr;
  for (const auto& v : *found->values) {
    if (v == value)
      return &v;
  }
  try {
    const std::string loose = loose_spelling(value);
    for (std::size_t i = 0; i < found->loose.size(); ++i) {
      if (found->loose[i] == loose)
        return &(*found->values)[i];
    }
  } catch (...) {
    // Out of memory for a copy of the value: it stays as it was read.
  }
  return nullptr;
}

const std::vector<RequiredOnCreate>& required_on_create(std::string_view object_key) {
  static const auto table = [] {
    std::vector<std::pair<std::string, std::vector<RequiredOnCreate>>> out;
#define RR_OBJECT_BEGIN(Type, object_key, prefix, prefix_provenance, display) \
  out.emplace_back(#object_key, std::vector<RequiredOnCreate>{});
#define RR_REQUIRED(wire, provenance, why) \
  out.back().second.push_back(RequiredOnCreate{#wire, Provenance::provenance, why});
#include "roserocket/model/catalog.def"
    return out;
  }();
  static const std::vector<RequiredOnCreate> none;
  for (const auto& [key, rules] : table) {
    if (key == object_key)
      return rules;
  }
  return none;
}

const std::vector<std::string>* enum_values(std::string_view enum_type) noexcept {
  for (const auto& [name, values] : enums()) {
    if (name == enum_type)
      return &values;
  }
  return nullptr;
}

const ObjectSpec* find_object(std::string_view object_key) noexcept {
  const auto& all = objects();
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const ObjectSpec& o) { return o.key == object_key; });
  return it == all.end() ? nullptr : &*it;
}

const FieldSpec* find_field(std::string_view object_key, std::string_view field) noexcept {
  if (const ObjectSpec* spec = find_object(object_key))
    return spec->find(field);
  for (const auto& f : common_fields()) {
    if (f.name == field)
      return &f;
  }
  return nullptr;
}

std::string read_only_reason(std::string_view object_key, std::string_view field) {
  const FieldSpec* spec = find_field(object_key, field);
  if (spec == nullptr || !spec->read_only())
    return {};
  if (spec->access == Access::kServerWritten) {
    return "written by the server (" + spec->description + ")";
  }
  if (spec->derived_from.empty())
    return "derived by the server (" + spec->description + ")";
  std::string from;
  for (const auto& f : spec->derived_from) {
    if (!from.empty())
      from += ", ";
    from += f;
  }
  if (spec->derived_from.size() > 4)
    from = spec->derived_from.front() + ", ...";
  return "derived from " + from + " (" + spec->description + ")";
}

std::string_view to_string(FieldType type) noexcept {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kNumber:
      return "number";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kMoney:
      return "money";
    case FieldType::kDateTime:
      return "date-time";
    case FieldType::kDate:
      return "date";
    case FieldType::kTimestamp:
      return "timestamp";
    case FieldType::kTimeOfDay:
      return "time of day";
    case FieldType::kUuid:
      return "uuid";
    case FieldType::kConnection:
      return "connection";
    case FieldType::kConnectionList:
      return "connection list";
    case FieldType::kJson:
      return "json";
  }
  return "json";
}

std::string read_only_fields_markdown() {
  std::string out = "| object | field | type | why it is read-only |\n| --- | --- | --- | --- |\n";
  auto row = [&](const std::string& object, const FieldSpec& f, const std::string& key) {
    out += "| " + object + " | `" + f.name + "` | " + std::string(to_string(f.type)) + " | " +
           escape_cell(read_only_reason(key, f.name)) + " |\n";
  };
  for (const auto& f : common_fields()) {
    if (f.read_only())
      row("every record", f, "");
  }
  for (const auto& o : objects()) {
    for (const auto& f : o.fields) {
      if (f.read_only())
        row("`" + o.key + "`", f, o.key);
    }
  }
  return out;
}

namespace {

std::string_view to_string(Provenance p) noexcept {
  switch (p) {
    case Provenance::kDocumented:
      return "documented";
    case Provenance::kObserved:
      return "observed";
    case Provenance::kGuessed:
      return "guessed";
    case Provenance::kSecondary:
      return "secondary";
  }
  return "guessed";
}

std::string describe_type(const FieldSpec& f) {
  std::string out(to_string(f.type));
  if (f.type == FieldType::kEnum) {
    out += " `" + f.enum_type + "`: ";
    for (std::size_t i = 0; i < f.enum_values.size(); ++i) {
      out += (i == 0 ? "`" : ", `") + f.enum_values[i] + "`";
    }
  }
  if (f.is_connection())
    out += " to `" + f.target + "`";
  return out;
}

std::string describe(const FieldSpec& f, std::string_view object_key) {
  std::string out = f.description;
  for (const auto& rule : required_on_create(object_key)) {
    if (rule.field == f.name) {
      out += "; **required on create** (" + rule.why + ", " +
             std::string(to_string(rule.provenance)) + ")";
    }
  }
  for (std::size_t i = 0; i < f.aliases.size(); ++i)
    out += (i == 0 ? "; also read as `" : ", `") + f.aliases[i] + "`";
  return out;
}

std::string describe_access(const FieldSpec& f) {
  switch (f.access) {
    case Access::kWritable:
      return "writable";
    case Access::kServerWritten:
      return "server-written";
    case Access::kDerived:
      return "derived";
  }
  return "writable";
}

}  // namespace

std::string fields_markdown() {
  std::string out;
  auto table = [&](const std::vector<FieldSpec>& fields, std::string_view object_key) {
    out += "| field | C++ accessor | type | access | source | description |\n";
    out += "| --- | --- | --- | --- | --- | --- |\n";
    for (const auto& f : fields) {
      // A timestamp also reads as an instant: `created_at_time()` beside `created_at()`.
      const std::string accessor =
          "`" + f.cpp_name + "()`" +
          (f.type == FieldType::kTimestamp ? ", `" + f.cpp_name + "_time()`" : std::string());
      out += "| `" + f.name + "` | " + accessor + " | " + escape_cell(describe_type(f)) + " | " +
             describe_access(f) + " | " + std::string(to_string(f.provenance)) + " | " +
             escape_cell(describe(f, object_key)) + " |\n";
    }
  };
  out += "### Every record\n\n";
  table(common_fields(), "");
  for (const auto& o : objects()) {
    out += "\n### " + o.display_name + " (`" + o.key + "`, `model::" + o.type_name + "`";
    if (!o.facade.empty())
      out += ", `client." + o.client_method + "()`";
    out += ")\n\n";
    out += "fullId prefix `" + o.full_id_prefix + "` (" +
           std::string(to_string(o.full_id_prefix_provenance)) + ").";
    if (o.fields.empty()) {
      out += " No fields documented beyond the common ones: use `get`/`set`.\n";
      continue;
    }
    out += "\n\n";
    table(o.fields, o.key);
  }
  return out;
}

bool is_custom(std::string_view name) noexcept {
  return name.size() > 3 && name.substr(name.size() - 3) == "__c";
}

}  // namespace roserocket::model
