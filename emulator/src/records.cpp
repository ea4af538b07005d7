#include "records.hpp"

#include <algorithm>
#include <cctype>

#include "derived.hpp"
#include "events.hpp"
#include "http_util.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/values.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace model = roserocket::model;

namespace {

// The only keys a write body may carry; NestJS's whitelist rejects anything else.
const std::vector<std::string> kEnvelopeKeys = {"id", "objectKey", "json", "paths", "boardId"};

std::string full_id_prefix(const std::string& object_key) {
  if (const auto* spec = model::find_object(object_key))
    return spec->full_id_prefix;
  // Custom objects: the key without "__c", upper-cased ("load__c" -> "LOAD").
  std::string base = object_key.substr(0, object_key.size() - 3);
  std::string out;
  for (char c : base)
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Json ids_to_json(const std::vector<std::string>& ids, bool many) {
  if (many)
    return Json(ids);
  return ids.empty() ? Json(nullptr) : Json(ids.front());
}

// A nested object's own `id` (link) and `objectKey` (must name the target) are not fields.
Json strip_ref_keys(const Json& value) {
  Json rest = value;
  rest.erase("id");
  rest.erase("objectKey");
  return rest;
}

}  // namespace

void check_object_key(const std::string& object_key) {
  if (object_key.empty())
    bad_request(std::vector<std::string>{"objectKey should not be empty"});
  if (model::find_object(object_key) == nullptr && !model::is_custom(object_key)) {
    bad_request("Unknown objectKey \"" + object_key +
                "\": not a standard object and not a custom object (ending in __c)");
  }
}

Envelope parse_envelope(const Json& body, bool object_key_required) {
  std::vector<std::string> errors;
  for (const auto& [key, value] : body.items()) {
    if (std::find(kEnvelopeKeys.begin(), kEnvelopeKeys.end(), key) == kEnvelopeKeys.end()) {
      errors.push_back("property " + key + " should not exist");
    }
  }
  Envelope env;
  if (body.contains("objectKey")) {
    if (!body["objectKey"].is_string()) {
      errors.emplace_back("objectKey must be a string");
    } else {
      env.object_key = body["objectKey"].get<std::string>();
    }
  }
  if (env.object_key.empty() && object_key_required) {
    errors.emplace_back("objectKey should not be empty");
  }
  if (body.contains("json")) {
    if (!body["json"].is_object()) {
      errors.emplace_back("json must be an object");
    } else {
      env.json = body["json"];
      env.has_json = true;
    }
  }
  if (body.contains("paths")) {
    const Json& paths = body["paths"];
    bool ok = paths.is_array() &&
              std::all_of(paths.begin(), paths.end(), [](const Json& p) { return p.is_string(); });
    if (!ok) {
      errors.emplace_back("paths must be an array of strings");
    } else {
      env.paths = paths.get<std::vector<std::string>>();
    }
  }
  if (body.contains("boardId") && !body["boardId"].is_null()) {
    if (!body["boardId"].is_string()) {
      errors.emplace_back("boardId must be a string");
    } else {
      env.board_id = body["boardId"].get<std::string>();
    }
  }
  if (body.contains("id") && !body["id"].is_null()) {
    if (!body["id"].is_string() || !is_uuid(body["id"].get<std::string>())) {
      errors.emplace_back("id must be a UUID");
    } else {
      env.id = body["id"].get<std::string>();
    }
  }
  if (!errors.empty())
    bad_request(errors);
  if (!env.object_key.empty())
    check_object_key(env.object_key);
  return env;
}

RecordStore::RecordStore(State& state, Caller caller) : state_(state), caller_(std::move(caller)) {}

Record* RecordStore::find(const std::string& id) {
  auto it = state_.records.find(id);
  return it == state_.records.end() ? nullptr : &it->second;
}

Record* RecordStore::find_external(const std::string& object_key, const std::string& external_id) {
  const auto it = state_.external_ids.find({object_key, external_id});
  // Several records may share an external id; the first by id answers, as a scan would.
  return it == state_.external_ids.end() || it->second.empty() ? nullptr
                                                               : find(*it->second.begin());
}

namespace {

const std::string* string_external_id(const Record& record) {
  const auto it = record.fields.find("externalId");
  return it != record.fields.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

}  // namespace

void index_external_id(State& state, const Record& record) {
  if (const std::string* ext = string_external_id(record))
    state.external_ids[{record.object_key, *ext}].insert(record.id);
}

void unindex_external_id(State& state, const Record& record) {
  const std::string* ext = string_external_id(record);
  if (ext == nullptr)
    return;
  const auto it = state.external_ids.find({record.object_key, *ext});
  if (it == state.external_ids.end())
    return;
  it->second.erase(record.id);
  if (it->second.empty())
    state.external_ids.erase(it);
}

void index_external_ids(State& state) {
  state.external_ids.clear();
  for (const auto& entry : state.records)
    index_external_id(state, entry.second);
}

Record& RecordStore::get_or_404(const std::string& id) {
  Record* rec = find(id);
  if (rec == nullptr)
    not_found("Record with id \"" + id + "\" not found");
  return *rec;
}

void RecordStore::validate(const std::string& object_key, const Json& json) {
  std::vector<std::string> errors;
  validate_fields(object_key, json, "json", errors);
  if (!errors.empty())
    bad_request(errors);
}

void RecordStore::validate_fields(const std::string& object_key, const Json& json,
                                  const std::string& where, std::vector<std::string>& errors) {
  if (!json.is_object()) {
    errors.push_back(where + " must be an object");
    return;
  }
  for (const auto& [key, value] : json.items()) {
    const std::string reason = model::read_only_reason(object_key, key);
    if (!reason.empty()) {
      errors.push_back(where + "." + key + " is read-only: " + reason);
      continue;
    }
    const model::FieldSpec* spec = model::find_field(object_key, key);
    if (spec != nullptr && spec->is_connection()) {
      validate_connection(spec->target, spec->type == model::FieldType::kConnectionList, value,
                          where + "." + key, errors);
    }
  }
}

void RecordStore::validate_connection(const std::string& target, bool many, const Json& value,
                                      const std::string& where, std::vector<std::string>& errors) {
  if (!many) {
    if (value.is_null())
      return;
    if (value.is_array()) {
      errors.push_back(where + " must be one object such as {\"id\": \"...\"}, not an array");
      return;
    }
    validate_ref(target, value, where, errors);
    return;
  }
  if (!value.is_array()) {
    errors.push_back(where + " must be an array of objects such as [{\"id\": \"...\"}]");
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    validate_ref(target, value[i], where + "[" + std::to_string(i) + "]", errors);
  }
}

void RecordStore::validate_ref(const std::string& target, const Json& value,
                               const std::string& where, std::vector<std::string>& errors) {
  if (value.is_string()) {
    errors.push_back(where +
                     " must be an object such as {\"id\": \"...\"}; a bare id string is "
                     "not accepted");
    return;
  }
  if (!value.is_object()) {
    errors.push_back(where + " must be an object such as {\"id\": \"...\"}");
    return;
  }
  if (value.contains("objectKey") && value["objectKey"] != target) {
    errors.push_back(where + ".objectKey must be \"" + target + "\"");
  }
  if (value.contains("id")) {
    const Json& id = value["id"];
    if (!id.is_string()) {
      errors.push_back(where + ".id must be a string");
      return;
    }
    const Record* rec = find(id.get<std::string>());
    if (rec == nullptr) {
      // Inside a record this write creates, an unknown id is a failed nested part: the write
      // goes ahead without that link and answers it in `errors` (see resolve_ref).
      if (new_depth_ == 0)
        errors.push_back(where + ".id: no " + target + " with id " + id.get<std::string>());
      return;
    }
    if (rec->object_key != target) {
      errors.push_back(where + ".id: record " + rec->id + " is a " + rec->object_key + ", not a " +
                       target);
      return;
    }
    validate_fields(target, strip_ref_keys(value), where, errors);
    return;
  }
  ++new_depth_;
  validate_fields(target, strip_ref_keys(value), where, errors);
  --new_depth_;
}

Json RecordStore::create(const std::string& object_key, const Json& json, const PathTree& paths,
                         const std::optional<std::string>& id) {
  part_errors_.clear();
  PathTree written;
  Record& rec = create_record(object_key, json, written, id, "json");
  written.merge(paths);
  return with_part_errors(render(rec, written));
}

Json RecordStore::update(Record& record, const Json& json, const PathTree& paths) {
  check_transition(record, json);
  part_errors_.clear();
  PathTree written;
  update_record(record, json, written, "json");
  written.merge(paths);
  return with_part_errors(render(record, written));
}

Json RecordStore::with_part_errors(Json out) {
  if (!part_errors_.empty())
    out["errors"] = std::move(part_errors_);
  part_errors_.clear();
  return out;
}

std::optional<std::string> RecordStore::nested_failure(const std::string& target, const Json& json,
                                                       const std::string& where) const {
  for (const auto& [key, value] : json.items()) {
    const model::FieldSpec* spec = model::find_field(target, key);
    if (spec == nullptr || spec->type != model::FieldType::kEnum)
      continue;
    // The SDK's reading of the vendor's spellings: any case, "In transit" for "inTransit".
    const bool known =
        value.is_string() && model::canonical_enum_value(
                                 spec->enum_type, value.get_ref<const std::string&>()) != nullptr;
    if (!known) {
      std::string allowed;
      for (const auto& v : spec->enum_values)
        allowed += (allowed.empty() ? "" : ", ") + v;
      return where + "." + key + " must be one of: " + allowed;
    }
  }
  return std::nullopt;
}

Json RecordStore::remove(const std::string& id) {
  Record& rec = get_or_404(id);
  Json out = render(rec, {});
  state_.changed_records.insert(id);
  index_before_write(state_, id);
  unindex_external_id(state_, rec);
  state_.records.erase(id);
  index_after_write(state_, id);
  return out;
}

Record& RecordStore::create_record(const std::string& object_key, const Json& json,
                                   PathTree& written, const std::optional<std::string>& id,
                                   const std::string& where) {
  Record rec;
  rec.id = id.value_or(uuid_v4());
  rec.object_key = object_key;
  rec.seq = state_.next_seq++;
  const std::uint64_t number = ++state_.counters[object_key];
  Json& f = rec.fields;
  f["id"] = rec.id;
  f["objectKey"] = object_key;
  f["orgId"] = caller_.org_id;
  f["fullId"] = full_id_prefix(object_key) + "-" + std::to_string(number);
  f["externalId"] = nullptr;
  // What the getting-started response shows for a record created through the API.
  f["source"] = "manual";
  f["createdAt"] = caller_.now;
  f["createdBy"] = caller_.user_id;
  f["updatedAt"] = caller_.now;
  f["updatedBy"] = caller_.user_id;
  f["version"] = 1;
  f["mapMarkers"] = Json::array();
  // A documented status list starts with the default (order: new, customer: active).
  const model::FieldSpec* status = model::find_field(object_key, "status");
  if (status != nullptr && status->type == model::FieldType::kEnum &&
      !status->enum_values.empty()) {
    f["status"] = status->enum_values.front();
  }
  // The getting-started response shows new customers with ETA delay notifications on.
  const model::FieldSpec* eta = model::find_field(object_key, "etaDelayNotifyEnabled");
  if (eta != nullptr && eta->type == model::FieldType::kBoolean)
    f["etaDelayNotifyEnabled"] = true;

  const std::string key = rec.id;
  index_before_write(state_, key);
  if (const Record* replaced = find(key))
    unindex_external_id(state_, *replaced);
  Record& stored = state_.records[key];
  stored = std::move(rec);
  state_.changed_records.insert(key);
  Json ignored = Json::object();
  apply_fields(stored, json, ignored, written, where);
  if (object_key == "manifest")
    name_manifest(stored);
  index_after_write(state_, key);
  append_event(state_, caller_, "create", stored, render(stored, {}));
  return stored;
}

// The manifest page's fullIds (M-O-19) are composed from the order the manifest covers: the
// order of its first task, when the manifest is created with tasks that belong to an order.
void RecordStore::name_manifest(Record& manifest) {
  const auto tasks = manifest.links.find("tasks");
  if (tasks == manifest.links.end() || tasks->second.empty())
    return;
  const std::string& first = tasks->second.front();
  const Record* order = nullptr;
  for (const auto& [id, rec] : state_.records) {
    if (rec.object_key != "order")
      continue;
    const auto it = rec.links.find("tasks");
    if (it != rec.links.end() &&
        std::find(it->second.begin(), it->second.end(), first) != it->second.end() &&
        (order == nullptr || rec.seq < order->seq)) {
      order = &rec;
    }
  }
  if (order != nullptr && order->fields.contains("fullId"))
    manifest.fields["fullId"] = "M-" + order->fields["fullId"].get<std::string>();
}

namespace {

// The manifest's dispatch stages in order; `problem` may be entered from any stage before
// completed and left to any stage after new (the emulator's reading, see docs/emulator.md).
const std::vector<std::string> kManifestStages = {"new", "planned", "dispatched", "inTransit",
                                                  "completed"};

std::ptrdiff_t stage_of(const std::string& status) {
  const auto it = std::find(kManifestStages.begin(), kManifestStages.end(), status);
  return it == kManifestStages.end() ? -1 : it - kManifestStages.begin();
}

}  // namespace

void RecordStore::check_transition(const Record& record, const Json& json) const {
  if (record.object_key != "manifest" || !json.is_object() || !json.contains("status"))
    return;
  const Json& to_json = json["status"];
  const std::string* to = to_json.is_string() ? model::canonical_enum_value(
                                                    "ManifestStatus", to_json.get<std::string>())
                                              : nullptr;
  if (to == nullptr) {
    std::string allowed;
    for (const auto& v : *model::enum_values("ManifestStatus"))
      allowed += (allowed.empty() ? "" : ", ") + v;
    bad_request(std::vector<std::string>{"json.status must be one of: " + allowed});
  }
  const std::string from_text = record.fields.value("status", std::string("new"));
  const std::string* from_known = model::canonical_enum_value("ManifestStatus", from_text);
  const std::string from = from_known != nullptr ? *from_known : from_text;
  if (*to == from)
    return;
  const auto a = stage_of(from);
  const auto b = stage_of(*to);
  bool ok = false;
  if (*to == "problem")
    ok = from != "completed";
  else if (from == "problem")
    ok = b > 0;
  else
    ok = a >= 0 && b > a;
  if (!ok) {
    bad_request(std::vector<std::string>{"json.status: a manifest cannot go from " + from + " to " +
                                         *to +
                                         " (stages go new, planned, dispatched, inTransit, "
                                         "completed; problem from any but completed)"});
  }
}

void RecordStore::update_record(Record& record, const Json& json, PathTree& written,
                                const std::string& where) {
  state_.changed_records.insert(record.id);
  index_before_write(state_, record.id);
  Json changes = Json::object();
  apply_fields(record, json, changes, written, where);
  if (changes.empty())
    return;
  record.fields["version"] = record.fields.value("version", 1) + 1;
  record.fields["updatedAt"] = caller_.now;
  record.fields["updatedBy"] = caller_.user_id;
  index_after_write(state_, record.id);
  append_event(state_, caller_, "mutate", record,
               Json{{"changes", changes}, {"version", record.fields["version"]}});
}

void RecordStore::apply_fields(Record& record, const Json& json, Json& changes, PathTree& written,
                               const std::string& where) {
  for (const auto& [key, value] : json.items()) {
    const model::FieldSpec* spec = model::find_field(record.object_key, key);
    if (spec == nullptr || !spec->is_connection()) {
      const Json before = record.fields.contains(key) ? record.fields[key] : Json(nullptr);
      if (!record.fields.contains(key) || before != value) {
        changes[key] = {{"from", before}, {"to", value}};
        const bool external = key == "externalId";
        if (external)
          unindex_external_id(state_, record);
        record.fields[key] = value;
        if (external)
          index_external_id(state_, record);
      }
      continue;
    }
    const bool many = spec->type == model::FieldType::kConnectionList;
    PathTree& sub = written.children[key];
    std::vector<std::string> ids;
    if (many) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string at = where + "." + key + "[" + std::to_string(i) + "]";
        if (auto id = resolve_ref(spec->target, value[i], sub, at))
          ids.push_back(*id);
      }
    } else if (!value.is_null()) {
      if (auto id = resolve_ref(spec->target, value, sub, where + "." + key))
        ids.push_back(*id);
    }
    auto it = record.links.find(key);
    const std::vector<std::string> before =
        it == record.links.end() ? std::vector<std::string>{} : it->second;
    if (it == record.links.end() || before != ids) {
      changes[key] = {{"from", ids_to_json(before, many)}, {"to", ids_to_json(ids, many)}};
      record.links[key] = ids;
    }
  }
}

