// Signs a user in with the OAuth 2.0 authorization-code grant (PKCE S256) on a loopback port,
// then reads one record with the new tokens. Prints what it does, never a token.
//
// With no server named (none of the URL settings below), it starts the local emulator
// in-process on a free loopback port and signs in there with the demo client, whose /authorize
// redirects at once: the whole flow then runs with no account and no human step.
//
// Otherwise settings come from flags or RR_* environment variables (flags win):
//   --authorize-url  RR_AUTHORIZE_URL  default: <token URL's origin>/authorize, else as below
//   --token-url      RR_TOKEN_URL      default: the one that belongs with the base URL, when
//                                      none of these three is named (roserocket::
//                                      oauth_endpoints_for: https://a.roserocket.com for
//                                      *.roserocket.com, the same origin on loopback; any other
//                                      host needs it named)
//   --client-id      RR_CLIENT_ID      required (the emulator's demo client by default)
//                    RR_CLIENT_SECRET  (environment only, so it never shows in a process list)
//   --audience       RR_AUDIENCE       default https://roserocket.com
//   --scopes         RR_SCOPES         default "openid offline_access" (space-separated)
//   --issuer         RR_ISSUER         default with openid: the base URL's (as the token URL)
//                                      (read by discovery; the ID token's iss)
//   --jwks-url       RR_JWKS_URL       default: the issuer's, from discovery
//   --base-url       RR_BASE_URL       default https://network.roserocket.com
//   --record-id      RR_RECORD_ID      a record to read afterwards (optional)
//   --timeout-ms                       how long to wait for the redirect, default 120000
//
// "Opening" the authorize URL: the program GETs it itself. An authorization server that
// redirects at once (a test server) is followed to the loopback receiver, so the flow runs
// with no human step; a real login page is left to a person, who is shown the URL.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "roserocket/roserocket.hpp"
#include "rr_emulator/emulator.hpp"

namespace {

std::string setting(const std::map<std::string, std::string>& flags, const std::string& flag,
                    const char* env, const std::string& fallback) {
  if (auto it = flags.find(flag); it != flags.end())
    return it->second;
  if (const char* value = env ? std::getenv(env) : nullptr; value && *value)
    return value;
  return fallback;
}

int usage(const char* program) {
  std::cerr << "usage: " << program
            << " --client-id ID [--authorize-url URL] [--token-url URL] [--audience AUD]\n"
               "       [--scopes \"S1 S2\"] [--issuer URL] [--jwks-url URL]\n"
               "       [--base-url URL] [--record-id ID] [--timeout-ms N]\n"
               "       (client secret from RR_CLIENT_SECRET)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || i + 1 >= argc)
      return usage(argv[0]);
    flags[arg] = argv[++i];
  }
  for (const auto& [flag, value] : flags) {
    static const char* known[] = {"--authorize-url", "--token-url", "--client-id",  "--audience",
                                  "--base-url",      "--record-id", "--timeout-ms", "--scopes",
                                  "--issuer",        "--jwks-url"};
    bool ok = false;
    for (const char* k : known)
      ok = ok || flag == k;
    if (!ok) {
      std::cerr << "unknown option " << flag << "\n";
      return usage(argv[0]);
    }
  }

  // No server named: bring one. The emulator outlives every client below (declared first).
  std::unique_ptr<rr_emulator::Emulator> emulator;
  const bool server_named = !setting(flags, "--authorize-url", "RR_AUTHORIZE_URL", "").empty() ||
                            !setting(flags, "--token-url", "RR_TOKEN_URL", "").empty() ||
                            !setting(flags, "--base-url", "RR_BASE_URL", "").empty();
  if (!server_named) {
    try {
      emulator = std::make_unique<rr_emulator::Emulator>();
      emulator->start();
    } catch (const std::exception& e) {
      std::cerr << "failed: the local emulator did not start: " << e.what() << "\n";
      return 1;
    }
    flags["--authorize-url"] = emulator->base_url() + "/authorize";
    flags["--token-url"] = emulator->token_url();
    flags["--base-url"] = emulator->base_url();
    flags["--issuer"] = emulator->base_url();  // the emulator signs its ID tokens
    flags["--jwks-url"] = emulator->jwks_url();
    if (!flags.count("--client-id"))
      flags["--client-id"] = rr_emulator::kDemoClientId;
    std::cout << "server: in-process emulator at " << emulator->base_url()
              << " (demo credentials)\n";
  }

