// rr get, rr create, rr update, rr delete: one record at a time, JSON in and out.

#include <functional>
#include <iostream>
#include <optional>
#include <vector>

#include "cli.hpp"
#include "fields.hpp"

namespace rr_cli {
namespace {

struct GetArgs {
  std::string id;
  std::string object_key;
  std::string external_id;
  std::vector<std::string> paths;
};

struct CreateArgs {
  std::string object_key;
  std::string data;
};

struct UpdateArgs {
  std::string id;
  std::string object_key;
  std::vector<std::string> sets;
  std::vector<std::string> clears;    // --clear: fields set to null
  bool json_values = false;           // --json-values: untyped values read as JSON
  bool allow_unknown_fields = false;  // --allow-unknown-fields
};

struct DeleteArgs {
  std::string id;
  std::string object_key;
  std::string external_id;
};

int run_get(const Context& context, const GetArgs& args) {
  roserocket::RequestOptions options = context.call_options();
  options.paths = args.paths;
  const auto objects = context.client().objects();
  if (!args.external_id.empty()) {
    if (!args.id.empty())
      throw UsageError("get: give either an id or --external-id, not both");
    if (args.object_key.empty())
      throw UsageError("get: --external-id needs --object (the object key, e.g. customer)");
    print_json(objects.get_by_external_id(args.object_key, args.external_id, options));
    return kExitOk;
  }
  if (args.id.empty())
    throw UsageError("get: give a record id, or --object with --external-id");
  if (!args.object_key.empty())
    options.object_key_hint = args.object_key;
  print_json(objects.get(args.id, options));
  return kExitOk;
}

int run_create(const Context& context, const CreateArgs& args) {
  const Json fields = read_json_argument(args.data, "--data");
  if (!fields.is_object())
    throw UsageError("--data must be a JSON object of the record's fields");
  print_json(context.client().objects().create(args.object_key, fields, context.call_options()));
  return kExitOk;
}

}  // namespace

std::vector<Assignment> split_assignments(const std::vector<std::string>& assignments) {
  std::vector<Assignment> out;
  for (const auto& text : assignments) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError("--set '" + text +
                       "': expected field=value (a dotted path such as address.city for a "
                       "nested field)");
    }
    Assignment assignment;
    assignment.text = text;
    assignment.value = text.substr(equals + 1);
    const std::string path = text.substr(0, equals);
    for (std::size_t start = 0;;) {
      const auto dot = path.find('.', start);
      assignment.path.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
      if (assignment.path.back().empty())
        throw UsageError("--set '" + text + "': empty field name in '" + path + "'");
      if (dot == std::string::npos)
        break;
      start = dot + 1;
    }
    out.push_back(std::move(assignment));
  }
  return out;
}

