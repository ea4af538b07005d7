// The OpenSSL 3 backend of the JOSE primitives (crypto_backend.hpp; ADR 0017, ADR 0026).
// Everywhere but Windows. A Key holds an EVP_PKEY.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <array>
#include <climits>
#include <cstring>
#include <memory>

#include "auth/crypto_backend.hpp"

namespace roserocket::detail::jose::backend {
namespace {

// RAII holders for every OpenSSL object used here: each frees with its own *_free function.
template <auto Free>
struct OsslFreeWith {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFreeWith<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslFreeWith<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, OsslFreeWith<BN_free>>;
using BioPtr = std::unique_ptr<BIO, OsslFreeWith<BIO_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslFreeWith<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslFreeWith<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslFreeWith<ECDSA_SIG_free>>;

constexpr int kOsslMinRsaBits = 2048;
constexpr std::size_t kOsslP256Bytes = 32;

// OpenSSL keeps an error queue per thread; libcurl (built on OpenSSL) reads it too, so nothing
// this file leaves behind may linger there.
struct ClearErrors {
  ~ClearErrors() { ERR_clear_error(); }
};

std::shared_ptr<void> hold_pkey(EVP_PKEY* pkey) {
  return std::shared_ptr<void>(pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

EVP_PKEY* raw_pkey(const Key& key) {
  return static_cast<EVP_PKEY*>(key.native());
}

bool is_p256(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "EC") != 1)
    return false;
  std::array<char, 64> group{};
  std::size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                     &length) != 1) {
    return false;
  }
  const std::string name(group.data(), length);
  return name == "prime256v1" || name == "P-256";
}

// Refuses key types and sizes the SDK does not use (small RSA moduli, other curves, DSA, ...).
Key checked(EVP_PKEY* pkey, const char* what) {
  auto held = hold_pkey(pkey);
  if (EVP_PKEY_is_a(pkey, "RSA") == 1) {
    if (EVP_PKEY_get_bits(pkey) < kOsslMinRsaBits) {
      throw JoseError(std::string(what) + " is an RSA key shorter than 2048 bits");
    }
  } else if (!is_p256(pkey)) {
    throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
  }
  return Key::adopt(std::move(held));
}

BnPtr bignum_of(const std::string& bytes) {
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                     static_cast<int>(bytes.size()), nullptr));
  if (!bn)
    throw JoseError("out of memory reading a key");
  return bn;
}

std::string bignum_bytes(const BIGNUM* bn, int width) {
  const int size = width > 0 ? width : BN_num_bytes(bn);
  std::string out(static_cast<std::size_t>(size), '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), size) != size) {
    throw JoseError("a key number does not fit its field");
  }
  return out;
}

EVP_PKEY* from_params(const char* type, OSSL_PARAM_BLD* builder) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || !pkey) {
    throw JoseError(std::string("the JWK is not a valid ") + type + " public key");
  }
  return pkey;
}

// JWS ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4); OpenSSL speaks DER.
std::string raw_ecdsa_to_der(std::string_view raw_sig) {
  if (raw_sig.size() != 2 * kOsslP256Bytes)
    return {};
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r = bignum_of(std::string(raw_sig.substr(0, kOsslP256Bytes)));
  BnPtr s = bignum_of(std::string(raw_sig.substr(kOsslP256Bytes)));
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
    throw JoseError("out of memory reading a signature");
  r.release();  // owned by sig now
  s.release();
  const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0)
    return {};
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* cursor = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &cursor) != length)
    return {};
  return der;
}

std::string der_ecdsa_to_raw(const std::string& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!sig)
    throw JoseError("OpenSSL produced an unreadable ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  return bignum_bytes(r, kOsslP256Bytes) + bignum_bytes(s, kOsslP256Bytes);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

// Never prompt on a terminal for a pass phrase: an encrypted PEM is refused.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

BioPtr bio_of(std::string_view text) {
  if (text.size() > INT_MAX)
    throw JoseError("the PEM text is too long");
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio)
    throw JoseError("out of memory reading a PEM key");
  return bio;
}

}  // namespace

const char* name() {
  return "OpenSSL";
}

