#pragma once

/// @file
/// @brief OpenID Connect ID tokens: the verified claims (`IdTokenClaims`) and the verifier that
/// checks a token's signature against the issuer's JSON Web Key Set (`IdTokenVerifier`).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/export.hpp"

namespace roserocket {

struct OAuthOptions;

/// @brief The claims of an ID token whose signature, issuer, audience, times and nonce were
/// checked. Value type.
///
/// Holds personal data (subject, e-mail, name): log it only as your privacy rules allow.
struct ROSEROCKET_API IdTokenClaims {
  /// `iss`: who issued the token.
  std::string issuer;
  /// `sub`: the user's stable id at the issuer.
  std::string subject;
  /// `aud`: the audiences (a single string becomes one entry); contains the client id.
  std::vector<std::string> audience;
  /// `azp`, when present.
  std::string authorized_party;
  /// `exp`.
  std::chrono::system_clock::time_point expires_at{};
  /// `iat`.
  std::chrono::system_clock::time_point issued_at{};
  /// `nonce`, when present (the authorization-code flow requires the one it sent).
  std::string nonce;
  /// `email`, when present.
  std::optional<std::string> email;
  /// `name`, when present.
  std::optional<std::string> name;
  /// Every claim of the payload, as sent.
  nlohmann::json claims = nlohmann::json(nlohmann::json::value_t::object);

  /// @brief The claim called @p claim_name, or null when the token has none.
  /// @param claim_name e.g. "email_verified", "org_id".
  /// @return a pointer into `claims`, valid while this object lives and is not changed.
  [[nodiscard]] const nlohmann::json* find(std::string_view claim_name) const;
};

/// @brief Checks OpenID Connect ID tokens (OIDC Core §3.1.3.7): the RS256 or ES256 signature
/// against the key set at `OAuthOptions::jwks_url`, `iss` equal to `OAuthOptions::issuer` (when
/// set), `aud` containing `client_id` (and `azp` equal to it when present), `exp` not passed and
/// `iat` not in the future (both give `OAuthOptions::id_token_skew` of slack, by
/// `OAuthOptions::clock`), and the `nonce` when one is expected.
///
/// The key set is fetched on first use with `OAuthOptions::transport` and cached. A token naming
/// a key id the cache lacks makes it fetch the set again, at most once per 60 seconds, so
/// tokens with made-up key ids cannot turn the verifier into a fetch loop.
///
/// The authorization-code flow and the refresh-token and client-credentials providers make their
/// own verifier; use this class to check ID tokens you got in another way.
///
/// Thread safety: `verify` may be called from any number of threads at once (one key-set fetch
/// runs at a time; the others wait for it). Copies share one key cache.
class ROSEROCKET_API IdTokenVerifier {
 public:
  /// @brief How long an unknown key id waits before it may cause another key-set fetch.
  static constexpr std::chrono::seconds kMinRefetchInterval{60};

  /// @param options issuer, jwks_url, client_id, transport, clock, id_token_skew and
  /// request_timeout are used; a null transport becomes a `CurlTransport`.
  /// @throw InvalidArgumentError for an empty client id or an unsafe (plain http, not loopback)
  /// `jwks_url`, or a negative `id_token_skew`.
  explicit IdTokenVerifier(const OAuthOptions& options);

  /// @brief Verifies @p id_token and returns its claims.
  /// @param id_token the compact JWS from the token response (`TokenSet::id_token`).
  /// @param expected_nonce the nonce sent in the authorize request; empty: not checked (ID tokens
  /// from a refresh, OIDC Core §12.2).
  /// @return the claims, only when every check passed.
  /// @throw AuthError naming the check that failed (never quoting the token); error_code
  /// "invalid_id_token", or "id_token_unverifiable" when no `jwks_url` is known or the key set
  /// cannot be read. TransportError when the key set could not be fetched.
  [[nodiscard]] IdTokenClaims verify(std::string_view id_token,
                                     std::string_view expected_nonce = {}) const;

  /// @brief Key-set fetches made so far (successful or not); for diagnostics and tests.
  [[nodiscard]] std::size_t jwks_fetch_count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace roserocket
