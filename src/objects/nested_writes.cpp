#include "objects/nested_writes.hpp"

#include <set>
#include <utility>

#include "objects/request_util.hpp"
#include "roserocket/model/catalog.hpp"

namespace roserocket::detail {
namespace {

// A nested object links to an existing record only through a non-empty string `id`.
bool has_id(const Json& node) {
  const auto it = node.find("id");
  return it != node.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

// Calls visit(node, path, object_key, pointer) for every nested record inside @p fields, parents
// before children. A field the catalog knows as a value (money, date time, ...) holds no record;
// a field it does not know (custom, or newer than the SDK) is taken as a connection when it
// holds objects, since a wrong guess then only costs a retry, never a duplicate.
template <class Visit>
void walk(const std::string& object_key, const Json& fields, const std::string& where,
          const Json::json_pointer& at, Visit& visit) {
  if (!fields.is_object())
    return;
  for (const auto& [key, value] : fields.items()) {
    const model::FieldSpec* spec =
        object_key.empty() ? nullptr : model::find_field(object_key, key);
    if (spec != nullptr && !spec->is_connection())
      continue;
    const std::string target = spec != nullptr ? std::string(spec->target) : std::string();
    auto one = [&](const Json& node, const std::string& path, const Json::json_pointer& ptr) {
      if (!node.is_object())
        return;
      std::string node_key = target;
      const auto named = node.find("objectKey");
      if (named != node.end() && named->is_string())
        node_key = named->get<std::string>();
      visit(node, path, node_key, ptr);
      walk(node_key, node, path, ptr, visit);
    };
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        one(value[i], where + "." + key + "[" + std::to_string(i) + "]", at / key / i);
    } else {
      one(value, where + "." + key, at / key);
    }
  }
}

}  // namespace

std::optional<std::string> first_nested_create(std::string_view object_key, const Json& fields) {
  std::optional<std::string> first;
  auto visit = [&first](const Json& node, const std::string& path, const std::string&,
                        const Json::json_pointer&) {
    if (!first && !has_id(node))
      first = path;
  };
  walk(std::string(object_key), fields, "json", Json::json_pointer(), visit);
  return first;
}

std::optional<std::string> first_nested_create(const ApiRequest& request) {
  if (!request.body || !request.body->is_object())
    return std::nullopt;
  if (request.method != HttpMethod::kPut && request.method != HttpMethod::kPatch &&
      request.method != HttpMethod::kPost) {
    return std::nullopt;
  }
  const Json& body = *request.body;
  const auto fields = body.find("json");
  if (fields == body.end() || !fields->is_object())
    return std::nullopt;
  const auto key = body.find("objectKey");
  return first_nested_create(key != body.end() && key->is_string() ? key->get<std::string>() : "",
                             *fields);
}

Idempotency effective_idempotency(const ApiRequest& request) {
  if (request.idempotency == Idempotency::kNonIdempotent)
    return Idempotency::kNonIdempotent;
  return first_nested_create(request) ? Idempotency::kNonIdempotent : Idempotency::kIdempotent;
}

std::string not_resent_note(const ApiRequest& request) {
  if (request.idempotency == Idempotency::kNonIdempotent)
    return {};
  const auto path = first_nested_create(request);
  if (!path)
    return {};
  return "not sent again: it may have been applied, and a repeat would create its nested "
         "records again (" +
         *path + " has no id); look the record up, or use upsert_nested, before repeating it";
}

NestedPlan plan_nested(std::string_view object_key, const Json& fields, const char* operation) {
  NestedPlan plan;
  std::set<std::pair<std::string, std::string>> seen;
  auto visit = [&](const Json& node, const std::string& path, const std::string& node_key,
                   const Json::json_pointer& at) {
    if (has_id(node))
      return;
    const auto ext = node.find("externalId");
    if (ext == node.end() || ext->is_null()) {
      plan.unkeyed.push_back(path);
      return;
    }
    if (!ext->is_string() || ext->get_ref<const std::string&>().empty())
      invalid(operation, path + ".externalId must be a non-empty string");
    if (node_key.empty()) {
      invalid(operation, path +
                             " has an external id but its object is unknown; set its objectKey "
                             "so that it can be looked up");
    }
    const std::string& external_id = ext->get_ref<const std::string&>();
    if (!seen.emplace(node_key, external_id).second) {
      invalid(operation, path + ": external id '" + external_id + "' of a " + node_key +
                             " appears twice in one write");
    }
    plan.lookups.push_back(NestedLookup{path, node_key, external_id, at});
  };
  walk(std::string(object_key), fields, "json", Json::json_pointer(), visit);
  return plan;
}

NestedUpsertResult apply_lookups(const NestedPlan& plan, const std::vector<std::string>& ids,
                                 Json& fields) {
  NestedUpsertResult out;
  for (std::size_t i = 0; i < plan.lookups.size(); ++i) {
    const NestedLookup& lookup = plan.lookups[i];
    if (i < ids.size() && !ids[i].empty()) {
      fields[lookup.at]["id"] = ids[i];
      out.linked.push_back(lookup.path);
    } else {
      out.created_by_external_id.push_back(lookup.path);
    }
  }
  out.unkeyed = plan.unkeyed;
  return out;
}

RequestOptions lookup_options(const RequestOptions& options) {
  RequestOptions out;
  out.headers = options.headers;
  out.timeout = options.timeout;
  out.deadline = options.deadline;
  out.retry = options.retry;
  out.cancellation = options.cancellation;
  return out;
}

}  // namespace roserocket::detail
