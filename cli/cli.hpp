#pragma once

// What every `rr` command shares: exit codes, global options, the client built from them, the
// profile files, JSON output. Internal to the rr executable (not an SDK header).

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "roserocket/auth/oauth.hpp"
#include "roserocket/auth/token_provider.hpp"
#include "roserocket/roserocket.hpp"

namespace rr_cli {

using Json = roserocket::Json;

/// The documented exit codes (docs/cli.md, `rr --help`).
enum ExitCode : int {
  kExitOk = 0,        ///< success
  kExitApiError = 1,  ///< the API (or the network) refused or failed
  kExitUsage = 2,     ///< bad command line or bad input (file, JSON, --set, --filter)
  kExitAuth = 3,      ///< not signed in, token refused, or sign-in failed
  kExitPartial = 4,   ///< an import finished but some rows failed
  kExitTimeout = 5,   ///< --timeout ran out before the command finished
};

/// Thrown for bad input found by rr itself; exit code 2. Part of the SDK's hierarchy.
class UsageError : public roserocket::InvalidArgumentError {
 public:
  explicit UsageError(const std::string& message)
      : roserocket::InvalidArgumentError(message, roserocket::ErrorContext{}) {}
};

/// Thrown by `rr import` when some rows failed (they are in the .failed file); exit code 4.
class PartialFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Options every command accepts (set by main from flags, then the RR_* variables).
struct Globals {
  std::string base_url;       ///< --base-url / RR_BASE_URL / profile / Rose Rocket's default
  std::string profile;        ///< --profile / RR_PROFILE / "default"
  std::string client_id;      ///< --client-id / RR_CLIENT_ID / profile
  std::string client_secret;  ///< --client-secret / RR_CLIENT_SECRET (never stored)
  std::string token_url;      ///< --token-url / RR_TOKEN_URL / profile / base URL's
  std::string authorize_url;  ///< --authorize-url / RR_AUTHORIZE_URL / profile / base URL's
  std::string audience;       ///< RR_AUDIENCE / profile / "https://roserocket.com"
  bool verbose = false;       ///< --verbose: each request's method, path and status on stderr
  std::string timeout;        ///< --timeout / RR_TIMEOUT: the whole command's limit, e.g. "30s"
};

/// Reads a `--timeout` value: a whole number with a unit, `500ms`, `30s`, `2m` or `1h` (a bare
/// number is seconds).
/// @throw UsageError naming the value when it is not one, or is zero.
std::chrono::milliseconds parse_duration(const std::string& text);

/// The whole command's deadline (`rr --timeout`). A timer thread cancels `token()` when the time
/// is up, which ends the call in flight and every page of a walk or row of an import not yet
/// sent; whatever still runs a grace period later (a stuck token request) is ended by the timer
/// itself with the one `rr:` line and kExitTimeout. Thread-safe.
class CommandDeadline {
 public:
  CommandDeadline() = default;
  CommandDeadline(const CommandDeadline&) = delete;
  CommandDeadline& operator=(const CommandDeadline&) = delete;
  /// Joins the timer thread.
  ~CommandDeadline();

  /// Starts the clock: @p limit from now. @p shown is the limit as given ("30s").
  void start(std::chrono::milliseconds limit, std::string shown);
  /// Whether a deadline was started.
  [[nodiscard]] bool active() const { return active_; }
  /// Whether the time is up (by the clock, so also just before the timer thread wakes).
  [[nodiscard]] bool expired() const;
  /// Time left, at least 1 ms, while active; 0 (no limit) otherwise.
  [[nodiscard]] std::chrono::milliseconds remaining() const;
  /// The token the timer cancels (never cancelled when not active).
  [[nodiscard]] roserocket::CancellationToken token() const { return source_.token(); }
  /// The line rr prints when the time is up (without "rr: ").
  [[nodiscard]] std::string message() const;
  /// Called once the command has ended: the timer will not end the process any more. Returns
  /// whether the caller is the one to report the timeout (it expired and nobody reported it).
  bool finish();

 private:
  void watch();

  bool active_ = false;
  std::chrono::steady_clock::time_point end_;
  std::string shown_;
  roserocket::CancellationSource source_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool finished_ = false;
  bool reported_ = false;
  std::thread timer_;
};

/// Ctrl-C, SIGTERM or the command's deadline as one cancellation, for the commands that end
/// between records (`rr sync`, `rr listen`): while it lives, SIGINT and SIGTERM only cancel
/// `token()` (a watcher thread turns the signal's flag into the cancellation); `finish()` or the
/// destructor puts the previous handlers back. One at a time per process.
class InterruptStop {
 public:
  explicit InterruptStop(const CommandDeadline& deadline);
  InterruptStop(const InterruptStop&) = delete;
  InterruptStop& operator=(const InterruptStop&) = delete;
  ~InterruptStop() { finish(); }

