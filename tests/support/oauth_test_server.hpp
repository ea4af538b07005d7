#pragma once

// A small OAuth 2.0 authorization server plus a protected API, on 127.0.0.1, for tests.
//
// Grants: client_credentials, authorization_code (PKCE S256 required), refresh_token (rotating
// or not). Errors as RFC 6749 §5.2: invalid_client, invalid_grant, unsupported_grant_type,
// invalid_request. /authorize redirects at once with code and state (no human step).
// GET /api/v2/platformModel/objects/{id} answers 401 to an unknown or expired token.
// Counts token and API requests so tests can assert exact numbers.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "auth/crypto.hpp"

namespace rr_test {

class OAuthTestServer {
 public:
  struct Options {
    std::string client_id = "test-client";
    std::string client_secret = "test-client-secret";
    std::string audience = "https://roserocket.com";
    std::chrono::milliseconds access_ttl{std::chrono::hours(1)};
    bool rotate_refresh_tokens = true;
  };

  OAuthTestServer() : OAuthTestServer(Options{}) {}
  explicit OAuthTestServer(Options options) : options_(std::move(options)) {
    server_.Post("/oauth/token",
                 [this](const httplib::Request& q, httplib::Response& r) { token(q, r); });
    server_.Get("/authorize",
                [this](const httplib::Request& q, httplib::Response& r) { authorize(q, r); });
    server_.Get(R"(/api/v2/platformModel/objects/([^/]+))",
                [this](const httplib::Request& q, httplib::Response& r) { api(q, r); });
    // One request per connection: stop() would otherwise wait out idle keep-alive connections
    // that a pooled client transport still holds.
    server_.set_keep_alive_max_count(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::yield();
  }
  ~OAuthTestServer() {
    server_.stop();
    thread_.join();
  }
  OAuthTestServer(const OAuthTestServer&) = delete;
  OAuthTestServer& operator=(const OAuthTestServer&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string token_url() const { return base_url() + "/oauth/token"; }
  std::string authorize_url() const { return base_url() + "/authorize"; }
  const Options& options() const { return options_; }

  int token_requests() const { return token_requests_; }
  int token_requests(const std::string& grant) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = grants_.find(grant);
    return it == grants_.end() ? 0 : it->second;
  }
  int api_requests() const { return api_requests_; }
  int api_401s() const { return api_401s_; }
  int authorize_requests() const { return authorize_requests_; }

  // Every token and code handed out so far, so tests can check that none was printed.
  std::vector<std::string> issued_secrets() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return issued_;
  }

  // Makes every access token issued so far unknown (as if the server revoked them).
  void revoke_access_tokens() {
    std::lock_guard<std::mutex> lock(mutex_);
    access_.clear();
  }
  void set_access_ttl(std::chrono::milliseconds ttl) {
    std::lock_guard<std::mutex> lock(mutex_);
    options_.access_ttl = ttl;
  }
  // Issues a refresh token directly, as if a user had signed in earlier.
  std::string issue_refresh_token() {
    std::lock_guard<std::mutex> lock(mutex_);
    auto token = "rt-" + random_text();
    refresh_.insert(token);
    issued_.push_back(token);
    return token;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Code {
    std::string redirect_uri;
    std::string challenge;
  };

  static std::string random_text() { return roserocket::detail::random_urlsafe(18); }

  static void oauth_error(httplib::Response& r, int status, const std::string& error,
                          const std::string& description) {
    r.status = status;
    r.set_content(nlohmann::json{{"error", error}, {"error_description", description}}.dump(),
                  "application/json");
  }

  static std::string base64_decode(const std::string& in) {
    static const std::string kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int bits = 0;
    unsigned value = 0;
    for (char c : in) {
      const auto pos = kAlphabet.find(c);
      if (pos == std::string::npos)
        break;  // '=' padding ends it
      value = (value << 6) | static_cast<unsigned>(pos);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push_back(static_cast<char>((value >> bits) & 0xFF));
      }
    }
    return out;
  }

