#include "server.hpp"

#include <chrono>
#include <thread>

#include "boards.hpp"
#include "compression.hpp"
#include "core/json_limits.hpp"
#include "events.hpp"
#include "http_util.hpp"
#include "user_groups.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

constexpr const char* kAdminPrefix = "/__emulator";

std::string api_path(const char* suffix) {
  return std::string(kApiPrefix) + suffix;
}

// Query parameters for /events; repeated ones (inTypes=a&inTypes=b) are joined by commas.
std::map<std::string, std::string> joined_params(const httplib::Request& req) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : req.params) {
    auto& slot = out[key];
    slot = slot.empty() ? value : slot + "," + value;
  }
  return out;
}

// The decoded path and every query parameter must be UTF-8. (The body is not read yet here:
// JSON parsing refuses what is not UTF-8, and the token endpoint checks its form fields.)
bool valid_utf8_request(const httplib::Request& req) {
  using roserocket::detail::is_valid_utf8;
  if (!is_valid_utf8(req.path))
    return false;
  for (const auto& [key, value] : req.params) {
    if (!is_valid_utf8(key) || !is_valid_utf8(value))
      return false;
  }
  return true;
}

// A request answered here has not had its body read: on a kept-alive connection the body would
// then be parsed as the next request. Such an answer closes the connection instead.
void close_if_body_unread(const httplib::Request& req, httplib::Response& res) {
  const std::string length = req.get_header_value("Content-Length");
  if ((!length.empty() && length != "0") || req.has_header("Transfer-Encoding"))
    res.set_header("Connection", "close");
}

// Counts the request and answers it from a matching fault, if any; a delay fault only waits.
httplib::Server::HandlerResponse pre_route(Services& s, const httplib::Request& req,
                                           httplib::Response& res) {
  // Every answer, faults and errors included, carries a request id, as the platform's load
  // balancers add one. Handlers only add headers, so this one stays.
  res.set_header("x-request-id", uuid_v4());
  // Text that is not UTF-8 is refused at the edge: stored, it would break every later answer.
  if (!valid_utf8_request(req)) {
    send_nest_error(res, 400, "The request contains text that is not valid UTF-8");
    return httplib::Server::HandlerResponse::Handled;
  }
  if (req.path.rfind(kAdminPrefix, 0) == 0)
    return httplib::Server::HandlerResponse::Unhandled;
  if (req.path.rfind(kApiPrefix, 0) == 0) {
    s.stats.count_api(req.method, req.path);
    // Latency first (a throttled answer crosses the WAN too), then the rate limit.
    if (const int latency = s.pacing.latency_ms(); latency > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    if (const int retry_after = s.pacing.admit(); retry_after > 0) {
      res.set_header("Retry-After", std::to_string(retry_after));
      send_nest_error(res, 429, "ThrottlerException: Too Many Requests");
      close_if_body_unread(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
  }
  auto fault = s.faults.take(req.method, req.path);
  if (!fault)
    return httplib::Server::HandlerResponse::Unhandled;
  s.stats.count_fault();
  if (fault->kind == FaultKind::kDelay) {
    std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
    return httplib::Server::HandlerResponse::Unhandled;
  }
  if (fault->kind == FaultKind::kCommitThenDrop) {
    mark_answer_lost(res);  // the handler runs (and commits); post-routing tears its answer
    return httplib::Server::HandlerResponse::Unhandled;
  }
  serve_fault(*fault, res);
  close_if_body_unread(req, res);
  return httplib::Server::HandlerResponse::Handled;
}

void install_admin_routes(httplib::Server& server, Services& s) {
  auto admin = [](auto fn) {
    return [fn](const httplib::Request& req, httplib::Response& res) {
      try {
        fn(req, res);
      } catch (const ApiError& e) {
        send_nest_error(res, e.status(), e.message());
      }
    };
  };
  const std::string prefix = kAdminPrefix;
  server.Post(prefix + "/faults", admin([&s](const auto& req, auto& res) {
                const Json body = parse_json_object(req);
                Fault fault = fault_from_json(body);
                s.faults.add(fault);
                send_json(res, 201, body);
              }));
  server.Delete(prefix + "/faults", admin([&s](const auto&, auto& res) {
                  s.faults.clear();
                  res.status = 204;
                }));
  server.Get(prefix + "/stats", admin([&s](const auto&, auto& res) {
               send_json(res, 200, stats_to_json(s.stats.snapshot()));
             }));
  server.Put(prefix + "/pacing", admin([&s](const auto& req, auto& res) {
               const Json body = parse_json_object(req);
               const auto latency = body.value("latencyMs", Json(0));
               const auto rate = body.value("rateLimitPerSecond", Json(0));
               if (!latency.is_number_integer() || latency.get<long long>() < 0 ||
                   latency.get<long long>() > 600000 || !rate.is_number() ||
                   rate.get<double>() < 0) {
                 throw ApiError(400,
                                "latencyMs must be an integer from 0 to 600000 and "
                                "rateLimitPerSecond a number of at least 0");
               }
               s.pacing.set(latency.get<int>(), rate.get<double>());
               send_json(res, 200,
                         Json{{"latencyMs", s.pacing.latency_ms()},
                              {"rateLimitPerSecond", s.pacing.rate_limit()}});
             }));
  server.Put(
      prefix + "/search-lag", admin([&s](const auto& req, auto& res) {
        const Json body = parse_json_object(req);
        const auto lag = body.value("lagMs", Json());
        if (!lag.is_number_integer() || lag.get<long long>() < 0 || lag.get<long long>() > 600000) {
          throw ApiError(400, "lagMs must be an integer from 0 to 600000");
        }
        std::lock_guard<std::mutex> lock(s.core.mutex);
        s.core.state.search_index.lag = std::chrono::milliseconds(lag.get<long long>());
        send_json(res, 200, Json{{"lagMs", lag}});
      }));
  server.Post(prefix + "/reset", admin([&s](const auto&, auto& res) {
                reset_everything(s);
                res.status = 204;
              }));
  install_webhook_routes(server, s.webhooks);
}

void install_platform_routes(httplib::Server& server, Services& s) {
  Core& core = s.core;
  server.Get(api_path("/boards/nav"),
             api_route(s, [&core](const auto& req, auto& res, const auto&) {
               std::lock_guard<std::mutex> lock(core.mutex);
               send_json(res, 200, boards_nav(core.state, query(req, "objectKey")));
             }));

  server.Get(api_path("/events"), api_route(s, [&core](const auto& req, auto& res, const auto&) {
               std::lock_guard<std::mutex> lock(core.mutex);
               send_json(res, 200, list_events(core.state, joined_params(req)));
             }));
  server.Post(api_path("/events"),
              api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                const Json body = parse_json_object(req);
                std::lock_guard<std::mutex> lock(core.mutex);
                Json out = create_event(core.state, who, body);
                core.persist();
                send_json(res, 200, out);
              }));

  server.Get(api_path("/userGroups"), api_route(s, [&core](const auto&, auto& res, const auto&) {
               std::lock_guard<std::mutex> lock(core.mutex);
               send_json(res, 200, list_user_groups(core.state));
             }));
  server.Post(api_path("/userGroups"),
              api_route(s, [&core](const auto& req, auto& res, const auto&) {
                const Json body = parse_json_object(req);
                std::lock_guard<std::mutex> lock(core.mutex);
                Json out = create_user_group(core.state, body);
                core.persist();
                send_json(res, 200, out);
              }));
  server.Post(api_path("/userGroups/search"),
              api_route(s, [&core](const auto& req, auto& res, const auto&) {
                const Json body = parse_json_object(req);
                std::lock_guard<std::mutex> lock(core.mutex);
                send_json(res, 200, search_user_groups(core.state, body));
              }));
  const std::string members = api_path("/userGroups/([^/]+)/members");
  server.Get(members, api_route(s, [&core](const auto& req, auto& res, const auto&) {
               std::lock_guard<std::mutex> lock(core.mutex);
               send_json(res, 200, list_members(core.state, req.matches[1]));
             }));
  server.Post(members, api_route(s, [&core](const auto& req, auto& res, const auto& who) {
                const Json body = parse_json_object(req);
                std::lock_guard<std::mutex> lock(core.mutex);
                Json out = change_members(core.state, who, req.matches[1], body);
                core.persist();
                send_json(res, 200, out);
              }));

  install_object_routes(server, s);
}

void install_not_found(httplib::Server& server) {
  // Registered last, so only requests no other route took get here (NestJS's wording).
  auto not_found_route = [](const httplib::Request& req, httplib::Response& res) {
    send_nest_error(res, 404, "Cannot " + req.method + " " + req.path);
  };
  server.Get(".*", not_found_route);
  server.Post(".*", not_found_route);
  server.Put(".*", not_found_route);
  server.Patch(".*", not_found_route);
  server.Delete(".*", not_found_route);
}

}  // namespace

