#pragma once

/// @file
/// @brief What every example shares: choosing a server, authenticating, reporting a failure.
///
/// Not part of the SDK: a thin helper so that each example shows only its own task.
///
/// With no `RR_BASE_URL` an example starts the local emulator in-process on a free loopback port
/// and signs in with its demo credentials (client-credentials grant). With `RR_BASE_URL` set it
/// talks to that server instead, with the options `roserocket::ClientOptions::from_env()` reads
/// (the SDK's own, installed reading of the `RR_*` variables: see its comment in client.hpp):
///   RR_ACCESS_TOKEN                   a bearer token you already have (e.g. from Postman);
///   RR_CLIENT_ID + RR_CLIENT_SECRET   the client-credentials grant at RR_TOKEN_URL, or at the
///                                     token endpoint that belongs with RR_BASE_URL (Rose Rocket's
///                                     for *.roserocket.com, the same origin on loopback);
///   RR_AUDIENCE, RR_ISSUER, RR_ORG_ID as there.

#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/roserocket.hpp"
// Where the emulator is built (not on Windows), an example can bring its own server.
#if __has_include("rr_emulator/emulator.hpp")
#include "rr_emulator/emulator.hpp"
#define EXAMPLE_HAS_EMULATOR 1
#endif

namespace example {

/// @brief The value of environment variable @p name, or "" when unset.
inline std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

/// @brief A client and, when no server was named, the emulator it talks to.
///
/// The emulator is declared first so that it is destroyed last: the client's pooled keep-alive
/// connections must close before the server stops. Not thread-safe to set up; the client is.
struct Session {
#ifdef EXAMPLE_HAS_EMULATOR
  /// The in-process emulator; null when RR_BASE_URL names a server.
  std::unique_ptr<rr_emulator::Emulator> emulator;
#endif
  /// The SDK client every example works with.
  std::unique_ptr<roserocket::Client> client;
};

/// @brief Builds the session described in this file's comment and prints which server it uses.
/// @throw roserocket::Error for incomplete RR_* settings; std::runtime_error if the emulator
/// cannot start.
inline Session connect() {
  Session session;
  roserocket::ClientOptions options;
  const std::string base_url = env("RR_BASE_URL");

  if (base_url.empty()) {
#ifndef EXAMPLE_HAS_EMULATOR
    throw std::runtime_error(
        "RR_BASE_URL is not set, and this build has no in-process emulator: start rr-emulator "
        "(or name your server) and set RR_BASE_URL, RR_CLIENT_ID and RR_CLIENT_SECRET");
#else
    // No server named: run the emulator right here, so the example needs no account at all.
    session.emulator = std::make_unique<rr_emulator::Emulator>();
    session.emulator->start();
    options.base_url = session.emulator->base_url();
    roserocket::OAuthOptions oauth;
    oauth.token_url = session.emulator->token_url();
    oauth.client_id = rr_emulator::kDemoClientId;
    oauth.client_secret = rr_emulator::kDemoClientSecret;
    options.token_provider = std::make_shared<roserocket::ClientCredentialsTokenProvider>(oauth);
    std::cout << "server: in-process emulator at " << options.base_url << " (demo credentials)\n";
#endif
  } else {
    // A server named: the SDK's own reading of the RR_* variables (ClientOptions::from_env).
    options = roserocket::ClientOptions::from_env();
    if (!env("RR_ACCESS_TOKEN").empty()) {
      // A pasted token works until it expires; it cannot be renewed.
      std::cout << "server: " << options.base_url << " (RR_ACCESS_TOKEN)\n";
    } else if (const auto* grant = dynamic_cast<const roserocket::CachingTokenProvider*>(
                   options.token_provider.get())) {
      std::cout << "server: " << options.base_url << " (client credentials at "
                << grant->options().token_url << ")\n";
    }
  }
  session.client = std::make_unique<roserocket::Client>(std::move(options));
  return session;
}

/// @brief Connects, runs @p body with the client, and turns any failure into one line on stderr
/// and exit status 1.
inline int run(const std::function<void(roserocket::Client&)>& body) {
  try {
    Session session = connect();
    body(*session.client);
    session.client.reset();  // close pooled connections before the emulator stops
    return 0;
  } catch (const roserocket::Error& e) {
    std::cerr << "failed: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "failed: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace example
