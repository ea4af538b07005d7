// rr emulator: the local emulator, with rr-emulator's own options (shared code).

#include "cli.hpp"
#include "rr_emulator/command_line.hpp"

namespace rr_cli {

void add_emulator_command(CLI::App& app, Context& context) {
  auto* emulator = app.add_subcommand(
      "emulator", "run the local emulator until Ctrl-C (rr emulator --help for its options)");
  // Everything after `emulator` is the emulator's own, --help included.
  emulator->prefix_command();
  emulator->set_help_flag();
  context.actions[emulator] = [emulator] {
    return rr_emulator::run_command_line(emulator->remaining(), "rr emulator", "rr: emulator: ");
  };
}

}  // namespace rr_cli
