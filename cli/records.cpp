// rr get, rr create, rr update, rr delete: one record at a time, JSON in and out.

#include <iostream>
#include <vector>

#include "cli.hpp"

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
};

struct DeleteArgs {
  std::string id;
};

int run_get(const Context& context, const GetArgs& args) {
  roserocket::RequestOptions options;
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
  print_json(context.client().objects().create(args.object_key, fields));
  return kExitOk;
}

}  // namespace

Json parse_assignments(const std::vector<std::string>& assignments) {
  Json fields = Json::object();
  for (const auto& assignment : assignments) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError("--set '" + assignment +
                       "': expected field=value (a dotted path such as address.city for a "
                       "nested field)");
    }
    const std::string path = assignment.substr(0, equals);
    Json* target = &fields;
    std::size_t start = 0;
    while (true) {
      const auto dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
      if (key.empty())
        throw UsageError("--set '" + assignment + "': empty field name in '" + path + "'");
      if (dot == std::string::npos) {
        (*target)[key] = json_or_string(assignment.substr(equals + 1));
        break;
      }
      Json& next = (*target)[key];
      if (next.is_null())
        next = Json::object();
      if (!next.is_object()) {
        throw UsageError("--set '" + assignment + "': '" + path.substr(0, dot) +
                         "' was already set to a value, not an object");
      }
      target = &next;
      start = dot + 1;
    }
  }
  return fields;
}

namespace {

int run_update(const Context& context, const UpdateArgs& args) {
  const Json fields = parse_assignments(args.sets);
  const auto objects = context.client().objects();
  std::string object_key = args.object_key;
  if (object_key.empty()) {
    // The update names its object; the record says which one it is.
    const Json current = objects.get(args.id);
    object_key = current.value("objectKey", "");
    if (object_key.empty())
      throw UsageError("update: the record has no objectKey; give --object");
  }
  print_json(objects.update(object_key, args.id, fields));
  return kExitOk;
}

int run_delete(const Context& context, const DeleteArgs& args) {
  const auto removed = context.client().objects().remove(args.id);
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
  update
      ->add_option("--set", update_args->sets,
                   "field=value (value parsed as JSON when it is JSON; dotted paths nest); "
                   "repeat for more fields")
      ->required();
  update->add_option("--object", update_args->object_key,
                     "the object key (else read from the record first)");
  context.actions[update] = [&context, update_args] { return run_update(context, *update_args); };

  auto delete_args = std::make_shared<DeleteArgs>();
  auto* remove = app.add_subcommand("delete", "delete a record by id");
  remove->add_option("id", delete_args->id, "the record's id")->required();
  context.actions[remove] = [&context, delete_args] { return run_delete(context, *delete_args); };
}

}  // namespace rr_cli