httplib::Server::Handler api_route(Services& services, ApiHandler handler) {
  return [&services, handler = std::move(handler)](const httplib::Request& req,
                                                   httplib::Response& res) {
    auto user = services.oauth.authenticate(req);
    if (!user)
      return send_nest_error(res, 401, "Unauthorized");
    Caller caller{*user, services.core.options.org_id,
                  iso_now(services.core.options.timestamp_resolution)};
    try {
      handler(req, res, caller);
    } catch (const ApiError& e) {
      send_nest_error(res, e.status(), e.message());
    } catch (const Json::type_error&) {
      // A body field of the wrong JSON type (a number where text belongs, ...).
      send_nest_error(res, 400, "A field of the request has the wrong type");
    } catch (const std::exception&) {
      // Never echo internals (or request data) back; the status says enough.
      send_nest_error(res, 500, "Internal server error");
    }
    // Webhooks for whatever this call changed; queued only, delivered by another thread.
    services.webhooks.after_change(services.core);
  };
}

void reset_everything(Services& services) {
  {
    std::lock_guard<std::mutex> lock(services.core.mutex);
    const auto lag = services.core.state.search_index.lag;
    services.core.state = State{};
    services.core.state.search_index.lag = lag;
    services.core.persist();
  }
  services.faults.clear();
  services.stats.reset();
  services.webhooks.reset();
}

void harden(httplib::Server& server) {
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_nest_error(res, 500, "Internal server error");
      });
}

void install_routes(httplib::Server& server, Services& s) {
  server.set_pre_routing_handler(
      [&s](const httplib::Request& req, httplib::Response& res) { return pre_route(s, req, res); });
  server.Post("/oauth/token", [&s](const httplib::Request& req, httplib::Response& res) {
    s.oauth.token(req, res, [&s](const std::string& grant) { s.stats.count_token(grant); });
  });
  server.Get("/.well-known/jwks.json",
             [&s](const httplib::Request& req, httplib::Response& res) { s.oauth.jwks(req, res); });
  server.Get("/authorize", [&s](const httplib::Request& req, httplib::Response& res) {
    s.oauth.authorize(req, res);
  });
  server.Get(
      "/.well-known/openid-configuration",
      [&s](const httplib::Request& req, httplib::Response& res) { s.oauth.discovery(req, res); });
  install_admin_routes(server, s);
  install_platform_routes(server, s);
  install_not_found(server);
  server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    compress_if_asked(req, res);
    lose_answer_if_marked(res);
  });
}

}  // namespace rr_emulator::detail
