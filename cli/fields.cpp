// How rr reads and writes field values as text (CSV cells, --set values) by the field catalog's
// types: text stays text, numbers, booleans, dates and money are parsed only where the field
// has that type. See docs/cli.md ("Cells and values").

#include <cctype>
#include <cstdint>

#include "cli.hpp"
#include "fields.hpp"
#include "roserocket/model/values.hpp"

namespace rr_cli {
namespace {

using roserocket::model::FieldSpec;
using roserocket::model::FieldType;

bool text_type(FieldType type) {
  return type == FieldType::kString || type == FieldType::kEnum || type == FieldType::kUuid ||
         type == FieldType::kDate || type == FieldType::kTimestamp;
}

// Two digits at @p at of @p text, or -1.
int two_digits(const std::string& text, std::size_t at) {
  if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
      !std::isdigit(static_cast<unsigned char>(text[at + 1])))
    return -1;
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

// "YYYY-MM-DD" at the start of @p text.
bool starts_with_date(const std::string& text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-')
    return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      return false;
  }
  const int month = two_digits(text, 5);
  const int day = two_digits(text, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Json parse(const std::string& text) {
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// Whether @p value can be read as a T by the SDK's value types.
template <class T>
bool reads_as(const Json& value) {
  try {
    (void)value.get<T>();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool whole_number(const Json& value) {
  try {
    (void)roserocket::model::integer_from_json<std::int64_t>(value);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool time_of_day(const Json& value) {
  return value.is_number_integer() && reads_as<roserocket::model::TimeOfDay>(value);
}

}  // namespace

std::string shown(const std::string& text) {
  constexpr std::size_t kMax = 40;
  const bool cut = text.size() > kMax;
  return Json(cut ? text.substr(0, kMax) : text)
             .dump(-1, ' ', false, Json::error_handler_t::replace) +
         (cut ? "..." : "");
}

std::string expected_type(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
      return "a whole number";
    case FieldType::kNumber:
      return "a number";
    case FieldType::kBoolean:
      return "true or false";
    case FieldType::kDate:
      return "a date YYYY-MM-DD";
    case FieldType::kTimestamp:
      return "a timestamp YYYY-MM-DDTHH:MM:SS...";
    case FieldType::kTimeOfDay:
      return "a time of day (HH:MM, or seconds from midnight 0 to 86400)";
    case FieldType::kMoney:
      return "money as {\"amount\": <minor units>, \"currencyCode\": \"USD\"}";
    case FieldType::kDateTime:
      return "a local date-time YYYY-MM-DDTHH:MM:SS or {\"dateTimeInLocation\": ...}";
    case FieldType::kConnection:
      return "a record id or a JSON object such as {\"id\": ...}";
    case FieldType::kConnectionList:
      return "a JSON array of objects such as [{\"id\": ...}]";
    case FieldType::kJson:
      return "JSON";
    case FieldType::kString:
    case FieldType::kEnum:
    case FieldType::kUuid:
      break;
  }
  return "text";
}

bool value_fits(FieldType type, const Json& value) {
  if (value.is_null())
    return true;  // clearing a field is a value of every type
  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum:
    case FieldType::kUuid:
      return value.is_string();
    case FieldType::kDate:
      return value.is_string() && value.get_ref<const std::string&>().size() == 10 &&
             starts_with_date(value.get_ref<const std::string&>());
    case FieldType::kTimestamp:
      return value.is_string() && starts_with_date(value.get_ref<const std::string&>());
    case FieldType::kInteger:
      return whole_number(value);
    case FieldType::kNumber:
      return value.is_number();
    case FieldType::kBoolean:
      return value.is_boolean();
    case FieldType::kTimeOfDay:
      return time_of_day(value);
    case FieldType::kMoney:
      return reads_as<roserocket::model::Money>(value);
    case FieldType::kDateTime:
      return reads_as<roserocket::model::DateTimeValue>(value);
    case FieldType::kConnection:
      return value.is_object();
    case FieldType::kConnectionList:
      if (!value.is_array())
        return false;
      for (const auto& item : value) {
        if (!item.is_object())
          return false;
      }
      return true;
    case FieldType::kJson:
      return true;
  }
  return false;
}

Json read_value(const FieldSpec* spec, const std::string& text, bool json_untyped) {
  if (spec == nullptr)
    return json_untyped ? json_or_string(text) : Json(text);
  const FieldType type = spec->type;
  if (text_type(type)) {
    // Text is text, whatever it looks like ("02134", "true", "null"); dates are checked.
    Json value(text);
    if (!value_fits(type, value))
      throw ValueError("expected " + expected_type(type) + ", got " + shown(text));
    return value;
  }
  Json value;
  if (type == FieldType::kBoolean) {
    std::string lower;
    for (const char c : text)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "true" || lower == "false")
      value = lower == "true";  // spreadsheets write TRUE and FALSE
  } else if (type == FieldType::kTimeOfDay && text.find(':') != std::string::npos) {
    try {
      value = roserocket::model::TimeOfDay::parse(text).seconds();
    } catch (const std::exception&) {
      value = Json();
    }
  } else if (type == FieldType::kDateTime && roserocket::model::is_local_date_time(text)) {
    value = Json{{"dateTimeInLocation", text}};
  } else {
    value = parse(text);
    if (value.is_discarded())
      value = Json();
    // A connection may be named by its id alone (a bare word, not JSON).
    if (type == FieldType::kConnection && !value.is_object() && !text.empty() &&
        text.find_first_of(" \t\r\n{}[]\",") == std::string::npos)
      value = Json{{"id", text}};
  }
  if (value.is_null() || !value_fits(type, value))
    throw ValueError("expected " + expected_type(type) + ", got " + shown(text));
  if (type == FieldType::kInteger || type == FieldType::kTimeOfDay)
    return roserocket::model::integer_from_json<std::int64_t>(value);  // 12.0 is sent as 12
  return value;
}

std::string cell_of(const FieldSpec* spec, const Json& value, const std::string& null_token) {
  if (value.is_null())
    return null_token;
  if (spec == nullptr)
    return to_cell(value);
  if (value.is_string() && text_type(spec->type))
    return value.get<std::string>();  // as it is: the field's type says it is text
  return value.dump();
}

FieldKnowledge field_knowledge(const std::string& object_key, const std::string& field,
                               const FieldSpec** spec) {
  *spec = roserocket::model::find_field(object_key, field);
  if (*spec != nullptr)
    return FieldKnowledge::kTyped;
  if (roserocket::model::is_custom(field))
    return FieldKnowledge::kCustom;
  const auto* object = roserocket::model::find_object(object_key);
  if (object == nullptr || object->fields.empty())
    return FieldKnowledge::kUntypedObject;
  return FieldKnowledge::kUnknown;
}

std::string unknown_field_message(const std::string& object_key, const std::string& field) {
  std::string message =
      "\"" + field + "\" is not a field of " + object_key + " in the field catalog";
  if (const auto* object = roserocket::model::find_object(object_key)) {
    for (const auto& spec : object->fields) {
      for (const auto& alias : spec.aliases) {
        if (alias == field)
          return message + " (the catalog writes it " + spec.name + ")";
      }
    }
  }
  return message;
}

}  // namespace rr_cli
