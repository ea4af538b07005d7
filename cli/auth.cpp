// rr auth login|token|logout: a user's tokens per profile in a private file.

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli.hpp"
#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/auth/token_store.hpp"

namespace rr_cli {
namespace {

struct LoginArgs {
  bool no_browser = false;
  int port = 0;
  int timeout_seconds = 300;
};

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr)
    return false;
  std::string dirs = path;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const auto colon = dirs.find(':', start);
    const std::string dir = dirs.substr(start, colon == std::string::npos ? colon : colon - start);
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0)
      return true;
    if (colon == std::string::npos)
      break;
    start = colon + 1;
  }
  return false;
}

// Starts $BROWSER (a shell command; the URL is its last argument) or xdg-open, without waiting:
// the browser's request reaches the redirect receiver only once rr waits for it.
pid_t open_browser(const std::string& url) {
  const char* browser = std::getenv("BROWSER");
  std::string command;
  if (browser != nullptr && *browser != '\0')
    command = std::string(browser) + " \"$1\"";
  else if (on_path("xdg-open"))
    command = "xdg-open \"$1\"";
  else
    return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(2, 1);  // nothing of the browser's on rr's stdout
    ::execl("/bin/sh", "sh", "-c", command.c_str(), "rr-browser", url.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int run_login(Context& context, const LoginArgs& args) {
  auto oauth = context.oauth_options();
  if (oauth.client_id.empty()) {
    throw UsageError(
        "auth login: no client id: give --client-id or RR_CLIENT_ID (your OAuth application)");
  }
  oauth.scopes = {"offline_access"};
  roserocket::AuthorizationCodeFlow flow(oauth);
  pid_t browser = -1;
  const auto tokens = flow.authorize_on_loopback(
      [&args, &browser](const std::string& url) {
        std::cerr << "rr: sign in at this address (the browser returns to this machine):\n"
                  << url << "\n";
        if (!args.no_browser)
          browser = open_browser(url);
      },
      std::chrono::seconds(args.timeout_seconds), static_cast<std::uint16_t>(args.port));
  if (browser > 0)
    ::waitpid(browser, nullptr, WNOHANG);
  context.ensure_config_dir();
  roserocket::FileTokenStore(context.token_file()).save(tokens);
  context.save_settings();
  std::cerr << "rr: signed in; profile '" << context.globals.profile << "' keeps its tokens in "
            << context.token_file() << "\n";
  return kExitOk;
}

int run_token(const Context& context) {
  // Fresh: the provider refreshes (and stores the rotated refresh token) when it must.
  std::cout << context.token_provider()->access_token() << "\n";
  return kExitOk;
}

int run_logout(const Context& context) {
  roserocket::FileTokenStore(context.token_file()).clear();
  std::remove(context.settings_file().c_str());
  std::cerr << "rr: signed out of profile '" << context.globals.profile << "'\n";
  return kExitOk;
}

}  // namespace

void add_auth_commands(CLI::App& app, Context& context) {
  auto* auth = app.add_subcommand("auth", "sign in, print a token, sign out");
  auth->require_subcommand(1);

  auto args = std::make_shared<LoginArgs>();
  auto* login =
      auth->add_subcommand("login", "sign in with your browser (authorization code + PKCE)");
  login->add_flag("--no-browser", args->no_browser, "only print the address to open");
  login->add_option("--port", args->port, "loopback port for the redirect (default: any free one)")
      ->check(CLI::Range(0, 65535));
  login->add_option("--timeout", args->timeout_seconds, "seconds to wait for the browser (300)")
      ->check(CLI::Range(1, 3600));
  context.actions[login] = [&context, args] { return run_login(context, *args); };

  auto* token = auth->add_subcommand("token", "print a fresh access token (refreshed when due)");
  context.actions[token] = [&context] { return run_token(context); };

  auto* logout = auth->add_subcommand("logout", "forget the profile's tokens");
  context.actions[logout] = [&context] { return run_logout(context); };
}

}  // namespace rr_cli
