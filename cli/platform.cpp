// rr boards, rr events, rr user-groups, rr webhooks: the platform's operations beside records,
// one thin command over each SDK facade (docs/boards-events-user-groups.md, docs/webhooks.md).

#include <iostream>

#include "cli.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/objects/events.hpp"
#include "roserocket/objects/user_groups.hpp"
#include "roserocket/webhooks/webhooks.hpp"

namespace rr_cli {
namespace {

struct BoardArgs {
  std::string object_key;
};

struct EventArgs {
  std::string record_id;
  std::string object_key;
  std::string board_id;
  std::vector<std::string> types;
  std::string data;
};

struct GroupArgs {
  std::string group_id;
  std::string name;
  std::string description;
  std::vector<std::string> user_ids;
};

struct WebhookArgs {
  std::string name;
  std::string url;
  std::vector<std::string> events;
  std::string destination_id;
};

Json group_json(const roserocket::UserGroup& group) {
  return group.json.is_object() && !group.json.empty()
             ? group.json
             : Json{{"id", group.id}, {"name", group.name}, {"type", group.type.value()}};
}

int list_boards(const Context& context, const BoardArgs& args) {
  roserocket::BoardQuery query;
  if (!args.object_key.empty())
    query.object_key = args.object_key;
  Json out = Json::array();
  for (const auto& board : context.client().boards().list_range(query, 100, context.call_options()))
    out.push_back(board.json);
  print_json(out);
  return kExitOk;
}

int list_events(const Context& context, const EventArgs& args) {
  auto query = roserocket::EventQuery::for_record(args.record_id, args.object_key);
  if (!args.board_id.empty())
    query.board_id = args.board_id;
  if (args.types.size() == 1)
    query.type = roserocket::model::EventType(args.types.front());
  for (const auto& type : args.types.size() > 1 ? args.types : std::vector<std::string>{})
    query.in_types.emplace_back(type);
  Json out = Json::array();
  for (const auto& event : context.client().events().list_range(query, context.call_options()))
    out.push_back(event.json);
  print_json(out);
  return kExitOk;
}

int create_event(const Context& context, const EventArgs& args) {
  if (args.types.size() != 1)
    throw UsageError("events create: give one --type (e.g. mutate)");
  roserocket::NewEvent event;
  event.record_id = args.record_id;
  event.board_id = args.board_id;
  event.type = roserocket::model::EventType(args.types.front());
  if (!args.data.empty()) {
    event.json = read_json_argument(args.data, "--data");
    if (!event.json.is_object())
      throw UsageError("events create: --data must be a JSON object (the event's payload)");
  }
  print_json(context.client().events().create(event, context.call_options()).json);
  return kExitOk;
}

int list_groups(const Context& context) {
  Json out = Json::array();
  for (const auto& group : context.client().user_groups().list(context.call_options()))
    out.push_back(group_json(group));
  print_json(out);
  return kExitOk;
}

int create_group(const Context& context, const GroupArgs& args) {
  std::optional<std::string> description;
  if (!args.description.empty())
    description = args.description;
  print_json(group_json(
      context.client().user_groups().create(args.name, description, context.call_options())));
  return kExitOk;
}

int list_members(const Context& context, const GroupArgs& args) {
  Json out = Json::array();
  for (const auto& member :
       context.client().user_groups().members(args.group_id, context.call_options())) {
    Json item = {{"id", member.id}};
    if (member.added_at)
      item["addedAt"] = *member.added_at;
    if (member.added_by)
      item["addedBy"] = *member.added_by;
    out.push_back(std::move(item));
  }
  print_json(out);
  return kExitOk;
}

int change_members(const Context& context, const GroupArgs& args, bool add) {
  const auto groups = context.client().user_groups();
  const auto change =
      add ? groups.add_members(args.group_id, args.user_ids, context.call_options())
          : groups.remove_members(args.group_id, args.user_ids, context.call_options());
  print_json(Json{{"added", change.added}, {"removed", change.removed}});
  return kExitOk;
}

int list_webhooks(const Context& context) {
  Json out = Json::array();
  for (const auto& destination : context.client().webhooks().list(context.call_options()))
    out.push_back(destination.json());
  print_json(out);
  return kExitOk;
}

int subscribe_webhook(const Context& context, const WebhookArgs& args) {
  print_json(context.client()
                 .webhooks()
                 .subscribe(args.name, args.url, args.events, context.call_options())
                 .json());
  return kExitOk;
}

int delete_webhook(const Context& context, const WebhookArgs& args) {
  context.client().webhooks().remove(args.destination_id, context.call_options());
  std::cerr << "rr: webhooks: deleted destination " << args.destination_id
            << " and its subscriptions\n";
  return kExitOk;
}

}  // namespace

void add_platform_commands(CLI::App& app, Context& context) {
  // rr boards list
  auto* boards = app.add_subcommand("boards", "the boards (a board id is what search takes)");
  boards->require_subcommand(1);
  auto board_args = std::make_shared<BoardArgs>();
  auto* board_list = boards->add_subcommand("list", "every board, as JSON");
  board_list->add_option("--object", board_args->object_key, "only boards of this object key");
  context.actions[board_list] = [&context, board_args] {
    return list_boards(context, *board_args);
  };

  // rr events list|create
  auto* events = app.add_subcommand("events", "a record's history: list and add events");
  events->require_subcommand(1);
  auto list_args = std::make_shared<EventArgs>();
  auto* event_list = events->add_subcommand("list", "every event of one record, as JSON");
  event_list->add_option("recordId", list_args->record_id, "the record's id")->required();
  event_list->add_option("--object", list_args->object_key, "the record's object key")->required();
  event_list->add_option("--board", list_args->board_id, "the board the record belongs to");
  event_list->add_option("--type", list_args->types,
                         "only events of this type (create, mutate, ...); repeatable");
  context.actions[event_list] = [&context, list_args] { return list_events(context, *list_args); };
  auto create_args = std::make_shared<EventArgs>();
  auto* event_create = events->add_subcommand("create", "add an event to a record's history");
  event_create->add_option("recordId", create_args->record_id, "the record's id")->required();
  event_create->add_option("--board", create_args->board_id, "the board the record is seen on")
      ->required();
  event_create->add_option("--type", create_args->types, "the event's type, e.g. mutate")
      ->required();
  event_create->add_option("--data", create_args->data,
                           "the payload: @file.json, - (stdin) or JSON text (default {})");
  context.actions[event_create] = [&context, create_args] {
    return create_event(context, *create_args);
  };

  // rr user-groups list|create|members|add-members|remove-members
  auto* groups = app.add_subcommand("user-groups", "user groups and their members");
  groups->require_subcommand(1);
  auto* group_list = groups->add_subcommand("list", "every user group, as JSON");
  context.actions[group_list] = [&context] { return list_groups(context); };
  auto group_create_args = std::make_shared<GroupArgs>();
  auto* group_create = groups->add_subcommand("create", "create a user group");
  group_create->add_option("name", group_create_args->name, "the group's name")->required();
  group_create->add_option("--description", group_create_args->description, "a description");
  context.actions[group_create] = [&context, group_create_args] {
    return create_group(context, *group_create_args);
  };
  auto members_args = std::make_shared<GroupArgs>();
  auto* members = groups->add_subcommand("members", "the members of a user group");
  members->add_option("groupId", members_args->group_id, "the group's id")->required();
  context.actions[members] = [&context, members_args] {
    return list_members(context, *members_args);
  };
  for (const bool add : {true, false}) {
    auto args = std::make_shared<GroupArgs>();
    auto* change = groups->add_subcommand(add ? "add-members" : "remove-members",
                                          add ? "add users to a group" : "remove users from it");
    change->add_option("groupId", args->group_id, "the group's id")->required();
    change->add_option("userIds", args->user_ids, "the users' ids")->required();
    context.actions[change] = [&context, args, add] { return change_members(context, *args, add); };
  }

  // rr webhooks list|subscribe|delete
  auto* webhooks = app.add_subcommand("webhooks", "webhook destinations and their subscriptions");
  webhooks->require_subcommand(1);
  auto* webhook_list =
      webhooks->add_subcommand("list", "every destination with its subscriptions, as JSON");
  context.actions[webhook_list] = [&context] { return list_webhooks(context); };
  auto subscribe_args = std::make_shared<WebhookArgs>();
  auto* subscribe = webhooks->add_subcommand(
      "subscribe", "create a destination subscribed to events, in one request");
  subscribe->add_option("name", subscribe_args->name, "a name for the destination")->required();
  subscribe->add_option("url", subscribe_args->url, "where deliveries are POSTed (https://...)")
      ->required();
  subscribe
      ->add_option("--event", subscribe_args->events,
                   "an event name, e.g. 'Order Status Changed'; repeatable")
      ->required();
  context.actions[subscribe] = [&context, subscribe_args] {
    return subscribe_webhook(context, *subscribe_args);
  };
  auto delete_args = std::make_shared<WebhookArgs>();
  auto* remove = webhooks->add_subcommand("delete", "delete a destination and its subscriptions");
  remove->add_option("destinationId", delete_args->destination_id, "the destination's id")
      ->required();
  context.actions[remove] = [&context, delete_args] {
    return delete_webhook(context, *delete_args);
  };
}

}  // namespace rr_cli
