#include "auth/jose.hpp"

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

#include "auth/crypto.hpp"
#include "core/json_limits.hpp"

namespace roserocket::detail::jose {
namespace {

// RAII holders for every OpenSSL object used here: each frees with its own *_free function.
template <auto Free>
struct FreeWith {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, FreeWith<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, FreeWith<BN_free>>;
using BioPtr = std::unique_ptr<BIO, FreeWith<BIO_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, FreeWith<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, FreeWith<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, FreeWith<ECDSA_SIG_free>>;

constexpr int kMinRsaBits = 2048;
constexpr std::size_t kP256Bytes = 32;

// OpenSSL keeps an error queue per thread; libcurl (built on OpenSSL) reads it too, so nothing
// this file leaves behind may linger there.
struct ClearErrors {
  ~ClearErrors() { ERR_clear_error(); }
};

std::shared_ptr<void> hold(EVP_PKEY* pkey) {
  return std::shared_ptr<void>(pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

EVP_PKEY* raw(const Key& key) {
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
  auto held = hold(pkey);
  if (EVP_PKEY_is_a(pkey, "RSA") == 1) {
    if (EVP_PKEY_get_bits(pkey) < kMinRsaBits) {
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

std::string member(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end())
    return {};
  if (!it->is_string())
    throw JoseError(std::string("the JWK's \"") + name + "\" is not a string");
  return it->get<std::string>();
}

std::string decoded_member(const nlohmann::json& object, const char* name) {
  std::string out;
  if (!base64url_decode(member(object, name), out) || out.empty()) {
    throw JoseError(std::string("the JWK's \"") + name + "\" is missing or not base64url");
  }
  return out;
}

nlohmann::json parse_object(const std::string& text, const char* what) {
  JsonParse outcome = JsonParse::kOk;
  auto parsed = parse_json_limited(text, outcome);
  if (outcome != JsonParse::kOk || !parsed.is_object()) {
    throw JoseError(std::string("the JWS ") + what + " is not a JSON object");
  }
  return parsed;
}

// JWS ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4); OpenSSL speaks DER.
std::string raw_ecdsa_to_der(const std::string& raw_sig) {
  if (raw_sig.size() != 2 * kP256Bytes)
    return {};
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r = bignum_of(raw_sig.substr(0, kP256Bytes));
  BnPtr s = bignum_of(raw_sig.substr(kP256Bytes));
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
  return bignum_bytes(r, kP256Bytes) + bignum_bytes(s, kP256Bytes);
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

int digit_of(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

}  // namespace

const char* alg_name(Alg alg) {
  return alg == Alg::kES256 ? "ES256" : "RS256";
}

std::optional<Alg> alg_from_name(std::string_view name) {
  if (name == "RS256")
    return Alg::kRS256;
  if (name == "ES256")
    return Alg::kES256;
  return std::nullopt;
}

bool base64url_decode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 == 1)
    return false;
  out.reserve(text.size() * 3 / 4);
  unsigned int buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int digit = digit_of(c);
    if (digit < 0)
      return false;
    buffer = (buffer << 6) | static_cast<unsigned int>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
    }
  }
  // Canonical form only: the bits left over must be zero.
  return (buffer & ((1u << bits) - 1u)) == 0;
}

Key Key::from_private_pem(std::string_view pem) {
  ClearErrors clear;
  auto bio = bio_of(pem);
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (!pkey) {
    throw JoseError("the private key is not an unencrypted PEM private key");
  }
  return checked(pkey, "the private key");
}

Key Key::from_public_pem(std::string_view pem) {
  ClearErrors clear;
  auto bio = bio_of(pem);
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr);
  if (!pkey)
    throw JoseError("the public key is not a PEM public key");
  return checked(pkey, "the public key");
}

Key Key::generate(Alg alg) {
  ClearErrors clear;
  EVP_PKEY* pkey = alg == Alg::kRS256
                       ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!pkey)
    throw JoseError("OpenSSL could not generate a key");
  return checked(pkey, "the generated key");
}

bool Key::fits(Alg alg) const {
  if (!pkey_)
    return false;
  EVP_PKEY* pkey = raw(*this);
  return alg == Alg::kRS256 ? EVP_PKEY_is_a(pkey, "RSA") == 1 : is_p256(pkey);
}

Alg Key::natural_alg() const {
  return fits(Alg::kES256) ? Alg::kES256 : Alg::kRS256;
}

nlohmann::json Key::public_jwk(const std::string& kid) const {
  ClearErrors clear;
  EVP_PKEY* pkey = raw(*this);
  nlohmann::json jwk = nlohmann::json::object();
  auto number = [&](const char* param, int width) {
    BIGNUM* value = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, param, &value) != 1 || !value)
      throw JoseError("OpenSSL could not read a public key number");
    BnPtr held(value);
    return base64url_encode(bignum_bytes(held.get(), width));
  };
  if (fits(Alg::kES256)) {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = number(OSSL_PKEY_PARAM_EC_PUB_X, kP256Bytes);
    jwk["y"] = number(OSSL_PKEY_PARAM_EC_PUB_Y, kP256Bytes);
  } else {
    jwk["kty"] = "RSA";
    jwk["n"] = number(OSSL_PKEY_PARAM_RSA_N, 0);
    jwk["e"] = number(OSSL_PKEY_PARAM_RSA_E, 0);
  }
  if (!kid.empty()) {
    jwk["kid"] = kid;
    jwk["use"] = "sig";
    jwk["alg"] = alg_name(natural_alg());
  }
  return jwk;
}

