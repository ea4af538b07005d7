#include "derived.hpp"

#include <cctype>
#include <cstdio>
#include <optional>

#include "roserocket/model/catalog.hpp"

namespace rr_emulator::detail {
namespace model = roserocket::model;

namespace {

const model::FieldSpec* own_field(const std::string& object_key, const std::string& name) {
  return model::find_field(object_key, name);
}

// Money derived from a connection list: the sum of the linked records' `amount`s.
std::optional<Json> sum_of_linked_amounts(const Record& record, const State& state,
                                          const std::string& connection) {
  std::int64_t total = 0;
  std::string currency;
  auto it = record.links.find(connection);
  if (it != record.links.end()) {
    for (const auto& id : it->second) {
      auto found = state.records.find(id);
      if (found == state.records.end())
        continue;
      const Json& amount =
          found->second.fields.contains("amount") ? found->second.fields["amount"] : Json(nullptr);
      if (!amount.is_object())
        continue;
      if (amount.contains("amount") && amount["amount"].is_number()) {
        total += amount["amount"].get<std::int64_t>();
      }
      if (currency.empty() && amount.contains("currencyCode") &&
          amount["currencyCode"].is_string()) {
        currency = amount["currencyCode"].get<std::string>();
      }
    }
  }
  if (currency.empty() && record.fields.contains("currency") &&
      record.fields["currency"].is_string()) {
    currency = record.fields["currency"].get<std::string>();
    for (auto& c : currency)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (currency.empty())
    currency = "USD";
  return Json{{"amount", total}, {"currencyCode", currency}};
}

std::string clock_text(std::int64_t seconds) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>((seconds / 3600) % 24),
                static_cast<int>((seconds / 60) % 60));
  return buf;
}

std::string day_name(const std::string& field) {
  static const std::pair<const char*, const char*> kDays[] = {
      {"Mon", "Monday"}, {"Tue", "Tuesday"},  {"Wed", "Wednesday"}, {"Thu", "Thursday"},
      {"Fri", "Friday"}, {"Sat", "Saturday"}, {"Sun", "Sunday"}};
  for (const auto& [abbrev, name] : kDays) {
    if (field.find(abbrev) != std::string::npos)
      return name;
  }
  return field;
}

// "Monday - 09:00-17:00, Tuesday - ...": the fields come in (start, end) pairs per day; a day
// appears only when both ends are set.
std::optional<Json> business_hours(const Record& record, const std::vector<std::string>& from) {
  std::string out;
  for (std::size_t i = 0; i + 1 < from.size(); i += 2) {
    const Json& start = record.fields.contains(from[i]) ? record.fields[from[i]] : Json(nullptr);
    const Json& end =
        record.fields.contains(from[i + 1]) ? record.fields[from[i + 1]] : Json(nullptr);
    if (!start.is_number() || !end.is_number())
      continue;
    if (!out.empty())
      out += ", ";
    out += day_name(from[i]) + " - " + clock_text(start.get<std::int64_t>()) + "-" +
           clock_text(end.get<std::int64_t>());
  }
  if (out.empty())
    return std::nullopt;
  return Json(out);
}

// A label from one boolean ("Enabled"/"Disabled").
std::optional<Json> boolean_label(const Record& record, const std::string& flag) {
  if (!record.fields.contains(flag) || !record.fields[flag].is_boolean())
    return std::nullopt;
  return Json(record.fields[flag].get<bool>() ? "Enabled" : "Disabled");
}

// A display name from several text fields, joined with ", " (address `name`), or with a space
// for a person's name (contact `name` from firstName and lastName).
std::optional<Json> joined_text(const Record& record, const std::vector<std::string>& from) {
  const std::string separator = from.front() == "firstName" ? " " : ", ";
  std::string out;
  for (const auto& name : from) {
    if (!record.fields.contains(name) || !record.fields[name].is_string())
      continue;
    const auto& part = record.fields[name].get_ref<const std::string&>();
    if (part.empty())
      continue;
    if (!out.empty())
      out += separator;
    out += part;
  }
  if (out.empty())
    return std::nullopt;
  return Json(out);
}

std::optional<Json> derive(const Record& record, const State& state,
                           const model::FieldSpec& field) {
  if (field.derived_from.empty())
    return std::nullopt;
  const model::FieldSpec* first = own_field(record.object_key, field.derived_from.front());
  if (first == nullptr)
    return std::nullopt;
  if (field.type == model::FieldType::kMoney && first->type == model::FieldType::kConnectionList) {
    return sum_of_linked_amounts(record, state, first->name);
  }
  // A float total (bill billTotal): the same sum in major units. The emulator's reading: line
  // amounts are minor units of a two-decimal currency.
  if (field.type == model::FieldType::kNumber && first->type == model::FieldType::kConnectionList) {
    auto money = sum_of_linked_amounts(record, state, first->name);
    return Json(static_cast<double>((*money)["amount"].get<std::int64_t>()) / 100.0);
  }
  if (field.type != model::FieldType::kString)
    return std::nullopt;
  if (first->type == model::FieldType::kTimeOfDay)
    return business_hours(record, field.derived_from);
  if (first->type == model::FieldType::kBoolean && field.derived_from.size() == 1) {
    return boolean_label(record, first->name);
  }
  return joined_text(record, field.derived_from);
}

}  // namespace

void add_derived(const Record& record, const State& state, Json& out) {
  const model::ObjectSpec* spec = model::find_object(record.object_key);
  if (spec == nullptr)
    return;
  for (const auto& field : spec->fields) {
    if (field.access != model::Access::kDerived)
      continue;
    if (auto value = derive(record, state, field))
      out[field.name] = *value;
  }
}

}  // namespace rr_emulator::detail
