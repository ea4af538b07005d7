#pragma once

// Private: the public-key primitives under JOSE, one implementation per platform (ADR 0026).
//   crypto_openssl.cpp  OpenSSL 3's libcrypto (every platform but Windows; ADR 0017)
//   crypto_cng.cpp      Windows CNG (bcrypt.dll), with PEM/DER keys read by key_der.cpp
// jose.cpp above it (compact JWS, JWK sets, base64url, JSON, the algorithm allow-list) is the
// same everywhere, so that both backends see the same checked input. SHA-256 and random bytes
// for PKCE stay in crypto.cpp. Exactly one backend is compiled into a build.
//
// Every function throws JoseError (never quoting key material) or returns false; none logs.

#include <string>
#include <string_view>

#include "auth/jose.hpp"

namespace roserocket::detail::jose::backend {

/// @brief "OpenSSL" or "Windows CNG", for tests and diagnostics.
const char* name();

/// @brief An RSA public key from its big-endian modulus and exponent (no leading-zero
/// requirement). @throw JoseError when it is not a valid RSA key of at least 2048 bits.
Key rsa_public_key(const std::string& n, const std::string& e);

/// @brief A P-256 public key from its 32-byte big-endian coordinates.
/// @throw JoseError when the point is not on the curve.
Key p256_public_key(const std::string& x, const std::string& y);

/// @brief An unencrypted PEM private key: PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY" or
/// SEC1 "EC PRIVATE KEY"; RSA >= 2048 bits or P-256. @throw JoseError otherwise.
Key private_key_from_pem(std::string_view pem);

/// @brief A PEM SubjectPublicKeyInfo ("PUBLIC KEY"), RSA >= 2048 bits or P-256.
Key public_key_from_pem(std::string_view pem);

/// @brief A new random key: RSA 2048 bits (e = 65537) or P-256.
Key generate_key(Alg alg);

/// @brief Whether @p key is an RSA key (for RS256) or a P-256 key (for ES256).
bool fits(const Key& key, Alg alg);

/// @brief The public numbers of a key, big-endian: `n`/`e` for RSA (no leading zeros),
/// `x`/`y` for P-256 (32 bytes each).
struct PublicNumbers {
  bool ec = false;
  std::string n, e, x, y;
};
PublicNumbers public_numbers(const Key& key);

/// @brief The public half as PEM SubjectPublicKeyInfo.
std::string public_pem(const Key& key);

/// @brief The private key as unencrypted PKCS#8 PEM. @throw JoseError for a public key.
std::string private_pem(const Key& key);

/// @brief Whether @p signature (JOSE form: PKCS#1 v1.5 bytes for RS256, raw r||s for ES256) is
/// a valid signature of @p input by @p key under @p alg. False for a key that does not fit.
bool verify_signature(const Key& key, Alg alg, std::string_view input, std::string_view signature);

/// @brief The JOSE-form signature of @p input by the private @p key under @p alg.
/// @throw JoseError when the key does not fit, is public only, or signing fails.
std::string create_signature(const Key& key, Alg alg, std::string_view input);

}  // namespace roserocket::detail::jose::backend
