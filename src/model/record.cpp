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
  return it == json_.end() ? nullptr : &*it;
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
  const auto key = this->key();
  throw MalformedResponseError("field '" + std::string(field) + "' of " +
                                   (key.empty() ? std::string("a record") : key) +
                                   " has an unexpected value: " + why,
                               {});
}

}  // namespace roserocket::model
