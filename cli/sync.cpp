// rr sync: a change stream (roserocket::sync::ChangeStream) over one object key, printing each
// changed record and committing the checkpoint file after each line is out (docs/sync.md).

#include <iostream>

#include "cli.hpp"
#include "roserocket/sync/change_stream.hpp"
#include "roserocket/sync/file_checkpoint_store.hpp"

namespace rr_cli {
namespace {

struct SyncArgs {
  std::string object_key;
  std::string checkpoint;
  bool follow = false;
  std::string format = "jsonl";
  std::string overlap = "2m";
  int page_size = 100;
  std::string board_id;
  std::vector<std::string> paths;
};

int run_sync(const Context& context, const SyncArgs& args) {
  roserocket::sync::ChangeStreamOptions options;
  options.object_key = args.object_key;
  options.stream = "rr-sync-" + args.object_key;
  options.overlap = parse_duration(args.overlap);
  options.page_size = args.page_size;
  options.board_id = args.board_id;
  options.paths = args.paths;
  auto store = std::make_shared<roserocket::sync::FileCheckpointStore>(args.checkpoint);
  // A checkpoint file that cannot be read is bad input: said before anything is read or printed.
  try {
    (void)store->load(options.stream);
  } catch (const roserocket::Error& e) {
    throw UsageError("sync: --checkpoint: " + e.summary());
  }
  roserocket::sync::ChangeStream stream(context.client(), store, options);

  // Ctrl-C and --timeout end the stream between records (the record being printed is committed
  // only once its line is out).
  InterruptStop stop(context.deadline);
  const auto deadline = context.deadline.token();

  const bool lines = args.format == "jsonl";
  auto print = [lines](const Json& record, roserocket::sync::CheckpointTransaction&) {
    if (lines)
      std::cout << record.dump() << "\n";
    else
      std::cout << record.dump(2) << "\n";
    std::cout.flush();
    if (!std::cout)
      throw std::runtime_error("sync: cannot write the output; the checkpoint stays before it");
  };
  return run_stream_command("sync", stop, deadline, [&] {
    if (args.follow)
      stream.run(print, stop.token());
    else
      stream.run_once(print, stop.token());
  });
}

}  // namespace

void add_sync_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<SyncArgs>();
  auto* sync = app.add_subcommand(
      "sync", "print every record of one object created or updated since the checkpoint");
  sync->add_option("objectKey", args->object_key, "the object key, e.g. order")->required();
  sync->add_option("--checkpoint", args->checkpoint,
                   "the checkpoint file (created on the first run; one rr sync at a time)")
      ->required();
  sync->add_flag("--follow", args->follow, "keep polling until interrupted");
  sync->add_option("--format", args->format, "jsonl (default, one record per line) or json")
      ->check(CLI::IsMember({"json", "jsonl"}));
  sync->add_option("--overlap", args->overlap,
                   "how far back each poll looks again, above index lag plus clock skew "
                   "(default 2m)");
  sync->add_option("--page-size", args->page_size, "records per request (default 100)")
      ->check(CLI::Range(1, 1000));
  sync->add_option("--board", args->board_id, "board id (default: the first for the object)");
  sync->add_option("--paths", args->paths, "related records to include, comma-separated")
      ->delimiter(',');
  context.actions[sync] = [&context, args] { return run_sync(context, *args); };
}

}  // namespace rr_cli
