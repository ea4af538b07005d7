#pragma once

// Signed JWTs for the emulator's OAuth server: the RSA key that signs ID tokens (made on first
// use, served as a JWK set at /.well-known/jwks.json) and the check of private_key_jwt client
// assertions against the public key registered in Options::client_public_key_pem.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/jose.hpp"
#include "rr_emulator/emulator.hpp"

namespace rr_emulator::detail {

/// @brief Thread-safe (one internal lock).
class JwtKeys {
 public:
  /// @throw std::invalid_argument when Options::client_public_key_pem is set but unusable.
  explicit JwtKeys(const Options& options);

  /// @brief `{"keys": [the signing key's public JWK]}`.
  nlohmann::json jwks();
  /// @brief @p claims signed with RS256 by the signing key (header `kid`).
  std::string sign(const nlohmann::json& claims);
  /// @brief Whether a client public key is registered (private_key_jwt allowed).
  [[nodiscard]] bool accepts_assertions() const { return static_cast<bool>(client_key_); }
  /// @brief Checks a client assertion (RFC 7523 §3): signature by the registered key,
  /// iss = sub = @p client_id, aud naming @p token_url, exp in the future (at most 10 minutes
  /// ahead), a `jti` not seen before.
  /// @return empty when it passes, otherwise why not.
  std::string check_assertion(const std::string& assertion, const std::string& client_id,
                              const std::string& token_url);

 private:
  roserocket::detail::jose::Key& signing_locked();

  std::mutex mutex_;
  roserocket::detail::jose::Key signing_;
  std::string kid_;
  roserocket::detail::jose::Key client_key_;
  std::map<std::string, std::int64_t> seen_jti_;  // jti -> its exp, dropped once passed
};

}  // namespace rr_emulator::detail
