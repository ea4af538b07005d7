#pragma once

// What a typed create of an object must carry (the catalog's RR_REQUIRED, ADR 0027), filled with
// sample values: the facade tests that create every object add it to their records.

#include <string>

#include "roserocket/model/catalog.hpp"
#include "roserocket/model/values.hpp"

namespace rr_test {

/// The required fields of @p object_key with sample values: strings "required <field>",
/// connections as nested new records (with their own required fields), lists with one such.
inline roserocket::model::Json required_fields_sample(const std::string& object_key) {
  using namespace roserocket::model;
  Json out = Json::object();
  for (const auto& rule : required_on_create(object_key)) {
    const FieldSpec* f = find_field(object_key, rule.field);
    if (f == nullptr)
      continue;
    if (f->type == FieldType::kConnection) {
      out[rule.field] = required_fields_sample(f->target);
    } else if (f->type == FieldType::kConnectionList) {
      out[rule.field] = Json::array({required_fields_sample(f->target)});
    } else {
      out[rule.field] = "required " + rule.field;
    }
  }
  return out;
}

}  // namespace rr_test
