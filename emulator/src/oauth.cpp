#include "oauth.hpp"

#include <nlohmann/json.hpp>

#include "core/json_limits.hpp"
#include "util.hpp"

namespace rr_emulator::detail {
namespace {

using Json = nlohmann::json;
using Params = std::map<std::string, std::string>;

// RFC 6749 §5.2 errors travel as exceptions inside token(); never carrying a secret.
struct OAuthError {
  int status;
  std::string error;
  std::string description;
};

[[noreturn]] void fail(int status, const std::string& error, const std::string& description) {
  throw OAuthError{status, error, description};
}

std::string get(const Params& p, const std::string& key) {
  auto it = p.find(key);
  return it == p.end() ? std::string() : it->second;
}

// Compares without an early exit so timing does not leak how much of a secret matched.
bool same_secret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

Params token_params(const httplib::Request& req) {
  const std::string type = lower(req.get_header_value("Content-Type"));
  if (req.body.empty())
    return {};
  if (type.rfind("application/json", 0) == 0) {
    roserocket::detail::JsonParse outcome = roserocket::detail::JsonParse::kOk;
    Json body = roserocket::detail::parse_json_limited(req.body, outcome);
    if (outcome == roserocket::detail::JsonParse::kTooDeep) {
      fail(400, "invalid_request",
           "the request body is " + roserocket::detail::describe_parse_failure(outcome));
    }
    if (outcome != roserocket::detail::JsonParse::kOk || !body.is_object()) {
      fail(400, "invalid_request", "the request body is not a JSON object");
    }
    Params out;
    for (const auto& [key, value] : body.items()) {
      if (value.is_string()) {
        out[key] = value.get<std::string>();
      } else if (!value.is_null()) {
        out[key] = value.dump();
      }
    }
    return out;
  }
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    // Bodies are read after the pre-routing UTF-8 check, so a form's decoded fields are
    // checked here (JSON bodies: nlohmann refuses what is not UTF-8).
    Params form = parse_form(req.body);
    for (const auto& [key, value] : form) {
      if (!roserocket::detail::is_valid_utf8(key) || !roserocket::detail::is_valid_utf8(value))
        fail(400, "invalid_request", "the request body is not valid UTF-8");
    }
    return form;
  }
  fail(400, "invalid_request",
       "the body must be application/x-www-form-urlencoded or application/json");
}

bool has_scope(const std::string& scope, const std::string& wanted) {
  for (const auto& s : split(scope, ' ')) {
    if (s == wanted)
      return true;
  }
  return false;
}

std::string with_query(const std::string& uri, const std::string& query) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + query;
}

bool basic_auth_attempted(const httplib::Request& req) {
  return lower(req.get_header_value("Authorization").substr(0, 6)) == "basic ";
}

// The issuer of ID tokens and the audience of client assertions: the URL the client used.
std::string base_url_of(const httplib::Request& req) {
  return "http://" + req.get_header_value("Host");
}

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

void no_store(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("Pragma", "no-cache");
}

}  // namespace

OAuthServer::OAuthServer(const Options& options) : options_(options), jwt_(options) {}

