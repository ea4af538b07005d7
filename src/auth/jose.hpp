#pragma once

// Private: the small part of JOSE the SDK needs (RFC 7515 compact JWS, RFC 7517 JWK sets,
// RFC 7518 RS256 and ES256). Used to verify OpenID ID tokens and to sign private_key_jwt client
// assertions; the emulator signs its ID tokens with it too. The key arithmetic is a backend's
// (auth/crypto_backend.hpp): OpenSSL 3's libcrypto, or Windows CNG on Windows (ADR 0026).
//
// Parsers are strict and never put the token or key text into an error message.

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace roserocket::detail::jose {

/// @brief A JOSE failure; what() names the reason, never token or key material.
class JoseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// @brief The signature algorithms accepted. `none` and the HMAC family never are.
enum class Alg { kRS256, kES256 };

/// @brief "RS256" or "ES256".
const char* alg_name(Alg alg);
/// @brief The algorithm named @p name, or nothing when it is not in the allow-list.
std::optional<Alg> alg_from_name(std::string_view name);

/// @brief A key (public, or a key pair). Copies share one immutable backend key.
class Key {
 public:
  Key() = default;
  /// @brief Reads a PEM private key (PKCS#8 or traditional, unencrypted; RSA >= 2048 bits or
  /// EC P-256). @throw JoseError for anything else, without quoting the text.
  static Key from_private_pem(std::string_view pem);
  /// @brief Reads a PEM public key (SubjectPublicKeyInfo). @throw JoseError.
  static Key from_public_pem(std::string_view pem);
  /// @brief A new random key for @p alg: RSA 2048 bits or EC P-256.
  static Key generate(Alg alg);

  /// @brief Whether this key can sign or verify @p alg.
  [[nodiscard]] bool fits(Alg alg) const;
  /// @brief The algorithm this key's type implies (RSA: RS256, P-256: ES256).
  [[nodiscard]] Alg natural_alg() const;
  /// @brief The public half as a JWK object (`kty`, `n`/`e` or `crv`/`x`/`y`, plus `kid`,
  /// `use` and `alg` when @p kid is not empty).
  [[nodiscard]] nlohmann::json public_jwk(const std::string& kid) const;
  /// @brief The public half as PEM (SubjectPublicKeyInfo).
  [[nodiscard]] std::string public_pem() const;
  /// @brief The private key as unencrypted PKCS#8 PEM (tests and the emulator only).
  [[nodiscard]] std::string private_pem() const;
  /// @brief Whether a key is held.
  [[nodiscard]] explicit operator bool() const { return pkey_ != nullptr; }

  /// @brief The backend's key object, opaque here so that this header needs no platform
  /// headers: an `EVP_PKEY*` with OpenSSL, a `BCRYPT_KEY_HANDLE` with Windows CNG.
  [[nodiscard]] void* native() const { return pkey_.get(); }
  /// @brief Wraps a backend key object that @p pkey owns (for the crypto backends).
  static Key adopt(std::shared_ptr<void> pkey) { return Key(std::move(pkey)); }

 private:
  explicit Key(std::shared_ptr<void> pkey) : pkey_(std::move(pkey)) {}
  std::shared_ptr<void> pkey_;
};

/// @brief One usable verification key of a JWK set.
struct Jwk {
  /// May be empty when the set gave none.
  std::string kid;
  /// RS256 for RSA keys, ES256 for P-256 keys.
  Alg alg = Alg::kRS256;
  Key key;
};

/// @brief The key of one JWK object. @throw JoseError when it is not a usable RSA or P-256 key.
Key key_from_jwk(const nlohmann::json& jwk);

/// @brief Parses a JWK set (`{"keys": [...]}`). Keys of other types, curves or uses (`use` other
/// than "sig", `alg` other than RS256/ES256, `kty` "oct", ...) are skipped, not refused.
/// @throw JoseError when the text is not a JSON object with a `keys` array.
std::vector<Jwk> parse_jwks(std::string_view text);

/// @brief A parsed (not yet verified) compact JWS.
struct Jws {
  nlohmann::json header;
  nlohmann::json payload;
  Alg alg = Alg::kRS256;
  /// The header's `kid`, or empty.
  std::string kid;
  /// ASCII(BASE64URL(header) "." BASE64URL(payload)), what the signature covers.
  std::string signing_input;
  /// The decoded signature bytes.
  std::string signature;
};

/// @brief Parses a compact JWS: exactly three base64url parts (no padding, canonical), a header
/// that is a JSON object with an allowed `alg` and no `crit`, a payload that is a JSON object.
/// @throw JoseError naming what is wrong.
Jws parse_jws(std::string_view compact);

/// @brief Whether @p jws carries a valid signature by @p key (which must fit its `alg`).
[[nodiscard]] bool verify(const Jws& jws, const Key& key);

/// @brief Signs @p payload as a compact JWS with @p alg (header: `alg`, `typ` "JWT", and `kid`
/// when not empty). @throw JoseError when @p key does not fit @p alg or signing fails.
std::string sign(const nlohmann::json& payload, const Key& key, Alg alg, const std::string& kid);

/// @brief Strict base64url (no padding, unused bits zero). @return false for anything else.
bool base64url_decode(std::string_view text, std::string& out);

}  // namespace roserocket::detail::jose