  // Endpoints not named follow the base URL where its layout is known (Rose Rocket's tenant for
  // *.roserocket.com, the same origin on loopback): the client secret goes only to a host named
  // here (ADR 0022).
  const std::string base_url =
      setting(flags, "--base-url", "RR_BASE_URL", "https://network.roserocket.com");
  const bool endpoints_named = !setting(flags, "--authorize-url", "RR_AUTHORIZE_URL", "").empty() ||
                               !setting(flags, "--token-url", "RR_TOKEN_URL", "").empty() ||
                               !setting(flags, "--issuer", "RR_ISSUER", "").empty();
  const auto derived = endpoints_named ? std::nullopt : roserocket::oauth_endpoints_for(base_url);
  roserocket::OAuthOptions oauth;
  oauth.token_url =
      setting(flags, "--token-url", "RR_TOKEN_URL", derived ? derived->token_url : "");
  oauth.authorize_url =
      setting(flags, "--authorize-url", "RR_AUTHORIZE_URL", derived ? derived->authorize_url : "");
  const std::string token_path = "/oauth/token";
  if (oauth.authorize_url.empty() && oauth.token_url.size() > token_path.size() &&
      oauth.token_url.compare(oauth.token_url.size() - token_path.size(), token_path.size(),
                              token_path) == 0) {
    // <origin>/oauth/token (Auth0, the emulator) authorizes at <origin>/authorize.
    oauth.authorize_url =
        oauth.token_url.substr(0, oauth.token_url.size() - token_path.size()) + "/authorize";
  }
  oauth.client_id = setting(flags, "--client-id", "RR_CLIENT_ID", "");
  oauth.client_secret =
      setting(flags, "", "RR_CLIENT_SECRET", emulator ? rr_emulator::kDemoClientSecret : "");
  oauth.audience = setting(flags, "--audience", "RR_AUDIENCE", oauth.audience);
  // openid: sign-in with a checked ID token; offline_access: ask for a refresh token.
  const std::string scopes = setting(flags, "--scopes", "RR_SCOPES", "openid offline_access");
  for (std::size_t start = 0; start < scopes.size();) {
    const auto end = std::min(scopes.find(' ', start), scopes.size());
    if (end > start)
      oauth.scopes.push_back(scopes.substr(start, end - start));
    start = end + 1;
  }
  // Only sign-in needs the issuer: its discovery document names the key set of ID tokens.
  const bool openid =
      std::find(oauth.scopes.begin(), oauth.scopes.end(), "openid") != oauth.scopes.end();
  oauth.issuer = setting(flags, "--issuer", "RR_ISSUER", openid && derived ? derived->issuer : "");
  oauth.jwks_url = setting(flags, "--jwks-url", "RR_JWKS_URL", "");
  if (oauth.token_url.empty() && oauth.issuer.empty()) {
    std::cerr << "failed: the token endpoint of " << base_url
              << " is not known: set --token-url or RR_TOKEN_URL (or --issuer)\n";
    return 1;
  }
  const std::string record_id = setting(flags, "--record-id", "RR_RECORD_ID", "");
  const std::string timeout_text = setting(flags, "--timeout-ms", nullptr, "120000");
  if (oauth.client_id.empty() || timeout_text.empty() ||
      timeout_text.find_first_not_of("0123456789") != std::string::npos ||
      timeout_text.size() > 9) {
    return usage(argv[0]);
  }
  const auto timeout = std::chrono::milliseconds(std::stoll(timeout_text));

  try {
    auto http = std::make_shared<roserocket::CurlTransport>();
    oauth.transport = http;
    roserocket::AuthorizationCodeFlow flow(oauth);

    std::future<void> browser;  // the "browser" follows the redirect on its own thread
    auto open = [&](const std::string& url) {
      std::cout << "1. authorize URL built (state and PKCE S256 challenge included)\n";
      roserocket::HttpRequest get;
      get.url = url;
      const auto answer = http->send(get);
      const auto location = answer.headers.get("Location");
      if (answer.status / 100 == 3 && location && location->rfind("http://127.0.0.1:", 0) == 0) {
        std::cout << "2. the authorization server redirected at once; following it\n";
        browser = std::async(std::launch::async, [http, target = *location] {
          roserocket::HttpRequest follow;
          follow.url = target;
          http->send(follow);
        });
      } else {
        std::cout << "2. open this URL in a browser and sign in:\n   " << url << "\n";
      }
    };
    const roserocket::TokenSet tokens = flow.authorize_on_loopback(open, timeout);
    if (browser.valid())
      browser.get();
    std::cout << "3. redirect received, state checked, code exchanged: access token received";
    if (tokens.expires_at) {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(
          *tokens.expires_at - std::chrono::system_clock::now());
      std::cout << " (expires in about " << left.count() << " s)";
    }
    std::cout << "; refresh token: " << (tokens.refresh_token.empty() ? "no" : "yes") << "\n";
    if (tokens.id_claims) {
      std::cout << "   ID token verified (signature, issuer, audience, expiry, nonce)\n";
    }

    // From here on the provider renews the token by itself (and after any 401).
    roserocket::ClientOptions options;
    options.base_url = base_url;
    options.transport = http;
    options.token_provider = std::make_shared<roserocket::RefreshTokenProvider>(oauth, tokens);
    roserocket::Client client(options);
    if (emulator && record_id.empty()) {
      // On the emulator there is nothing to read yet: show the tokens work with a write.
      const auto created = client.objects().create("customer", {{"name", "XYZ Freight Corp"}});
      std::cout << "4. created customer " << created.value("fullId", std::string()) << "\n";
    }
    if (!record_id.empty()) {
      const auto record = client.objects().get(record_id);
      std::cout << "4. read record " << record.value("id", std::string()) << " ("
                << record.value("objectKey", std::string()) << ")\n";
    }
    std::cout << "done\n";
    return 0;
  } catch (const roserocket::Error& e) {
    std::cerr << "failed: " << e.what() << "\n";
    return 1;
  }
}