  void token(const httplib::Request& q, httplib::Response& r) {
    ++token_requests_;
    std::map<std::string, std::string> f;
    if (q.get_header_value("Content-Type").find("json") != std::string::npos) {
      const auto body = nlohmann::json::parse(q.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) {
        return oauth_error(r, 400, "invalid_request", "body is not a JSON object");
      }
      for (auto it = body.begin(); it != body.end(); ++it) {
        if (it->is_string())
          f[it.key()] = it->get<std::string>();
      }
    } else {
      httplib::Params params;
      httplib::detail::parse_query_text(q.body, params);
      for (auto& [k, v] : params)
        f[k] = v;
    }
    std::string id = f["client_id"];
    std::string secret = f["client_secret"];
    const auto auth = q.get_header_value("Authorization");
    if (auth.rfind("Basic ", 0) == 0) {
      const auto pair = base64_decode(auth.substr(6));
      const auto colon = pair.find(':');
      id = httplib::detail::decode_url(pair.substr(0, colon), true);
      secret = colon == std::string::npos
                   ? std::string()
                   : httplib::detail::decode_url(pair.substr(colon + 1), true);
    }
    const std::string grant = f["grant_type"];
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++grants_[grant];
    }
    if (id != options_.client_id || secret != options_.client_secret) {
      return oauth_error(r, 401, "invalid_client", "Client authentication failed");
    }
    std::lock_guard<std::mutex> lock(mutex_);
    bool with_refresh = false;
    if (grant == "client_credentials") {
      if (f["audience"] != options_.audience) {
        return oauth_error(r, 403, "access_denied", "unknown audience");
      }
    } else if (grant == "authorization_code") {
      auto it = codes_.find(f["code"]);
      if (it == codes_.end()) {
        return oauth_error(r, 400, "invalid_grant", "Invalid authorization code");
      }
      const Code code = it->second;
      codes_.erase(it);  // single use
      if (code.redirect_uri != f["redirect_uri"]) {
        return oauth_error(r, 400, "invalid_grant", "redirect_uri does not match");
      }
      if (roserocket::detail::pkce_s256_challenge(f["code_verifier"]) != code.challenge) {
        return oauth_error(r, 400, "invalid_grant", "Failed to verify code verifier");
      }
      with_refresh = true;
    } else if (grant == "refresh_token") {
      auto it = refresh_.find(f["refresh_token"]);
      if (it == refresh_.end()) {
        return oauth_error(r, 400, "invalid_grant", "Unknown or invalid refresh token.");
      }
      if (options_.rotate_refresh_tokens)
        refresh_.erase(it);
      with_refresh = options_.rotate_refresh_tokens;
    } else {
      return oauth_error(r, 400, "unsupported_grant_type", "Unsupported grant type: " + grant);
    }
    const std::string access = "at-" + random_text();
    access_[access] = Clock::now() + options_.access_ttl;
    issued_.push_back(access);
    const auto ttl_ms = options_.access_ttl.count();
    nlohmann::json body{
        {"access_token", access}, {"token_type", "Bearer"}, {"expires_in", (ttl_ms + 999) / 1000}};
    if (with_refresh) {
      const std::string refresh = "rt-" + random_text();
      refresh_.insert(refresh);
      issued_.push_back(refresh);
      body["refresh_token"] = refresh;
    }
    r.set_content(body.dump(), "application/json");
  }

  void authorize(const httplib::Request& q, httplib::Response& r) {
    ++authorize_requests_;
    if (q.get_param_value("client_id") != options_.client_id ||
        q.get_param_value("redirect_uri").empty()) {
      r.status = 400;
      r.set_content("unknown client or no redirect_uri", "text/plain");
      return;
    }
    const std::string redirect = q.get_param_value("redirect_uri");
    const std::string state = q.get_param_value("state");
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&");
    if (q.get_param_value("response_type") != "code" ||
        q.get_param_value("code_challenge_method") != "S256" ||
        q.get_param_value("code_challenge").empty()) {
      location += "error=invalid_request&error_description=PKCE+S256+required&state=" +
                  httplib::detail::encode_query_param(state);
    } else {
      const std::string code = "code-" + random_text();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        codes_[code] = Code{redirect, q.get_param_value("code_challenge")};
        issued_.push_back(code);
      }
      location += "code=" + httplib::detail::encode_query_param(code) +
                  "&state=" + httplib::detail::encode_query_param(state);
    }
    r.status = 302;
    r.set_header("Location", location);
  }

  void api(const httplib::Request& q, httplib::Response& r) {
    ++api_requests_;
    const auto auth = q.get_header_value("Authorization");
    bool ok = false;
    if (auth.rfind("Bearer ", 0) == 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = access_.find(auth.substr(7));
      ok = it != access_.end() && Clock::now() < it->second;
    }
    if (!ok) {
      ++api_401s_;
      r.status = 401;
      r.set_content(R"({"statusCode":401,"message":"Unauthorized"})", "application/json");
      return;
    }
    r.set_content(nlohmann::json{{"id", q.matches[1].str()}, {"objectKey", "customer"}}.dump(),
                  "application/json");
  }

  Options options_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, Clock::time_point> access_;
  std::set<std::string> refresh_;
  std::map<std::string, Code> codes_;
  std::map<std::string, int> grants_;
  std::vector<std::string> issued_;
  std::atomic<int> token_requests_{0};
  std::atomic<int> api_requests_{0};
  std::atomic<int> api_401s_{0};
  std::atomic<int> authorize_requests_{0};
};

}  // namespace rr_test
