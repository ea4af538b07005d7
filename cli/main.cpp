// rr: the Rose Rocket command line over the SDK. This file wires the global options and the
// exit codes; each command group lives in its own file (records, search, import, auth, emulator).

#include <csignal>
#include <iostream>

#include "cli.hpp"

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 success, 1 API or network error, 2 usage or bad input, 3 authentication,\n"
    "4 import finished with failed rows. Docs: docs/cli.md.";

// The documented exit code of an error that ended a command.
int report(const std::exception& e, int code) {
  std::cerr << "rr: " << e.what() << "\n";
  return code;
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
  app.add_flag("-v,--verbose", g.verbose, "print each request's method, path and status on stderr");
  rr_cli::add_record_commands(app, context);
  rr_cli::add_search_commands(app, context);
  rr_cli::add_import_command(app, context);
  rr_cli::add_auth_commands(app, context);
  rr_cli::add_emulator_command(app, context);

  try {
    app.parse(argc, argv);
    // The deepest subcommand given (`rr auth login`: login) names the action.
    const CLI::App* command = &app;
    while (!command->get_subcommands().empty())
      command = command->get_subcommands().front();
    const auto action = context.actions.find(command);
    if (action == context.actions.end())
      throw CLI::RequiredError("a subcommand");
    context.resolve();
    return action->second();
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? rr_cli::kExitOk : rr_cli::kExitUsage;
  } catch (const rr_cli::PartialFailure& e) {
    return report(e, rr_cli::kExitPartial);
  } catch (const roserocket::InvalidArgumentError& e) {
    return report(e, rr_cli::kExitUsage);
  } catch (const roserocket::AuthError& e) {
    return report(e, rr_cli::kExitAuth);
  } catch (const roserocket::UnauthorizedError& e) {
    return report(e, rr_cli::kExitAuth);
  } catch (const roserocket::ForbiddenError& e) {
    return report(e, rr_cli::kExitAuth);
  } catch (const std::exception& e) {
    return report(e, rr_cli::kExitApiError);
  }
}