  /// Cancelled on SIGINT, SIGTERM or when the deadline runs out.
  [[nodiscard]] roserocket::CancellationToken token() const { return source_.token(); }
  /// Stops watching and restores the signal handlers. Idempotent.
  void finish();

 private:
  roserocket::CancellationSource source_;
  roserocket::CancellationToken deadline_;
  std::atomic<bool> done_{false};
  void (*previous_int_)(int) = nullptr;
  void (*previous_term_)(int) = nullptr;
  std::thread watcher_;
};

/// Runs @p work, a change-stream command's loop (`rr sync`, `rr listen`), and ends it the same
/// way for both: @p stop is finished first; a checkpoint that cannot be read or written becomes
/// a UsageError naming `--checkpoint`; a deadline that ran out becomes the timeout's error
/// ("COMMAND: --timeout ran out"). Returns kExitOk otherwise.
int run_stream_command(const std::string& command, InterruptStop& stop,
                       const roserocket::CancellationToken& deadline,
                       const std::function<void()>& work);

/// The settings a profile remembers besides its tokens (never a secret).
struct ProfileSettings {
  std::string base_url;
  std::string token_url;
  std::string authorize_url;
  std::string client_id;
  std::string audience;
};

/// Global options resolved against the environment and the profile, and the clients made from
/// them. One per run of rr; not thread-safe except `log_line`.
class Context {
 public:
  Globals globals;

  /// Fills what the flags left empty from RR_* variables, the profile, and defaults.
  /// @throw UsageError for a bad profile name or an unreadable profile file.
  void resolve();

  /// $XDG_CONFIG_HOME/roserocket (else ~/.config/roserocket).
  [[nodiscard]] std::string config_dir() const;
  /// <config_dir>/<profile>.json: the profile's tokens (FileTokenStore, 0600).
  [[nodiscard]] std::string token_file() const;
  /// <config_dir>/<profile>.profile.json: the profile's settings (0600, no secret).
  [[nodiscard]] std::string settings_file() const;
  /// Creates config_dir (mode 0700) if missing.
  void ensure_config_dir() const;
  /// Writes the profile's settings from the resolved globals.
  void save_settings() const;

  /// OAuth options from the resolved globals (token and authorize URL, client, audience, logger).
  [[nodiscard]] roserocket::OAuthOptions oauth_options() const;
  /// The token source: RR_ACCESS_TOKEN, else the profile's signed-in tokens, else client
  /// credentials.
  /// @throw roserocket::AuthError when none is available.
  [[nodiscard]] std::shared_ptr<roserocket::TokenProvider> token_provider() const;
  /// A client over the resolved base URL and token_provider().
  /// @param max_attempts attempts per call (retries included); 0 keeps the SDK's default.
  [[nodiscard]] roserocket::Client client(int max_attempts = 0) const;
  /// Options for one call: the --timeout deadline (time left) and its cancellation.
  [[nodiscard]] roserocket::RequestOptions call_options() const;

  /// The --timeout of this run (inactive without one).
  CommandDeadline deadline;

  /// What each (sub)command does once the command line is parsed, returning the exit code.
  std::map<const CLI::App*, std::function<int()>> actions;

  /// Writes one line to stderr under a lock (verbose output comes from many threads).
  void log_line(const std::string& line) const;

 private:
  mutable std::mutex log_mutex_;
};

/// Prints @p value on stdout: indented when stdout is a terminal, one line otherwise.
void print_json(const Json& value);
/// Whether file descriptor @p fd is a terminal.
bool is_terminal(int fd);
/// Parses @p text as JSON when it is JSON, else returns it as a string.
Json json_or_string(const std::string& text);
/// Reads JSON given as "@file", "-" (stdin) or literal text; @p what names it in errors.
/// @throw UsageError when it cannot be read or parsed.
Json read_json_argument(const std::string& argument, const std::string& what);

/// The `--filter` mini-syntax: "field op value" (see docs/cli.md).
/// @throw UsageError when it does not parse.
roserocket::SearchFilter parse_filter(const std::string& text);
/// A field's CSV cell: strings as they are (JSON-quoted when they would read back as JSON, or
/// when empty), everything else as JSON text. An absent field is an empty cell.
std::string to_cell(const Json& value);

// One function per command group, each adding its subcommands to @p app.
void add_record_commands(CLI::App& app, Context& context);
void add_search_commands(CLI::App& app, Context& context);
void add_import_command(CLI::App& app, Context& context);
void add_auth_commands(CLI::App& app, Context& context);
void add_emulator_command(CLI::App& app, Context& context);
/// rr sync (sync.cpp).
void add_sync_command(CLI::App& app, Context& context);
/// rr listen (listen.cpp).
void add_listen_command(CLI::App& app, Context& context);
/// rr boards, rr events, rr user-groups, rr webhooks (platform.cpp).
void add_platform_commands(CLI::App& app, Context& context);

}  // namespace rr_cli
