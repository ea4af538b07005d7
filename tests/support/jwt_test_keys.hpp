#pragma once

// Test keys and JWTs signed with OpenSSL directly (not through the SDK's jose::sign), so that a
// fault shared by the SDK's signing and verifying code cannot make its own tests pass.
// On Windows (the CNG backend, ADR 0026) there is no OpenSSL: tokens are signed by the backend
// there, and the independent check is tests/unit/crypto_vectors_test.cpp's fixed vectors.

#if defined(_WIN32)
#include "auth/crypto_backend.hpp"
#else
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#endif

#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/crypto.hpp"
#include "auth/jose.hpp"

namespace jwt_test {

namespace jose = roserocket::detail::jose;

// One RSA and one EC key for the whole test program: RSA keys take a moment to make.
inline const jose::Key& rsa_key() {
  static const jose::Key key = jose::Key::generate(jose::Alg::kRS256);
  return key;
}
inline const jose::Key& other_rsa_key() {
  static const jose::Key key = jose::Key::generate(jose::Alg::kRS256);
  return key;
}
inline const jose::Key& ec_key() {
  static const jose::Key key = jose::Key::generate(jose::Alg::kES256);
  return key;
}

inline std::string b64(const std::string& bytes) {
  return roserocket::detail::base64url_encode(bytes);
}

// EVP_DigestSign with SHA-256; for EC keys the DER signature becomes JOSE's raw r || s.
inline std::string openssl_sign(const jose::Key& key, const std::string& input) {
#if defined(_WIN32)
  return jose::backend::create_signature(key, key.natural_alg(), input);
#else
  auto* pkey = static_cast<EVP_PKEY*>(key.native());
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    throw std::runtime_error("test signing failed");
  }
  std::string sig(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &length, data,
                     input.size()) != 1) {
    throw std::runtime_error("test signing failed");
  }
  sig.resize(length);
  if (EVP_PKEY_is_a(pkey, "EC") != 1)
    return sig;
  const auto* cursor = reinterpret_cast<const unsigned char*>(sig.data());
  std::unique_ptr<ECDSA_SIG, void (*)(ECDSA_SIG*)> parsed(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(sig.size())), ECDSA_SIG_free);
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(parsed.get(), &r, &s);
  std::string raw(64, '\0');
  BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  return raw;
#endif
}

// A compact JWS of @p header and @p payload (both as given), signed with @p key.
inline std::string make_jws(const nlohmann::json& header, const nlohmann::json& payload,
                            const jose::Key& key) {
  const std::string input = b64(header.dump()) + "." + b64(payload.dump());
  return input + "." + b64(openssl_sign(key, input));
}

// A JWK set holding the public halves of @p keys with their kids.
inline std::string jwks_of(const std::vector<std::pair<const jose::Key*, std::string>>& keys) {
  nlohmann::json set = {{"keys", nlohmann::json::array()}};
  for (const auto& entry : keys)
    set["keys"].push_back(entry.first->public_jwk(entry.second));
  return set.dump();
}

}  // namespace jwt_test
