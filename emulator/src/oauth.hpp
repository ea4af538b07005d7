#pragma once

// The OAuth 2.0 authorization server: POST /oauth/token (client_credentials,
// authorization_code with PKCE, refresh_token with rotation), GET /authorize, and bearer token
// checks for the API. Tokens live in memory only.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <httplib.h>

#include "oauth_jwt.hpp"
#include "rr_emulator/emulator.hpp"

namespace rr_emulator::detail {

/// @brief Issues and checks tokens. Thread-safe (one internal lock).
class OAuthServer {
 public:
  explicit OAuthServer(const Options& options);

  /// @brief POST /oauth/token; @p count_grant is told the grant_type asked for.
  void token(const httplib::Request& req, httplib::Response& res,
             const std::function<void(const std::string&)>& count_grant);
  /// @brief GET /authorize: approves at once and redirects with a code.
  void authorize(const httplib::Request& req, httplib::Response& res);
  /// @brief GET /.well-known/openid-configuration: the OpenID Provider metadata.
  void discovery(const httplib::Request& req, httplib::Response& res);
  /// @brief Sets the issuer identifier, the emulator's base URL "http://HOST:PORT"; called by
  /// `start()` once the port is bound, before any request is served.
  void set_issuer(std::string issuer) { issuer_ = std::move(issuer); }
  /// @brief The issuer identifier (the emulator's base URL).
  [[nodiscard]] const std::string& issuer() const noexcept { return issuer_; }
  /// @brief GET /.well-known/jwks.json: the key set that signs ID tokens.
  void jwks(const httplib::Request& req, httplib::Response& res);
  /// @brief The user id of a valid bearer token in @p req, or nothing.
  std::optional<std::string> authenticate(const httplib::Request& req);

 private:
  using Clock = std::chrono::steady_clock;
  struct AccessToken {
    std::string user_id;
    Clock::time_point expires;
  };
  struct RefreshToken {
    std::string client_id;
    std::string user_id;
    std::string scope;
  };
  struct Code {
    std::string client_id;
    std::string redirect_uri;
    std::string challenge;
    std::string method;
    std::string scope;
    Clock::time_point expires;
    std::string nonce;  // OpenID: goes into the ID token of the exchange
  };

  void issue(httplib::Response& res, const std::string& client_id, const std::string& scope,
             bool may_refresh, const std::string& issuer = {}, const std::string& nonce = {});

  const Options& options_;
  std::string issuer_;  // written before serving starts, then only read
  JwtKeys jwt_;
  std::mutex mutex_;
  std::map<std::string, AccessToken> access_;
  std::map<std::string, RefreshToken> refresh_;
  std::map<std::string, Code> codes_;
};

}  // namespace rr_emulator::detail
