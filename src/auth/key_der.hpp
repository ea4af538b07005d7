#pragma once

// Private: PEM and DER key containers for the crypto backends that have no reader of their own
// (Windows CNG imports raw numbers only; ADR 0026). Reads and writes exactly the forms the SDK
// accepts: PKCS#8 PrivateKeyInfo (unencrypted), PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey and
// X.509 SubjectPublicKeyInfo, for RSA and EC P-256 keys. Portable C++ (and tested on every
// platform against OpenSSL's output); the arithmetic stays in the backend.
//
// Errors are JoseError and never quote the text.

#include <string>
#include <string_view>

namespace roserocket::detail::jose::der {

/// @brief The numbers of an RSA or P-256 key, big-endian bytes. RSA numbers carry no leading
/// zero bytes; P-256 numbers are 32 bytes each. The private numbers are empty for a public key.
struct KeyNumbers {
  enum class Kind { kRsa, kP256 };
  Kind kind = Kind::kRsa;
  // RSA
  std::string n, e, d, p, q, dp, dq, qi;
  // P-256 (d is shared with RSA's private exponent field above)
  std::string x, y;

  [[nodiscard]] bool has_private() const { return !d.empty(); }
};

/// @brief Reads the first private key of @p pem ("PRIVATE KEY", "RSA PRIVATE KEY" or
/// "EC PRIVATE KEY"; an "EC PARAMETERS" block before it is skipped). An EC key must carry its
/// public point (OpenSSL writes it by default). @throw JoseError for anything else, including
/// encrypted keys, other key types, other curves and multi-prime RSA.
KeyNumbers read_private_pem(std::string_view pem);

/// @brief Reads a "PUBLIC KEY" (SubjectPublicKeyInfo) block. @throw JoseError.
KeyNumbers read_public_pem(std::string_view pem);

/// @brief The public half as a PEM SubjectPublicKeyInfo.
std::string write_public_pem(const KeyNumbers& key);

/// @brief The private key as PEM PKCS#8 (RSA: all eight numbers; EC: d with the public point).
/// @throw JoseError when @p key has no private numbers.
std::string write_private_pem(const KeyNumbers& key);

}  // namespace roserocket::detail::jose::der
