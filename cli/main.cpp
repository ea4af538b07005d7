// rr: the Rose Rocket command line over the SDK. This file wires the global options and the
// exit codes; each command group lives in its own file (records, search, import, auth, emulator,
// platform, sync, listen). Every failure ends in one line on stderr that starts "rr: ".

#include <csignal>
#include <iostream>
#include <regex>

#include "cli.hpp"

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 success, 1 API or network error, 2 usage or bad input, 3 authentication,\n"
    "4 import finished with failed rows, 5 --timeout ran out. Docs: docs/cli.md.";

// @p message as one line, without a JSON library's internals ("[json.exception.type_error.302]
// type must be string, but is number": the part after the bracket is the useful one).
std::string one_line(std::string message) {
  static const std::regex json_tag(R"(\[json\.exception\.[a-z_]+\.[0-9]+\] ?)");
  message = std::regex_replace(message, json_tag, "");
  for (auto& c : message) {
    if (c == '\n' || c == '\r')
      c = ' ';
  }
  while (!message.empty() && message.back() == ' ')
    message.pop_back();
  return message;
}

// The documented exit code of an error that ended a command.
int report(const std::string& message, int code) {
  std::cerr << "rr: " << one_line(message) << "\n";
  return code;
}

// "rr auth login" for the deepest (sub)command the command line reached.
std::string command_path(const CLI::App* command) {
  std::string path;
  for (const CLI::App* at = command; at != nullptr; at = at->get_parent())
    path = at->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::string subcommand_names(const CLI::App* command) {
  std::string names;
  for (const CLI::App* sub : command->get_subcommands({}))
    names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

// A command-line mistake as one "rr:" line that names the command and where its help is.
int usage_failure(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty())
    at = at->get_subcommands().front();
  const std::string path = command_path(at);
  std::string what = e.what();
  const bool wants_command = !at->get_subcommands({}).empty() &&
                             dynamic_cast<const CLI::RequiredError*>(&e) != nullptr &&
                             what.find("ubcommand") != std::string::npos;
  if (wants_command) {
    // CLI11 checks for the missing command before the words it did not take: name those.
    const auto rest = at->remaining();
    if (rest.empty())
      what = "give a command: " + subcommand_names(at);
    else if (rest.front().rfind("-", 0) == 0)
      what = "unknown option " + rest.front();
    else
      what = "unknown command '" + rest.front() + "'; commands: " + subcommand_names(at);
  }
  const std::string where = at == &app ? "" : path.substr(app.get_name().size() + 1) + ": ";
  return report(where + what + " (" + path + " --help)", rr_cli::kExitUsage);
}

// The exit code and line of an error that ended a command.
int report_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const rr_cli::PartialFailure& e) {
    return report(e.what(), rr_cli::kExitPartial);
  } catch (const roserocket::InvalidArgumentError& e) {
    return report(e.what(), rr_cli::kExitUsage);
  } catch (const roserocket::AuthError& e) {
    return report(e.what(), rr_cli::kExitAuth);
  } catch (const roserocket::UnauthorizedError& e) {
    return report(e.what(), rr_cli::kExitAuth);
  } catch (const roserocket::ForbiddenError& e) {
    return report(e.what(), rr_cli::kExitAuth);
  } catch (const rr_cli::Json::exception& e) {
    // Not expected (rr checks what it reads); said without the library's tag if it happens.
    return report(std::string("unexpected JSON: ") + e.what(), rr_cli::kExitApiError);
  } catch (const std::exception& e) {
    return report(e.what(), rr_cli::kExitApiError);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A reader that goes away (rr export | head) ends the output, not the process with a signal.
  std::signal(SIGPIPE, SIG_IGN);

  rr_cli::Context context;
  CLI::App app{"rr: the Rose Rocket platform API from the command line", "rr"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", std::string("rr ") + ROSEROCKET_VERSION_STRING);
  app.require_subcommand(1);
  auto& g = context.globals;
  app.add_option("--base-url", g.base_url, "API host, e.g. https://network.roserocket.com")
      ->envname("RR_BASE_URL");
  app.add_option("--profile", g.profile, "profile whose tokens and settings to use (default)")
      ->envname("RR_PROFILE");
  app.add_option("--client-id", g.client_id, "OAuth client id")->envname("RR_CLIENT_ID");
  app.add_option("--client-secret", g.client_secret,
                 "OAuth client secret (client credentials; prefer RR_CLIENT_SECRET)")
      ->envname("RR_CLIENT_SECRET");
  app.add_option("--token-url", g.token_url, "OAuth token endpoint")->envname("RR_TOKEN_URL");
  app.add_option("--authorize-url", g.authorize_url, "OAuth authorize endpoint")
      ->envname("RR_AUTHORIZE_URL");
  app.add_option("--timeout", g.timeout,
                 "end the whole command after this long, e.g. 30s, 500ms, 2m (exit code 5)")
      ->envname("RR_TIMEOUT");
  app.add_flag("-v,--verbose", g.verbose, "print each request's method, path and status on stderr");
  rr_cli::add_record_commands(app, context);
  rr_cli::add_search_commands(app, context);
  rr_cli::add_import_command(app, context);
  rr_cli::add_auth_commands(app, context);
  rr_cli::add_platform_commands(app, context);
  rr_cli::add_sync_command(app, context);
  rr_cli::add_listen_command(app, context);
  rr_cli::add_emulator_command(app, context);

  const CLI::App* command = &app;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      return app.exit(e);  // --help, --version
    return usage_failure(app, e);
  }
  try {
    // The deepest subcommand given (`rr auth login`: login) names the action.
    while (!command->get_subcommands().empty())
      command = command->get_subcommands().front();
    const auto action = context.actions.find(command);
    if (action == context.actions.end())
      return report("give a command: " + subcommand_names(command), rr_cli::kExitUsage);
    if (!g.timeout.empty()) {
      const auto limit = rr_cli::parse_duration(g.timeout);
      // rr emulator serves until stopped; a limit is for commands that finish.
      if (command->get_name() != "emulator")
        context.deadline.start(limit, g.timeout);
    }
    context.resolve();
    const int code = action->second();
    context.deadline.finish();
    return code;
  } catch (...) {
    const auto error = std::current_exception();
    if (context.deadline.finish())
      return report(context.deadline.message(), rr_cli::kExitTimeout);
    return report_error(error);
  }
}
