#pragma once

// Helpers for the auth unit tests: a controllable clock and a fake token endpoint answering
// through MockTransport.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "http/url.hpp"
#include "roserocket/roserocket.hpp"
#include "roserocket/testing/mock_transport.hpp"

namespace auth_test {

// A wall clock the test moves by hand.
struct ManualClock {
  std::atomic<long long> seconds{1'700'000'000};
  roserocket::Clock clock() {
    roserocket::Clock c = roserocket::Clock::real();
    c.system_now = [this] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(seconds.load()));
    };
    c.sleep = [](std::chrono::milliseconds) {};
    return c;
  }
  void advance(long long s) { seconds += s; }
};

// The fields of a token request, whether form- or JSON-encoded.
inline std::map<std::string, std::string> fields_of(const roserocket::HttpRequest& request) {
  std::map<std::string, std::string> out;
  const auto type = request.headers.get("Content-Type").value_or("");
  if (type.find("json") != std::string::npos) {
    const auto body = nlohmann::json::parse(request.body);
    for (auto it = body.begin(); it != body.end(); ++it)
      out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();  // arrays as JSON
  } else {
    for (auto& [k, v] : roserocket::detail::parse_query(request.body))
      out[k] = v;
  }
  return out;
}

// A token endpoint that issues "access-N" (and "refresh-N" when rotating) tokens.
struct FakeTokenEndpoint {
  std::mutex mutex;
  int issued = 0;
  int expires_in = 3600;
  bool rotate = true;
  std::atomic<int> token_requests{0};

  roserocket::HttpResponse answer(const roserocket::HttpRequest& request) {
    ++token_requests;
    std::lock_guard<std::mutex> lock(mutex);
    ++issued;
    nlohmann::json body{{"access_token", "access-" + std::to_string(issued)},
                        {"token_type", "Bearer"},
                        {"expires_in", expires_in}};
    if (rotate && fields_of(request)["grant_type"] != "client_credentials") {
      body["refresh_token"] = "refresh-" + std::to_string(issued);
    }
    return {200, {{"Content-Type", "application/json"}}, body.dump()};
  }
};

inline roserocket::HttpResponse json_response(int status, const nlohmann::json& body) {
  return {status, {{"Content-Type", "application/json"}}, body.dump()};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace auth_test
