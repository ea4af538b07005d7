#include "roserocket/model/record.hpp"

#include <algorithm>

namespace roserocket::model {

Record::Record(std::string_view object_key) {
  if (!object_key.empty())
    json_["objectKey"] = object_key;
}

Record Record::from_json(Json json) {
  if (!json.is_object()) {
    throw InvalidArgumentError(std::string("a record must be a JSON object, not ") +
                               json.type_name());
  }
  Record out;
  out.json_ = std::move(json);
  return out;
}

std::string Record::key() const {
  const auto it = json_.find("objectKey");
  return it != json_.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json* Record::find(std::string_view field) const {
  const auto it = json_.find(field);
  if (it != json_.end())
    return &*it;
  // A documented spelling variant (busHoursTues* for busHoursTue*): looked up on a miss only.
  return detail::find_field_value(json_, key(), field);
}

bool Record::has(std::string_view field) const {
  return find(field) != nullptr;
}

Json Record::get(std::string_view field) const {
  const Json* value = find(field);
  return value == nullptr ? Json() : *value;
}

Record& Record::set(std::string_view field, Json value) {
  if (field.empty())
    throw InvalidArgumentError("a field name must not be empty");
  const std::string key = this->key();
  if (std::string reason = read_only_reason(key, field); !reason.empty()) {
    throw ReadOnlyFieldError(key, std::string(field), std::move(reason));
  }
  json_[std::string(field)] = std::move(value);
  if (!is_changed(field))
    changed_.emplace_back(field);
  return *this;
}

Record& Record::set_refs(std::string_view field, const std::vector<Ref>& refs) {
  Json list = Json::array();
  for (const auto& r : refs)
    list.push_back(Json(r));
  return set(field, std::move(list));
}

bool Record::is_changed(std::string_view field) const {
  return std::find(changed_.begin(), changed_.end(), field) != changed_.end();
}

Json Record::changes() const {
  Json out = Json::object();
  for (const auto& f : changed_)
    out[f] = json_.at(f);
  return out;
}

Json Record::write_json() const {
  Json out = Json::object();
  if (auto id = this->id(); id && !id->empty()) {
    out["id"] = *id;
  } else if (const auto key = this->key(); !key.empty()) {
    out["objectKey"] = key;
  }
  for (const auto& f : changed_)
    out[f] = json_.at(f);
  return out;
}

void Record::throw_bad_value(std::string_view field, const std::string& why) const {
  detail::throw_bad_field_value(json_, field, why);
}

std::vector<PartError> Record::part_errors() const {
  std::vector<PartError> out;
  const auto it = json_.find("errors");
  if (it == json_.end() || !it->is_array())
    return out;
  for (const auto& entry : *it) {
    PartError e;
    e.raw = entry;
    if (entry.is_string()) {
      e.message = entry.get<std::string>();
    } else if (entry.is_object()) {
      for (const char* key : {"path", "property", "field"}) {
        const auto p = entry.find(key);
        if (p != entry.end() && p->is_string()) {
          e.path = p->get<std::string>();
          break;
        }
      }
      const auto m = entry.find("message");
      if (m != entry.end() && m->is_string()) {
        e.message = m->get<std::string>();
      } else if (m != entry.end() && m->is_array()) {
        for (const auto& part : *m) {
          if (!e.message.empty())
            e.message += "; ";
          e.message += part.is_string() ? part.get<std::string>() : part.dump();
        }
      } else {
        e.message = entry.dump();
      }
    } else {
      e.message = entry.dump();
    }
    out.push_back(std::move(e));
  }
  return out;
}

namespace detail {

void throw_bad_field_value(const Json& record, std::string_view field, const std::string& why) {
  std::string key;
  if (record.is_object()) {
    const auto it = record.find("objectKey");
    if (it != record.end() && it->is_string())
      key = it->get<std::string>();
  }
  throw MalformedResponseError("field '" + std::string(field) + "' of " +
                                   (key.empty() ? std::string("a record") : key) +
                                   " has an unexpected value: " + why,
                               {});
}

std::optional<Timestamp> read_timestamp(const Json& record, std::string_view field,
                                        const Json* value) {
  if (value == nullptr || value->is_null())
    return std::nullopt;
  if (!value->is_string()) {
    throw_bad_field_value(
        record, field,
        std::string("expected an RFC 3339 timestamp (a string), got ") + value->type_name());
  }
  const auto& text = value->get_ref<const std::string&>();
  if (auto instant = parse_timestamp(text))
    return instant;
  std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  throw_bad_field_value(record, field,
                        "'" + shown +
                            "' is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS, an optional "
                            "fraction, then Z or an offset such as +02:00)");
}

// Out of line (it was inline in view.hpp): its lookup by a string literal instantiated JSON's
// `find` in every file that included the header.
bool is_stored_record(const Json& record) noexcept {
  if (record.is_string())
    return true;
  if (!record.is_object())
    return false;
  const auto it = record.find("id");
  return it != record.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

void throw_not_loaded(const Json& record, std::string_view object_key, std::string_view field) {
  std::string key(object_key);
  std::string id;
  if (record.is_string()) {
    id = record.get<std::string>();
  } else if (record.is_object()) {
    const auto k = record.find("objectKey");
    if (key.empty() && k != record.end() && k->is_string())
      key = k->get<std::string>();
    const auto i = record.find("id");
    if (i != record.end() && i->is_string())
      id = i->get<std::string>();
  }
  throw NotLoadedError(std::move(key), std::string(field), id);
}

const Json* checked_list(const Json& record, std::string_view field, const Json* value) {
  if (value == nullptr || value->is_null())
    return nullptr;
  if (!value->is_array())
    throw_bad_field_value(record, field, "expected a list of connected records");
  for (const auto& item : value->get_ref<const Json::array_t&>()) {
    if (!item.is_object() && !item.is_string())
      throw_bad_field_value(record, field, "expected connected records (objects)");
  }
  return value;
}

const Json* find_field_value(const Json& record, std::string_view object_key,
                             std::string_view field) {
  const auto it = record.find(field);
  if (it != record.end())
    return &*it;
  if (const FieldSpec* spec = find_field(object_key, field)) {
    for (const auto& alias : spec->aliases) {
      const auto other = record.find(alias);
      if (other != record.end())
        return &*other;
    }
  }
  return nullptr;
}

}  // namespace detail

}  // namespace roserocket::model