void OAuthServer::token(const httplib::Request& req, httplib::Response& res,
                        const std::function<void(const std::string&)>& count_grant) {
  no_store(res);
  try {
    Params p;
    try {
      p = token_params(req);
    } catch (const OAuthError&) {
      count_grant("(none)");
      throw;
    }
    const std::string grant = get(p, "grant_type");
    count_grant(grant.empty() ? "(none)" : grant);
    if (grant.empty())
      fail(400, "invalid_request", "grant_type is required");
    if (grant != "client_credentials" && grant != "authorization_code" &&
        grant != "refresh_token") {
      fail(400, "unsupported_grant_type", "grant_type " + grant + " is not supported");
    }

    // Client authentication: client_secret_basic or client_secret_post, not both.
    std::string client_id = get(p, "client_id");
    std::string secret = get(p, "client_secret");
    bool secret_given = p.count("client_secret") != 0;
    const std::string auth = req.get_header_value("Authorization");
    const bool basic = lower(auth.substr(0, 6)) == "basic ";
    if (basic) {
      std::string decoded;
      auto colon = std::string::npos;
      if (base64_decode(auth.substr(6), decoded))
        colon = decoded.find(':');
      if (colon == std::string::npos) {
        fail(401, "invalid_client", "malformed Basic authorization header");
      }
      if (secret_given) {
        fail(400, "invalid_request", "use one client authentication method, not two");
      }
      const std::string basic_id = url_decode(decoded.substr(0, colon), true);
      if (!client_id.empty() && client_id != basic_id) {
        fail(400, "invalid_request", "client_id differs from the Basic authorization header");
      }
      client_id = basic_id;
      secret = url_decode(decoded.substr(colon + 1), true);
      secret_given = true;
    }
    // private_key_jwt (RFC 7523 §2.2): a signed assertion instead of a secret.
    bool assertion_checked = false;
    if (p.count("client_assertion_type") != 0 || p.count("client_assertion") != 0) {
      if (secret_given || basic)
        fail(400, "invalid_request", "use one client authentication method, not two");
      if (get(p, "client_assertion_type") != kJwtBearer)
        fail(400, "invalid_request", "client_assertion_type must be the jwt-bearer URN");
      const std::string assertion = get(p, "client_assertion");
      if (client_id.empty()) {  // RFC 7523 §3: client_id is optional; the assertion's iss names it
        try {
          client_id = roserocket::detail::jose::parse_jws(assertion).payload.value("iss", "");
        } catch (const std::exception&) {
          client_id.clear();
        }
      }
      if (client_id != options_.client_id)
        fail(401, "invalid_client", "unknown client");
      const std::string problem =
          jwt_.check_assertion(assertion, client_id, base_url_of(req) + "/oauth/token");
      if (!problem.empty())
        fail(401, "invalid_client", problem);
      assertion_checked = true;
      secret_given = true;  // from here on: "the client authenticated"
    }
    if (client_id.empty())
      fail(401, "invalid_client", "client authentication is required");
    if (client_id != options_.client_id)
      fail(401, "invalid_client", "unknown client");
    if (secret_given && !assertion_checked && !same_secret(secret, options_.client_secret)) {
      fail(401, "invalid_client", "client authentication failed");
    }

    std::unique_lock<std::mutex> lock(mutex_);
    if (grant == "client_credentials") {
      if (!secret_given)
        fail(401, "invalid_client", "client authentication is required");
      lock.unlock();
      issue(res, client_id, get(p, "scope"), false, base_url_of(req));
      return;
    }
    if (grant == "authorization_code") {
      const std::string code_text = get(p, "code");
      if (code_text.empty())
        fail(400, "invalid_request", "code is required");
      auto it = codes_.find(code_text);
      if (it == codes_.end()) {
        fail(400, "invalid_grant", "the authorization code is invalid, expired or already used");
      }
      // Single use: the code is spent by this attempt whatever happens next.
      Code code = it->second;
      codes_.erase(it);
      lock.unlock();
      if (Clock::now() >= code.expires) {
        fail(400, "invalid_grant", "the authorization code is invalid, expired or already used");
      }
      if (code.client_id != client_id) {
        fail(400, "invalid_grant", "the authorization code was issued to another client");
      }
      if (!code.redirect_uri.empty() && get(p, "redirect_uri") != code.redirect_uri) {
        fail(400, "invalid_grant", "redirect_uri does not match the authorization request");
      }
      if (code.challenge.empty()) {
        if (!secret_given)
          fail(401, "invalid_client", "client authentication is required");
      } else {
        const std::string verifier = get(p, "code_verifier");
        if (verifier.empty())
          fail(400, "invalid_grant", "code_verifier is required (PKCE)");
        const std::string expected =
            code.method == "S256" ? base64url_encode(sha256(verifier)) : verifier;
        if (expected != code.challenge) {
          fail(400, "invalid_grant", "code_verifier does not match the code_challenge");
        }
      }
      issue(res, client_id, code.scope, true, base_url_of(req), code.nonce);
      return;
    }
    // refresh_token, with rotation: the presented token stops working now.
    const std::string presented = get(p, "refresh_token");
    if (presented.empty())
      fail(400, "invalid_request", "refresh_token is required");
    auto it = refresh_.find(presented);
    if (it == refresh_.end()) {
      fail(400, "invalid_grant", "the refresh token is invalid or was already used");
    }
    if (it->second.client_id != client_id) {
      fail(400, "invalid_grant", "the refresh token was issued to another client");
    }
    if (!secret_given)
      fail(401, "invalid_client", "client authentication is required");
    const std::string scope = it->second.scope;
    refresh_.erase(it);
    lock.unlock();
    issue(res, client_id, scope, true, base_url_of(req));
  } catch (const OAuthError& e) {
    if (e.status == 401 && basic_auth_attempted(req)) {
      res.set_header("WWW-Authenticate", "Basic realm=\"rr-emulator\"");
    }
    res.status = e.status;
    res.set_content(Json{{"error", e.error}, {"error_description", e.description}}.dump(),
                    "application/json");
  }
}