// The nested parts a write may fail without failing (the platform answers the record plus an
// `errors` array, as observed on live accounts; which parts is the emulator's choice, see
// docs/emulator.md): a record created inside the write whose enum field holds a value the catalog
// does not list is not created, and a link from such a record to an id that does not exist is
// not made. Everything else the write asked for is saved.
std::optional<std::string> RecordStore::resolve_ref(const std::string& target, const Json& value,
                                                    PathTree& written, const std::string& where) {
  Json rest = strip_ref_keys(value);
  if (value.contains("id")) {
    const std::string id = value["id"].get<std::string>();
    Record* linked = find(id);
    if (linked == nullptr) {
      // validate() let this through only inside a record this write creates.
      part_errors_.push_back(
          {{"path", where}, {"message", "no " + target + " with id " + id + "; not linked"}});
      return std::nullopt;
    }
    if (!rest.empty())
      update_record(*linked, rest, written, where);
    return linked->id;
  }
  if (auto why = nested_failure(target, rest, where)) {
    part_errors_.push_back(
        {{"path", where}, {"message", *why + "; the " + target + " was not created"}});
    return std::nullopt;
  }
  return create_record(target, rest, written, std::nullopt, where).id;
}

Json RecordStore::render(const Record& record, const PathTree& paths) const {
  Json out = record.fields;
  add_derived(record, state_, out);
  for (const auto& [name, sub] : paths.children) {
    const model::FieldSpec* spec = model::find_field(record.object_key, name);
    if (spec == nullptr || !spec->is_connection())
      continue;
    auto it = record.links.find(name);
    std::vector<std::string> ids =
        it == record.links.end() ? std::vector<std::string>{} : it->second;
    Json linked = Json::array();
    for (const auto& id : ids) {
      auto found = state_.records.find(id);
      // A link to a since-deleted record is dropped rather than answered as a dangling id.
      if (found != state_.records.end())
        linked.push_back(render(found->second, sub));
    }
    if (spec->type == model::FieldType::kConnectionList) {
      out[name] = linked;
    } else {
      out[name] = linked.empty() ? Json(nullptr) : linked.front();
    }
  }
  return out;
}

}  // namespace rr_emulator::detail
