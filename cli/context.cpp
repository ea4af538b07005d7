// Global options, profiles and the client every command uses.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli.hpp"
#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/endpoints.hpp"
#include "roserocket/auth/refresh_token.hpp"
#include "roserocket/auth/token_store.hpp"

namespace rr_cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

void fill(std::string& target, const std::string& value) {
  if (target.empty())
    target = value;
}

bool valid_profile_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.')
    return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok)
      return false;
  }
  return true;
}

std::optional<ProfileSettings> load_settings(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  const Json j = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object())
    throw UsageError("profile settings " + path + " are not a JSON object; remove the file");
  ProfileSettings s;
  auto text = [&j](const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  s.base_url = text("baseUrl");
  s.token_url = text("tokenUrl");
  s.authorize_url = text("authorizeUrl");
  s.client_id = text("clientId");
  s.audience = text("audience");
  return s;
}

}  // namespace

void Context::resolve() {
  fill(globals.profile, env("RR_PROFILE"));
  fill(globals.profile, "default");
  if (!valid_profile_name(globals.profile)) {
    throw UsageError("--profile: '" + globals.profile +
                     "' is not a profile name (letters, digits, '-', '_' and '.'; at most 64)");
  }
  fill(globals.base_url, env("RR_BASE_URL"));
  fill(globals.client_id, env("RR_CLIENT_ID"));
  fill(globals.client_secret, env("RR_CLIENT_SECRET"));
  fill(globals.token_url, env("RR_TOKEN_URL"));
  fill(globals.authorize_url, env("RR_AUTHORIZE_URL"));
  fill(globals.audience, env("RR_AUDIENCE"));
  const bool have_config_dir = !env("XDG_CONFIG_HOME").empty() || !env("HOME").empty();
  if (const auto saved = have_config_dir ? load_settings(settings_file()) : std::nullopt) {
    fill(globals.base_url, saved->base_url);
    fill(globals.token_url, saved->token_url);
    fill(globals.authorize_url, saved->authorize_url);
    fill(globals.client_id, saved->client_id);
    fill(globals.audience, saved->audience);
  }
  const roserocket::ClientOptions client_defaults;
  fill(globals.base_url, client_defaults.base_url);
  // No token URL named: the one that belongs with the base URL, where its layout is known (Rose
  // Rocket's tenant for *.roserocket.com, the same origin for the emulator on loopback). Any
  // other host stays without one, and oauth_options() refuses: a client secret goes only to a
  // host the user named (ADR 0022).
  if (globals.token_url.empty()) {
    if (const auto endpoints = roserocket::oauth_endpoints_for(globals.base_url)) {
      globals.token_url = endpoints->token_url;
      fill(globals.authorize_url, endpoints->authorize_url);
    }
  }
  // A token endpoint at <origin>/oauth/token (Auth0, the emulator) has its authorize endpoint at
  // <origin>/authorize.
  const std::string token_path = "/oauth/token";
  if (globals.authorize_url.empty() && globals.token_url.size() > token_path.size() &&
      globals.token_url.compare(globals.token_url.size() - token_path.size(), token_path.size(),
                                token_path) == 0) {
    globals.authorize_url =
        globals.token_url.substr(0, globals.token_url.size() - token_path.size()) + "/authorize";
  }
  const roserocket::OAuthOptions oauth_defaults;
  fill(globals.audience, oauth_defaults.audience);
}

std::string Context::config_dir() const {
  std::string base = env("XDG_CONFIG_HOME");
  if (base.empty()) {
    const std::string home = env("HOME");
    if (home.empty())
      throw UsageError("neither XDG_CONFIG_HOME nor HOME is set: no place for profiles");
    base = home + "/.config";
  }
  return base + "/roserocket";
}

std::string Context::token_file() const {
  return config_dir() + "/" + globals.profile + ".json";
}

std::string Context::settings_file() const {
  return config_dir() + "/" + globals.profile + ".profile.json";
}

void Context::ensure_config_dir() const {
  const std::string dir = config_dir();
  // The parent (~/.config or $XDG_CONFIG_HOME) may be missing too.
  const std::string parent = dir.substr(0, dir.rfind('/'));
  ::mkdir(parent.c_str(), 0700);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw UsageError("cannot create " + dir + ": " + std::strerror(errno));
}

