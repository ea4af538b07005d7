#include "oauth_jwt.hpp"

#include <chrono>
#include <stdexcept>

#include "util.hpp"

namespace rr_emulator::detail {
namespace {

namespace jose = roserocket::detail::jose;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool audience_names(const nlohmann::json& aud, const std::string& token_url) {
  if (aud.is_string())
    return aud.get<std::string>() == token_url;
  if (aud.is_array()) {
    for (const auto& a : aud) {
      if (a.is_string() && a.get<std::string>() == token_url)
        return true;
    }
  }
  return false;
}

}  // namespace

JwtKeys::JwtKeys(const Options& options) {
  if (!options.client_public_key_pem.empty()) {
    try {
      client_key_ = jose::Key::from_public_pem(options.client_public_key_pem);
    } catch (const jose::JoseError& e) {
      throw std::invalid_argument(std::string("rr-emulator: client_public_key_pem: ") + e.what());
    }
  }
}

jose::Key& JwtKeys::signing_locked() {
  if (!signing_) {
    // RSA keys take a moment to make: only emulators that are asked for one pay for it.
    signing_ = jose::Key::generate(jose::Alg::kRS256);
    kid_ = "rr-emulator-" + random_token(8);
  }
  return signing_;
}

nlohmann::json JwtKeys::jwks() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& key = signing_locked();
  return nlohmann::json{{"keys", nlohmann::json::array({key.public_jwk(kid_)})}};
}

std::string JwtKeys::sign(const nlohmann::json& claims) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& key = signing_locked();
  return jose::sign(claims, key, jose::Alg::kRS256, kid_);
}

std::string JwtKeys::check_assertion(const std::string& assertion, const std::string& client_id,
                                     const std::string& token_url) {
  if (!client_key_)
    return "the client has no registered public key (private_key_jwt is not enabled)";
  jose::Jws jws;
  try {
    jws = jose::parse_jws(assertion);
  } catch (const jose::JoseError& e) {
    return std::string("the client assertion is malformed: ") + e.what();
  }
  if (!jose::verify(jws, client_key_))
    return "the client assertion's signature does not verify";
  const auto& claims = jws.payload;
  auto text = [&](const char* name) {
    auto it = claims.find(name);
    return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text("iss") != client_id || text("sub") != client_id)
    return "the client assertion's iss and sub must be the client id";
  if (!claims.contains("aud") || !audience_names(claims["aud"], token_url))
    return "the client assertion's aud is not this token endpoint";
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number_integer())
    return "the client assertion has no exp";
  const std::int64_t now = now_seconds();
  const std::int64_t expires = exp->get<std::int64_t>();
  if (expires <= now)
    return "the client assertion has expired";
  if (expires > now + 600)
    return "the client assertion lives longer than 10 minutes";
  const std::string jti = text("jti");
  if (jti.empty())
    return "the client assertion has no jti";
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = seen_jti_.begin(); it != seen_jti_.end();) {
    it = it->second <= now ? seen_jti_.erase(it) : std::next(it);
  }
  if (!seen_jti_.emplace(jti, expires).second)
    return "the client assertion's jti was already used";
  return {};
}

}  // namespace rr_emulator::detail
