#pragma once

/// @file
/// @brief The emulator's command line (`rr-emulator [options]`, `rr emulator [options]`): one
/// parser and one start-and-wait loop that both executables share.

#include <iosfwd>
#include <string>
#include <vector>

namespace rr_emulator {

/// @brief Prints the options `run_command_line` takes, with @p program as the command's name.
/// @param out where the text goes.
/// @param program e.g. "rr-emulator" or "rr emulator".
void print_command_line_usage(std::ostream& out, const std::string& program);

/// @brief Parses @p args (the options only, without the program name), starts the emulator,
/// prints `listening on http://HOST:PORT` on stdout and serves until SIGINT or SIGTERM.
/// Blocks SIGINT and SIGTERM in the calling thread (before any server thread starts) and
/// ignores SIGPIPE. Not thread-safe: call it once, from the main thread, before other threads.
/// @param args the options, e.g. {"--port", "0", "--rate-limit", "100"}.
/// @param program the name shown in messages and usage.
/// @param error_prefix what each error line starts with; empty: "<program>: " (`rr emulator`
/// passes "rr: emulator: " so that every rr failure starts with "rr: ").
/// @return 0 after a clean stop (or `--help`), 1 when the emulator cannot start, 2 for bad
/// options (one line on stderr naming the option; `--help` lists them).
int run_command_line(const std::vector<std::string>& args, const std::string& program,
                     const std::string& error_prefix = "");

}  // namespace rr_emulator