namespace {

using roserocket::model::FieldType;

// Types whose values are JSON objects, so that a dotted --set may reach inside them.
bool object_type(FieldType type) {
  return type == FieldType::kJson || type == FieldType::kMoney || type == FieldType::kDateTime ||
         type == FieldType::kConnection;
}

// The fields of an update from --set and --clear, read by the field catalog's types of
// @p object_key. @p current reads the record (once) when a field the catalog does not type
// would become an object: its present value must not be a scalar.
Json update_fields(const UpdateArgs& args, const std::vector<Assignment>& assignments,
                   const std::string& object_key, const std::function<const Json&()>& current) {
  auto refuse = [](const std::string& what, const std::string& why) {
    return UsageError("update: " + what + ": " + why);
  };
  // The checks every written field passes: writable, and known unless allowed.
  auto check_field = [&](const std::string& what, const std::string& field,
                         const roserocket::model::FieldSpec** spec) {
    if (const auto reason = roserocket::model::read_only_reason(object_key, field); !reason.empty())
      throw refuse(what, field + " is read-only on " + object_key + ": " + reason);
    if (field_knowledge(object_key, field, spec) == FieldKnowledge::kUnknown &&
        !args.allow_unknown_fields) {
      throw refuse(what, unknown_field_message(object_key, field) +
                             "; --allow-unknown-fields sends it anyway");
    }
  };
  auto check_not_scalar_now = [&](const std::string& what, const std::string& field) {
    const Json& record = current();
    const auto it = record.find(field);
    if (it != record.end() && !it->is_null() && !it->is_object()) {
      throw refuse(what, field + " holds a " + std::string(it->type_name()) +
                             " on this record, not an object: this would replace it");
    }
  };

  Json fields = Json::object();
  for (const auto& a : assignments) {
    const std::string what = "--set '" + a.text + "'";
    const std::string& top = a.path.front();
    const roserocket::model::FieldSpec* spec = nullptr;
    check_field(what, top, &spec);
    Json value;
    if (a.path.size() == 1) {
      try {
        value = read_value(spec, a.value, args.json_values);
      } catch (const ValueError& e) {
        throw refuse(what, top + ": " + e.what());
      }
      if (spec == nullptr && value.is_object())
        check_not_scalar_now(what, top);
    } else {
      if (spec != nullptr && !object_type(spec->type)) {
        throw refuse(what, top + " is a " + std::string(roserocket::model::to_string(spec->type)) +
                               " field of " + object_key + ", not an object: set " + top +
                               "=VALUE");
      }
      if (spec == nullptr)
        check_not_scalar_now(what, top);
      // Inside a typed object the parts are JSON where they parse (amount.amount=1250).
      value = read_value(nullptr, a.value, spec != nullptr || args.json_values);
    }
    Json* target = &fields;
    for (std::size_t i = 0; i + 1 < a.path.size(); ++i) {
      Json& next = (*target)[a.path[i]];
      if (next.is_null())
        next = Json::object();
      if (!next.is_object()) {
        std::string so_far;
        for (std::size_t j = 0; j <= i; ++j)
          so_far += (j == 0 ? "" : ".") + a.path[j];
        throw UsageError("--set '" + a.text + "': '" + so_far +
                         "' was already set to a value, not an object");
      }
      target = &next;
    }
    (*target)[a.path.back()] = std::move(value);
  }
  // A nested --set must still leave a value of the field's type (money keeps its shape).
  for (const auto& [name, value] : fields.items()) {
    const auto* spec = roserocket::model::find_field(object_key, name);
    if (spec != nullptr && !value_fits(spec->type, value)) {
      throw refuse("--set " + name, name + " would be " + shown(value.dump()) + ", expected " +
                                        expected_type(spec->type));
    }
  }
  for (const auto& field : args.clears) {
    const std::string what = "--clear " + field;
    const roserocket::model::FieldSpec* spec = nullptr;
    check_field(what, field, &spec);
    if (fields.contains(field))
      throw refuse(what, field + " is also given to --set");
    fields[field] = nullptr;
  }
  return fields;
}

int run_update(const Context& context, const UpdateArgs& args) {
  if (args.sets.empty() && args.clears.empty())
    throw UsageError("update: give --set field=value or --clear field");
  const auto assignments = split_assignments(args.sets);  // bad syntax fails before any request
  const auto objects = context.client().objects();
  std::optional<Json> record;
  auto current = [&]() -> const Json& {
    if (!record)
      record = objects.get(args.id, context.call_options());
    return *record;
  };
  std::string object_key = args.object_key;
  if (object_key.empty()) {
    // The update names its object; the record says which one it is.
    const Json& record_now = current();
    const auto key = record_now.is_object() ? record_now.find("objectKey") : record_now.end();
    if (key != record_now.end() && key->is_string())
      object_key = key->get<std::string>();
    if (object_key.empty())
      throw UsageError("update: the record has no objectKey (text); give --object");
  }
  const Json fields = update_fields(args, assignments, object_key, current);
  print_json(objects.update(object_key, args.id, fields, context.call_options()));
  return kExitOk;
}

int run_delete(const Context& context, const DeleteArgs& args) {
  const auto objects = context.client().objects();
  std::string id = args.id;
  if (!args.external_id.empty()) {
    if (!id.empty())
      throw UsageError("delete: give either an id or --external-id, not both");
    if (args.object_key.empty())
      throw UsageError("delete: --external-id needs --object (the object key, e.g. customer)");
    // The API deletes by id: look the record up by its external id first.
    const Json record =
        objects.get_by_external_id(args.object_key, args.external_id, context.call_options());
    const auto found = record.is_object() ? record.find("id") : record.end();
    if (found == record.end() || !found->is_string() || found->get<std::string>().empty()) {
      throw roserocket::MalformedResponseError(
          "delete: the record with external id '" + args.external_id + "' came back without an id",
          roserocket::ErrorContext{});
    }
    id = found->get<std::string>();
  } else if (id.empty()) {
    throw UsageError("delete: give a record id, or --object with --external-id");
  } else if (!args.object_key.empty()) {
    throw UsageError("delete: --object goes with --external-id; an id alone names the record");
  }
  const auto removed = objects.remove(id, context.call_options());
  if (removed)
    print_json(*removed);
  return kExitOk;
}

}  // namespace

void add_record_commands(CLI::App& app, Context& context) {
  auto get_args = std::make_shared<GetArgs>();
  auto* get = app.add_subcommand("get", "read one record by id, or by object and external id");
  get->add_option("id", get_args->id, "the record's id (UUID)");
  get->add_option("--object", get_args->object_key, "the object key, e.g. customer");
  get->add_option("--external-id", get_args->external_id, "read by external id (needs --object)");
  get->add_option("--paths", get_args->paths, "related records to include, comma-separated")
      ->delimiter(',');
  context.actions[get] = [&context, get_args] { return run_get(context, *get_args); };

  auto create_args = std::make_shared<CreateArgs>();
  auto* create = app.add_subcommand("create", "create a record from JSON");
  create->add_option("objectKey", create_args->object_key, "the object key, e.g. customer")
      ->required();
  create->add_option("--data", create_args->data, "the fields: @file.json, - (stdin) or JSON text")
      ->required();
  context.actions[create] = [&context, create_args] { return run_create(context, *create_args); };

  auto update_args = std::make_shared<UpdateArgs>();
  auto* update = app.add_subcommand("update", "change fields of a record");
  update->add_option("id", update_args->id, "the record's id")->required();
  update->add_option("--set", update_args->sets,
                     "field=value, read by the field's catalog type (text stays text); dotted "
                     "paths reach into object fields; repeat for more fields");
  update->add_option("--clear", update_args->clears, "set this field to null; repeatable");
  update->add_option("--object", update_args->object_key,
                     "the object key (else read from the record first)");
  update->add_flag("--json-values", update_args->json_values,
                   "read values of fields the catalog does not type as JSON when they parse");
  update->add_flag("--allow-unknown-fields", update_args->allow_unknown_fields,
                   "send fields that are no field of the object in the field catalog");
  context.actions[update] = [&context, update_args] { return run_update(context, *update_args); };

  auto delete_args = std::make_shared<DeleteArgs>();
  auto* remove =
      app.add_subcommand("delete", "delete a record by id, or by object and external id");
  remove->add_option("id", delete_args->id, "the record's id");
  remove->add_option("--object", delete_args->object_key, "the object key, e.g. customer");
  remove->add_option("--external-id", delete_args->external_id,
                     "delete by external id (needs --object)");
  context.actions[remove] = [&context, delete_args] { return run_delete(context, *delete_args); };
}

}  // namespace rr_cli