void OAuthServer::issue(httplib::Response& res, const std::string& client_id,
                        const std::string& scope, bool may_refresh, const std::string& issuer,
                        const std::string& nonce) {
  const auto now = Clock::now();
  const auto ttl = options_.token_ttl;
  // JWT-shaped like the real tokens; the emulator checks them by lookup, not by signature.
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const Json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  const Json payload = {{"iss", "rr-emulator"},
                        {"sub", options_.user_id},
                        {"aud", "https://roserocket.com"},
                        {"iat", iat},
                        {"exp", iat + ttl.count()},
                        {"org_id", options_.org_id},
                        {"user_id", options_.user_id},
                        {"azp", client_id}};
  const std::string access = base64url_encode(header.dump()) + "." +
                             base64url_encode(payload.dump()) + "." + random_token(32);
  Json body = {{"access_token", access}, {"token_type", "Bearer"}, {"expires_in", ttl.count()}};
  if (!scope.empty())
    body["scope"] = scope;
  if (has_scope(scope, "openid") && !issuer.empty()) {
    // OpenID Connect: an RS256 ID token, checked by clients against /.well-known/jwks.json.
    Json id = {{"iss", issuer}, {"sub", options_.user_id},  {"aud", client_id},
               {"iat", iat},    {"exp", iat + ttl.count()}, {"org_id", options_.org_id}};
    if (!nonce.empty())
      id["nonce"] = nonce;
    if (has_scope(scope, "email"))
      id["email"] = options_.user_id + "@rr-emulator.invalid";
    if (has_scope(scope, "profile"))
      id["name"] = "Emulator User";
    body["id_token"] = jwt_.sign(id);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = access_.begin(); it != access_.end();) {
    it = it->second.expires <= now ? access_.erase(it) : std::next(it);
  }
  access_[access] = AccessToken{options_.user_id, now + ttl};
  if (may_refresh && has_scope(scope, "offline_access")) {
    const std::string refresh = random_token(32);
    refresh_[refresh] = RefreshToken{client_id, options_.user_id, scope};
    body["refresh_token"] = refresh;
  }
  res.status = 200;
  res.set_content(body.dump(), "application/json");
}