Key rsa_public_key(const std::string& n, const std::string& e) {
  ClearErrors clear;
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder)
    throw JoseError("out of memory reading a JWK");
  BnPtr bn_n = bignum_of(n);
  BnPtr bn_e = bignum_of(e);
  if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    throw JoseError("out of memory reading a JWK");
  }
  return checked(from_params("RSA", builder.get()), "the JWK");
}

Key p256_public_key(const std::string& x, const std::string& y) {
  ClearErrors clear;
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder)
    throw JoseError("out of memory reading a JWK");
  // An uncompressed point; OpenSSL refuses one that is not on the curve.
  const std::string point = std::string(1, '\x04') + x + y;
  static char group[] = "prime256v1";
  if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    throw JoseError("out of memory reading a JWK");
  }
  return checked(from_params("EC", builder.get()), "the JWK");
}

Key private_key_from_pem(std::string_view pem) {
  ClearErrors clear;
  auto bio = bio_of(pem);
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (!pkey) {
    throw JoseError("the private key is not an unencrypted PEM private key");
  }
  return checked(pkey, "the private key");
}

Key public_key_from_pem(std::string_view pem) {
  ClearErrors clear;
  auto bio = bio_of(pem);
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr);
  if (!pkey)
    throw JoseError("the public key is not a PEM public key");
  return checked(pkey, "the public key");
}

Key generate_key(Alg alg) {
  ClearErrors clear;
  EVP_PKEY* pkey = alg == Alg::kRS256
                       ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!pkey)
    throw JoseError("OpenSSL could not generate a key");
  return checked(pkey, "the generated key");
}

bool fits(const Key& key, Alg alg) {
  if (!key)
    return false;
  EVP_PKEY* pkey = raw_pkey(key);
  return alg == Alg::kRS256 ? EVP_PKEY_is_a(pkey, "RSA") == 1 : is_p256(pkey);
}

PublicNumbers public_numbers(const Key& key) {
  ClearErrors clear;
  EVP_PKEY* pkey = raw_pkey(key);
  auto number = [&](const char* param, int width) {
    BIGNUM* value = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, param, &value) != 1 || !value)
      throw JoseError("OpenSSL could not read a public key number");
    BnPtr held(value);
    return bignum_bytes(held.get(), width);
  };
  PublicNumbers out;
  if (fits(key, Alg::kES256)) {
    out.ec = true;
    out.x = number(OSSL_PKEY_PARAM_EC_PUB_X, kOsslP256Bytes);
    out.y = number(OSSL_PKEY_PARAM_EC_PUB_Y, kOsslP256Bytes);
  } else {
    out.n = number(OSSL_PKEY_PARAM_RSA_N, 0);
    out.e = number(OSSL_PKEY_PARAM_RSA_E, 0);
  }
  return out;
}

std::string public_pem(const Key& key) {
  ClearErrors clear;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), raw_pkey(key)) != 1)
    throw JoseError("OpenSSL could not write the public key");
  return bio_text(bio.get());
}

std::string private_pem(const Key& key) {
  ClearErrors clear;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), raw_pkey(key), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    throw JoseError("OpenSSL could not write the private key");
  }
  return bio_text(bio.get());
}

bool verify_signature(const Key& key, Alg alg, std::string_view input, std::string_view signature) {
  if (!fits(key, alg))
    return false;
  ClearErrors clear;
  std::string der;
  if (alg == Alg::kES256) {
    der = raw_ecdsa_to_der(signature);
    if (der.empty())
      return false;
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, raw_pkey(key)) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

std::string create_signature(const Key& key, Alg alg, std::string_view input) {
  if (!fits(key, alg))
    throw JoseError(std::string("the key does not fit ") + alg_name(alg));
  ClearErrors clear;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, raw_pkey(key)) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    throw JoseError("OpenSSL could not sign (is it a private key?)");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     input.size()) != 1) {
    throw JoseError("OpenSSL could not sign (is it a private key?)");
  }
  signature.resize(length);
  return alg == Alg::kES256 ? der_ecdsa_to_raw(signature) : signature;
}

}  // namespace roserocket::detail::jose::backend