void Context::save_settings() const {
  ensure_config_dir();
  const Json j = {{"baseUrl", globals.base_url},
                  {"tokenUrl", globals.token_url},
                  {"authorizeUrl", globals.authorize_url},
                  {"clientId", globals.client_id},
                  {"audience", globals.audience}};
  const std::string path = settings_file();
  const std::string temporary = path + ".tmp";
  {
    const mode_t old_mask = ::umask(077);
    std::ofstream out(temporary, std::ios::trunc);
    ::umask(old_mask);
    out << j.dump(2) << "\n";
    if (!out)
      throw UsageError("cannot write " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0)
    throw UsageError("cannot write " + path + ": " + std::strerror(errno));
}

roserocket::OAuthOptions Context::oauth_options() const {
  if (globals.token_url.empty()) {
    throw UsageError("the token endpoint of " + globals.base_url +
                     " is not known: give --token-url or RR_TOKEN_URL (a client secret is sent "
                     "only to a host you name)");
  }
  roserocket::OAuthOptions oauth;
  oauth.token_url = globals.token_url;
  oauth.authorize_url = globals.authorize_url;
  oauth.client_id = globals.client_id;
  oauth.client_secret = globals.client_secret;
  oauth.audience = globals.audience;
  if (globals.verbose) {
    oauth.logger = [this](const roserocket::LogRecord& record) {
      // Token requests: "auth.<grant>: POST <token url> -> <status>", redacted by the SDK.
      log_line(record.message);
    };
  }
  return oauth;
}

std::shared_ptr<roserocket::TokenProvider> Context::token_provider() const {
  // 1. A pasted token, as is.
  if (const std::string token = env("RR_ACCESS_TOKEN"); !token.empty())
    return std::make_shared<roserocket::StaticTokenProvider>(token);
  // 2. The profile's signed-in user (the client secret, if given, authenticates the refresh).
  auto store = std::make_shared<roserocket::FileTokenStore>(token_file());
  const auto saved = store->load();
  if (saved && !(saved->access_token.empty() && saved->refresh_token.empty())) {
    if (globals.client_id.empty()) {
      throw roserocket::AuthError("profile '" + globals.profile +
                                      "' has tokens but no client id: run 'rr auth login' again",
                                  roserocket::ErrorContext{});
    }
    auto oauth = oauth_options();
    oauth.token_store = store;
    return std::make_shared<roserocket::RefreshTokenProvider>(std::move(oauth), saved);
  }
  // 3. A service account: client credentials.
  if (!globals.client_id.empty() && !globals.client_secret.empty())
    return std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth_options());
  throw roserocket::AuthError(
      "not signed in (profile '" + globals.profile +
          "'): run 'rr auth login', or set RR_CLIENT_ID and RR_CLIENT_SECRET, or RR_ACCESS_TOKEN",
      roserocket::ErrorContext{});
}

roserocket::Client Context::client(int max_attempts) const {
  roserocket::ClientOptions options;
  if (max_attempts > 0)
    options.retry.max_attempts = max_attempts;
  options.base_url = globals.base_url;
  options.token_provider = token_provider();
  options.user_agent_suffix = std::string("rr/") + ROSEROCKET_VERSION_STRING;
  if (const std::string org = env("RR_ORG_ID"); !org.empty())
    options.org_id = org;
  if (globals.verbose) {
    options.observer = [this](const roserocket::AttemptEvent& event) {
      if (event.phase != roserocket::AttemptPhase::kEnd)
        return;
      const auto& r = event.request;
      std::string line = r.method + " " + r.path + " -> ";
      line +=
          r.status != 0 ? std::to_string(r.status) : (r.error_kind.empty() ? "?" : r.error_kind);
      line += " (" + std::to_string(r.elapsed.count()) + " ms";
      if (r.attempt > 1)
        line += ", attempt " + std::to_string(r.attempt);
      line += ")";
      log_line(line);
    };
  }
  return roserocket::Client(std::move(options));
}

roserocket::RequestOptions Context::call_options() const {
  roserocket::RequestOptions options;
  options.deadline = deadline.remaining();
  options.cancellation = deadline.token();
  return options;
}

void Context::log_line(const std::string& line) const {
  const std::lock_guard<std::mutex> lock(log_mutex_);
  std::cerr << "rr: " << line << "\n";
}

bool is_terminal(int fd) {
  return ::isatty(fd) != 0;
}

void print_json(const Json& value) {
  if (is_terminal(STDOUT_FILENO))
    std::cout << value.dump(2) << "\n";
  else
    std::cout << value.dump() << "\n";
}

Json json_or_string(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded())
    return Json(text);
  return parsed;
}

Json read_json_argument(const std::string& argument, const std::string& what) {
  std::string text;
  std::string source = what;
  if (argument == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    source = what + " (stdin)";
  } else if (!argument.empty() && argument[0] == '@') {
    const std::string path = argument.substr(1);
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw UsageError(what + ": cannot read " + path);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    source = what + " " + path;
  } else {
    text = argument;
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann's message names the byte; the text itself is not repeated (it may be large).
    std::string message = e.what();
    const auto colon = message.find("syntax error");
    throw UsageError(source + " is not valid JSON: " +
                     (colon == std::string::npos ? message : message.substr(colon)));
  }
}

}  // namespace rr_cli