std::string Key::public_pem() const {
  ClearErrors clear;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), raw(*this)) != 1)
    throw JoseError("OpenSSL could not write the public key");
  return bio_text(bio.get());
}

std::string Key::private_pem() const {
  ClearErrors clear;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), raw(*this), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw JoseError("OpenSSL could not write the private key");
  }
  return bio_text(bio.get());
}

Key key_from_jwk(const nlohmann::json& jwk) {
  ClearErrors clear;
  if (!jwk.is_object())
    throw JoseError("the JWK is not a JSON object");
  const std::string kty = member(jwk, "kty");
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder)
    throw JoseError("out of memory reading a JWK");
  if (kty == "RSA") {
    BnPtr n = bignum_of(decoded_member(jwk, "n"));
    BnPtr e = bignum_of(decoded_member(jwk, "e"));
    if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
      throw JoseError("out of memory reading a JWK");
    }
    return checked(from_params("RSA", builder.get()), "the JWK");
  }
  if (kty == "EC") {
    if (member(jwk, "crv") != "P-256")
      throw JoseError("the JWK's curve is not P-256");
    const std::string x = decoded_member(jwk, "x");
    const std::string y = decoded_member(jwk, "y");
    if (x.size() != kP256Bytes || y.size() != kP256Bytes)
      throw JoseError("the JWK's x or y is not 32 bytes long");
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
  throw JoseError("the JWK's kty is neither RSA nor EC");
}

std::vector<Jwk> parse_jwks(std::string_view text) {
  JsonParse outcome = JsonParse::kOk;
  const auto parsed = parse_json_limited(text, outcome);
  if (outcome != JsonParse::kOk || !parsed.is_object())
    throw JoseError("the JWK set is not a JSON object");
  auto keys = parsed.find("keys");
  if (keys == parsed.end() || !keys->is_array())
    throw JoseError("the JWK set has no \"keys\" array");
  std::vector<Jwk> out;
  for (const auto& entry : *keys) {
    if (!entry.is_object())
      continue;
    try {
      const std::string use = member(entry, "use");
      if (!use.empty() && use != "sig")
        continue;
      const std::string alg = member(entry, "alg");
      if (!alg.empty() && !alg_from_name(alg))
        continue;
      Jwk jwk;
      jwk.kid = member(entry, "kid");
      jwk.key = key_from_jwk(entry);
      jwk.alg = jwk.key.natural_alg();
      if (!alg.empty() && *alg_from_name(alg) != jwk.alg)
        continue;  // an RSA key labelled ES256, or the reverse: not usable
      out.push_back(std::move(jwk));
    } catch (const JoseError&) {
      // A key of another type (oct, OKP, P-384, ...) or a broken one: skipped, not fatal.
    }
  }
  return out;
}

Jws parse_jws(std::string_view compact) {
  const auto first = compact.find('.');
  const auto second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    throw JoseError("the JWS does not have exactly three parts");
  }
  Jws jws;
  std::string header_text;
  std::string payload_text;
  if (!base64url_decode(compact.substr(0, first), header_text) ||
      !base64url_decode(compact.substr(first + 1, second - first - 1), payload_text) ||
      !base64url_decode(compact.substr(second + 1), jws.signature)) {
    throw JoseError("the JWS is not base64url");
  }
  jws.header = parse_object(header_text, "header");
  jws.payload = parse_object(payload_text, "payload");
  auto alg = jws.header.find("alg");
  if (alg == jws.header.end() || !alg->is_string())
    throw JoseError("the JWS header has no alg");
  const auto known = alg_from_name(alg->get<std::string>());
  if (!known)
    throw JoseError("the JWS algorithm is not allowed (RS256 or ES256 only)");
  jws.alg = *known;
  if (jws.header.contains("crit"))
    throw JoseError("the JWS header names critical extensions, which are not supported");
  if (auto kid = jws.header.find("kid"); kid != jws.header.end()) {
    if (!kid->is_string())
      throw JoseError("the JWS header's kid is not a string");
    jws.kid = kid->get<std::string>();
  }
  if (jws.signature.empty())
    throw JoseError("the JWS has no signature");
  jws.signing_input = std::string(compact.substr(0, second));
  return jws;
}

bool verify(const Jws& jws, const Key& key) {
  if (!key.fits(jws.alg))
    return false;
  ClearErrors clear;
  std::string signature = jws.signature;
  if (jws.alg == Alg::kES256) {
    signature = raw_ecdsa_to_der(jws.signature);
    if (signature.empty())
      return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, raw(key)) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                          jws.signing_input.size()) == 1;
}

std::string sign(const nlohmann::json& payload, const Key& key, Alg alg, const std::string& kid) {
  if (!key.fits(alg))
    throw JoseError(std::string("the key does not fit ") + alg_name(alg));
  ClearErrors clear;
  nlohmann::json header = {{"alg", alg_name(alg)}, {"typ", "JWT"}};
  if (!kid.empty())
    header["kid"] = kid;
  const std::string input =
      base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, raw(key)) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw JoseError("OpenSSL could not sign (is it a private key?)");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw JoseError("OpenSSL could not sign (is it a private key?)");
  }
  signature.resize(length);
  if (alg == Alg::kES256)
    signature = der_ecdsa_to_raw(signature);
  return input + "." + base64url_encode(signature);
}

}  // namespace roserocket::detail::jose
