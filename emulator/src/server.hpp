#pragma once

// Routing: which handler answers which method and path, bearer checks, error mapping, and the
// pre-routing hook that counts requests and injects faults.

#include <functional>

#include <httplib.h>

#include "core.hpp"
#include "faults.hpp"
#include "oauth.hpp"
#include "pacing.hpp"
#include "webhooks.hpp"

namespace rr_emulator::detail {

/// @brief The API prefix every platform route lives under.
inline constexpr const char* kApiPrefix = "/api/v2/platformModel";

/// @brief Everything the handlers use.
struct Services {
  Core& core;
  OAuthServer& oauth;
  FaultTable& faults;
  StatsCounter& stats;
  WebhookDispatcher& webhooks;
  Pacing& pacing;
};

/// @brief A platform API handler: runs only with a valid bearer token, as @p caller.
using ApiHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Caller& caller)>;

/// @brief Wraps @p handler with the bearer check (401 NestJS body) and ApiError mapping.
httplib::Server::Handler api_route(Services& services, ApiHandler handler);

/// Largest request body read; a larger Content-Length is answered 413 before any is read.
inline constexpr std::size_t kMaxBodyBytes = 8 * 1024 * 1024;

/// @brief The body limit, and an exception handler that answers a plain 500 (httplib's default
/// puts the exception's text in an EXCEPTION_WHAT header).
void harden(httplib::Server& server);

/// @brief Installs every route: OAuth, platform API, admin and the catch-all 404s.
void install_routes(httplib::Server& server, Services& services);

/// @brief Forgets all data (saving the emptied state), faults and counters; tokens stay valid.
void reset_everything(Services& services);

/// @brief Installs the /objects routes (objects_routes.cpp).
void install_object_routes(httplib::Server& server, Services& services);

}  // namespace rr_emulator::detail