void OAuthServer::authorize(const httplib::Request& req, httplib::Response& res) {
  auto param = [&](const char* name) {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
  };
  auto error_page = [&](const std::string& error, const std::string& description) {
    res.status = 400;
    res.set_content(Json{{"error", error}, {"error_description", description}}.dump(),
                    "application/json");
  };
  const std::string client_id = param("client_id");
  const std::string redirect_uri = param("redirect_uri");
  // Until client and redirect URI are trusted, errors are shown here, never redirected.
  if (client_id.empty())
    return error_page("invalid_request", "client_id is required");
  if (client_id != options_.client_id)
    return error_page("invalid_client", "unknown client");
  if (redirect_uri.rfind("http://", 0) != 0 && redirect_uri.rfind("https://", 0) != 0) {
    return error_page("invalid_request", "redirect_uri must be an absolute http(s) URI");
  }
  const std::string state = param("state");
  auto redirect_error = [&](const std::string& error, const std::string& description) {
    std::string q = "error=" + error + "&error_description=" + url_encode(description);
    if (!state.empty())
      q += "&state=" + url_encode(state);
    q += "&iss=" + url_encode(issuer_);  // RFC 9207, on errors too
    res.set_redirect(with_query(redirect_uri, q), 302);
  };
  if (param("response_type") != "code") {
    return redirect_error("unsupported_response_type", "response_type must be code");
  }
  const std::string challenge = param("code_challenge");
  std::string method = param("code_challenge_method");
  if (!method.empty() && challenge.empty()) {
    return redirect_error("invalid_request", "code_challenge_method without code_challenge");
  }
  if (!challenge.empty() && method.empty())
    method = "plain";
  if (!challenge.empty() && method != "S256" && method != "plain") {
    return redirect_error("invalid_request", "code_challenge_method must be S256 or plain");
  }
  const std::string code = random_token(32);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    for (auto it = codes_.begin(); it != codes_.end();) {
      it = it->second.expires <= now ? codes_.erase(it) : std::next(it);
    }
    codes_[code] = Code{client_id,     redirect_uri,   challenge,
                        method,        param("scope"), now + options_.code_ttl,
                        param("nonce")};
  }
  std::string q = "code=" + code;
  if (!state.empty())
    q += "&state=" + url_encode(state);
  q += "&iss=" + url_encode(issuer_);
  res.set_redirect(with_query(redirect_uri, q), 302);
}

void OAuthServer::discovery(const httplib::Request& /*req*/, httplib::Response& res) {
  const std::string& issuer = issuer_;
  const Json body{
      {"issuer", issuer},
      {"authorization_endpoint", issuer + "/authorize"},
      {"token_endpoint", issuer + "/oauth/token"},
      {"jwks_uri", issuer + "/.well-known/jwks.json"},
      {"response_types_supported", Json::array({"code"})},
      {"grant_types_supported",
       Json::array({"authorization_code", "client_credentials", "refresh_token"})},
      {"code_challenge_methods_supported", Json::array({"S256", "plain"})},
      {"token_endpoint_auth_methods_supported",
       Json::array({"client_secret_post", "client_secret_basic", "private_key_jwt"})},
      {"token_endpoint_auth_signing_alg_values_supported", Json::array({"RS256", "ES256"})},
      {"subject_types_supported", Json::array({"public"})},
      {"id_token_signing_alg_values_supported", Json::array({"RS256"})},
      {"scopes_supported", Json::array({"openid", "profile", "email", "offline_access"})},
      {"authorization_response_iss_parameter_supported", true},
  };
  res.set_content(body.dump(), "application/json");
}

void OAuthServer::jwks(const httplib::Request& /*req*/, httplib::Response& res) {
  res.status = 200;
  res.set_content(jwt_.jwks().dump(), "application/json");
}

std::optional<std::string> OAuthServer::authenticate(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.size() <= 7 || lower(auth.substr(0, 7)) != "bearer ")
    return std::nullopt;
  const std::string token = auth.substr(7);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = access_.find(token);
  if (it == access_.end())
    return std::nullopt;
  if (Clock::now() >= it->second.expires) {
    access_.erase(it);
    return std::nullopt;
  }
  return it->second.user_id;
}

}  // namespace rr_emulator::detail
