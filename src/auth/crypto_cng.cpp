// The Windows CNG backend of the JOSE primitives (crypto_backend.hpp; ADR 0026). A Key holds a
// BCRYPT_KEY_HANDLE. CNG imports and exports raw key numbers (BCRYPT_RSA*_BLOB,
// BCRYPT_ECC*_BLOB); PEM and DER containers are read and written by key_der.cpp. The digest is
// crypto.cpp's SHA-256, the same on every platform.

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/crypto_backend.hpp"
#include "auth/key_der.hpp"

namespace roserocket::detail::jose::backend {
namespace {

constexpr std::size_t kCngP256Bytes = 32;
constexpr std::size_t kCngMinRsaBits = 2048;
constexpr ULONG kCngRsaGenerateBits = 2048;
constexpr ULONG kCngP256Bits = 256;

bool cng_ok(NTSTATUS status) {
  return status >= 0;
}

// The two algorithm providers, opened once per process and kept for its lifetime (closing
// them at exit could race with keys still alive in static objects).
BCRYPT_ALG_HANDLE cng_provider(bool ec) {
  static std::once_flag once;
  static BCRYPT_ALG_HANDLE rsa = nullptr;
  static BCRYPT_ALG_HANDLE ecdsa = nullptr;
  std::call_once(once, [] {
    if (!cng_ok(BCryptOpenAlgorithmProvider(&rsa, BCRYPT_RSA_ALGORITHM, nullptr, 0)))
      rsa = nullptr;
    if (!cng_ok(BCryptOpenAlgorithmProvider(&ecdsa, BCRYPT_ECDSA_P256_ALGORITHM, nullptr, 0)))
      ecdsa = nullptr;
  });
  BCRYPT_ALG_HANDLE handle = ec ? ecdsa : rsa;
  if (handle == nullptr) {
    throw JoseError(std::string("Windows CNG has no ") + (ec ? "ECDSA P-256" : "RSA") +
                    " provider");
  }
  return handle;
}

// What a Key holds here. The kind is kept beside the handle: CNG's BCryptGetProperty on key
// handles is not implemented everywhere (Wine), and the kind is known whenever a key is made.
struct CngKey {
  BCRYPT_KEY_HANDLE handle = nullptr;
  bool ec = false;
  bool has_private = false;
  CngKey() = default;
  CngKey(const CngKey&) = delete;
  CngKey& operator=(const CngKey&) = delete;
  ~CngKey() {
    if (handle != nullptr)
      BCryptDestroyKey(handle);
  }
};

const CngKey& cng_key(const Key& key) {
  return *static_cast<const CngKey*>(key.native());
}

BCRYPT_KEY_HANDLE cng_handle(const Key& key) {
  return cng_key(key).handle;
}

Key cng_adopt(BCRYPT_KEY_HANDLE handle, bool ec, bool has_private) {
  auto held = std::make_shared<CngKey>();
  held->handle = handle;
  held->ec = ec;
  held->has_private = has_private;
  return Key::adopt(std::move(held));
}

// P-256's field prime and curve constant b (FIPS 186-4 D.1.2.3), as 32-bit limbs, least
// significant first.
using Limbs = std::array<std::uint32_t, 8>;
constexpr Limbs kP256Prime = {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000000,
                              0x00000000, 0x00000000, 0x00000001, 0xFFFFFFFF};
constexpr Limbs kP256B = {0x27D2604B, 0x3BCE3C3E, 0xCC53B0F6, 0x651D06B0,
                          0x769886BC, 0xB3EBBD55, 0xAA3A93E7, 0x5AC635D8};

Limbs limbs_of(const std::string& big_endian32) {
  Limbs out{};
  for (std::size_t i = 0; i < 32; ++i) {
    out[(31 - i) / 4] |= std::uint32_t{static_cast<unsigned char>(big_endian32[i])}
                         << (8 * ((31 - i) % 4));
  }
  return out;
}

bool limbs_less(const Limbs& a, const Limbs& b) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i])
      return a[i] < b[i];
  }
  return false;
}

// (a + b) mod p for a, b < p; an extra carry bit is handled by one subtraction.
Limbs mod_add(const Limbs& a, const Limbs& b) {
  Limbs sum{};
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    carry += std::uint64_t{a[i]} + b[i];
    sum[i] = static_cast<std::uint32_t>(carry);
    carry >>= 32;
  }
  if (carry != 0 || !limbs_less(sum, kP256Prime)) {
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      borrow += std::int64_t{sum[i]} - kP256Prime[i];
      sum[i] = static_cast<std::uint32_t>(borrow);
      borrow = borrow < 0 ? -1 : 0;
    }
  }
  return sum;
}

// (a * b) mod p by shift-and-add over b's bits. Public numbers only (a point check), so
// neither speed nor constant time matters.
Limbs mod_mul(const Limbs& a, const Limbs& b) {
  Limbs result{};
  for (std::size_t bit = 256; bit-- > 0;) {
    result = mod_add(result, result);
    if ((b[bit / 32] >> (bit % 32)) & 1u)
      result = mod_add(result, a);
  }
  return result;
}

// Whether (x, y) lies on P-256: y^2 = x^3 - 3x + b (mod p), with x, y < p. CNG
// implementations differ in whether BCryptImportKeyPair checks this (Wine's does not).
bool on_p256(const std::string& x_bytes, const std::string& y_bytes) {
  const Limbs x = limbs_of(x_bytes);
  const Limbs y = limbs_of(y_bytes);
  if (!limbs_less(x, kP256Prime) || !limbs_less(y, kP256Prime))
    return false;
  const Limbs three_x = mod_add(mod_add(x, x), x);
  Limbs rhs = mod_mul(mod_mul(x, x), x);
  // rhs - 3x = rhs + (p - 3x)
  Limbs minus_three_x{};
  std::int64_t borrow = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    borrow += std::int64_t{kP256Prime[i]} - three_x[i];
    minus_three_x[i] = static_cast<std::uint32_t>(borrow);
    borrow = borrow < 0 ? -1 : 0;
  }
  rhs = mod_add(mod_add(rhs, minus_three_x), kP256B);
  return mod_mul(y, y) == rhs;
}

// Key blobs may hold private numbers: zeroed before their memory is given back.
struct CngBlob {
  std::vector<unsigned char> bytes;
  CngBlob() = default;
  CngBlob(const CngBlob&) = delete;
  CngBlob& operator=(const CngBlob&) = delete;
  ~CngBlob() { SecureZeroMemory(bytes.data(), bytes.size()); }
  void append(const std::string& data) { bytes.insert(bytes.end(), data.begin(), data.end()); }
  // @p data right-aligned in @p width bytes (CNG wants fixed-size fields for some numbers).
  void append_padded(const std::string& data, std::size_t width) {
    if (data.size() > width)
      throw JoseError("a key number does not fit its field");
    bytes.insert(bytes.end(), width - data.size(), 0);
    append(data);
  }
};

void wipe(std::string& secret) {
  SecureZeroMemory(secret.data(), secret.size());
  secret.clear();
}

// Wipes the private numbers of a key read from PEM once they have been handed to CNG.
struct WipeNumbers {
  der::KeyNumbers& numbers;
  ~WipeNumbers() {
    for (auto* field : {&numbers.d, &numbers.p, &numbers.q, &numbers.dp, &numbers.dq, &numbers.qi})
      wipe(*field);
  }
};

std::string strip_zeros(std::string value) {
  const auto first = value.find_first_not_of('\0');
  value.erase(0, first == std::string::npos ? value.size() - 1 : first);
  return value;
}

std::size_t bit_length(const std::string& big_endian) {
  const std::string value = strip_zeros(big_endian);
  if (value.empty() || value == std::string(1, '\0'))
    return 0;
  std::size_t bits = (value.size() - 1) * 8;
  for (auto top = static_cast<unsigned char>(value[0]); top != 0; top >>= 1)
    ++bits;
  return bits;
}

template <class Header>
void put_header(CngBlob& blob, const Header& header) {
  const auto* raw = reinterpret_cast<const unsigned char*>(&header);
  blob.bytes.insert(blob.bytes.end(), raw, raw + sizeof(header));
}

Key cng_import(bool ec, bool has_private, LPCWSTR blob_type, const CngBlob& blob,
               const char* what) {
  BCRYPT_KEY_HANDLE handle = nullptr;
  const NTSTATUS status = BCryptImportKeyPair(cng_provider(ec), nullptr, blob_type, &handle,
                                              const_cast<unsigned char*>(blob.bytes.data()),
                                              static_cast<ULONG>(blob.bytes.size()), 0);
  if (!cng_ok(status) || handle == nullptr) {
    throw JoseError(std::string(what) + " is not a valid " + (ec ? "EC P-256" : "RSA") + " key");
  }
  return cng_adopt(handle, ec, has_private);
}

void check_rsa_size(const std::string& n, const char* what) {
  if (bit_length(n) < kCngMinRsaBits)
    throw JoseError(std::string(what) + " is an RSA key shorter than 2048 bits");
}

Key import_rsa_public(const std::string& n_in, const std::string& e_in, const char* what) {
  const std::string n = strip_zeros(n_in);
  const std::string e = strip_zeros(e_in);
  check_rsa_size(n, what);
  BCRYPT_RSAKEY_BLOB header{};
  header.Magic = BCRYPT_RSAPUBLIC_MAGIC;
  header.BitLength = static_cast<ULONG>(bit_length(n));
  header.cbPublicExp = static_cast<ULONG>(e.size());
  header.cbModulus = static_cast<ULONG>(n.size());
  CngBlob blob;
  put_header(blob, header);
  blob.append(e);
  blob.append(n);
  return cng_import(false, false, BCRYPT_RSAPUBLIC_BLOB, blob, what);
}

Key import_p256(const std::string& x, const std::string& y, const std::string& d,
                const char* what) {
  if (x.size() != kCngP256Bytes || y.size() != kCngP256Bytes)
    throw JoseError(std::string(what) + " is not a P-256 point");
  if (!on_p256(x, y))
    throw JoseError(std::string(what) +
                    " is not a valid EC P-256 key (its point is off the curve)");
  BCRYPT_ECCKEY_BLOB header{};
  header.dwMagic = d.empty() ? BCRYPT_ECDSA_PUBLIC_P256_MAGIC : BCRYPT_ECDSA_PRIVATE_P256_MAGIC;
  header.cbKey = static_cast<ULONG>(kCngP256Bytes);
  CngBlob blob;
  put_header(blob, header);
  blob.append(x);
  blob.append(y);
  if (!d.empty())
    blob.append_padded(d, kCngP256Bytes);
  return cng_import(true, !d.empty(), d.empty() ? BCRYPT_ECCPUBLIC_BLOB : BCRYPT_ECCPRIVATE_BLOB,
                    blob, what);
}

Key import_numbers(der::KeyNumbers& numbers, const char* what) {
  WipeNumbers wipe_after{numbers};
  if (numbers.kind == der::KeyNumbers::Kind::kP256)
    return import_p256(numbers.x, numbers.y, numbers.d, what);
  if (!numbers.has_private())
    return import_rsa_public(numbers.n, numbers.e, what);
  const std::string n = strip_zeros(numbers.n);
  const std::string e = strip_zeros(numbers.e);
  const std::string p = strip_zeros(numbers.p);
  const std::string q = strip_zeros(numbers.q);
  check_rsa_size(n, what);
  BCRYPT_RSAKEY_BLOB header{};
  header.Magic = BCRYPT_RSAPRIVATE_MAGIC;
  header.BitLength = static_cast<ULONG>(bit_length(n));
  header.cbPublicExp = static_cast<ULONG>(e.size());
  header.cbModulus = static_cast<ULONG>(n.size());
  header.cbPrime1 = static_cast<ULONG>(p.size());
  header.cbPrime2 = static_cast<ULONG>(q.size());
  CngBlob blob;
  put_header(blob, header);
  blob.append(e);
  blob.append(n);
  blob.append(p);
  blob.append(q);
  return cng_import(false, true, BCRYPT_RSAPRIVATE_BLOB, blob, what);
}

// The key exported as @p blob_type; empty when CNG refuses (a public key asked for its private
// blob, for instance).
void cng_export(const Key& key, LPCWSTR blob_type, CngBlob& out) {
  ULONG size = 0;
  if (!cng_ok(BCryptExportKey(cng_handle(key), nullptr, blob_type, nullptr, 0, &size, 0)) ||
      size == 0) {
    return;
  }
  out.bytes.assign(size, 0);
  if (!cng_ok(
          BCryptExportKey(cng_handle(key), nullptr, blob_type, out.bytes.data(), size, &size, 0))) {
    out.bytes.clear();
    return;
  }
  out.bytes.resize(size);
}

// Reads @p count bytes at @p offset of @p blob.
std::string cng_field(const CngBlob& blob, std::size_t& offset, std::size_t count) {
  if (offset + count > blob.bytes.size())
    throw JoseError("Windows CNG exported a key blob shorter than its header says");
  std::string out(reinterpret_cast<const char*>(blob.bytes.data()) + offset, count);
  offset += count;
  return out;
}

der::KeyNumbers cng_numbers(const Key& key, bool with_private) {
  if (with_private && !cng_key(key).has_private)
    throw JoseError("the key is public only; there is no private key to write");
  der::KeyNumbers numbers;
  CngBlob blob;
  if (cng_key(key).ec) {
    numbers.kind = der::KeyNumbers::Kind::kP256;
    cng_export(key, with_private ? BCRYPT_ECCPRIVATE_BLOB : BCRYPT_ECCPUBLIC_BLOB, blob);
    BCRYPT_ECCKEY_BLOB header{};
    if (blob.bytes.size() < sizeof(header))
      throw JoseError(with_private ? "the key is public only; there is no private key to write"
                                   : "Windows CNG could not export the public key");
    std::memcpy(&header, blob.bytes.data(), sizeof(header));
    const ULONG magic =
        with_private ? BCRYPT_ECDSA_PRIVATE_P256_MAGIC : BCRYPT_ECDSA_PUBLIC_P256_MAGIC;
    if (header.dwMagic != magic || header.cbKey != kCngP256Bytes)
      throw JoseError("Windows CNG exported an unexpected EC key blob");
    std::size_t offset = sizeof(header);
    numbers.x = cng_field(blob, offset, header.cbKey);
    numbers.y = cng_field(blob, offset, header.cbKey);
    if (with_private)
      numbers.d = cng_field(blob, offset, header.cbKey);
    return numbers;
  }
  numbers.kind = der::KeyNumbers::Kind::kRsa;
  cng_export(key, with_private ? BCRYPT_RSAFULLPRIVATE_BLOB : BCRYPT_RSAPUBLIC_BLOB, blob);
  BCRYPT_RSAKEY_BLOB header{};
  if (blob.bytes.size() < sizeof(header))
    throw JoseError(with_private ? "the key is public only; there is no private key to write"
                                 : "Windows CNG could not export the public key");
  std::memcpy(&header, blob.bytes.data(), sizeof(header));
  if (header.Magic != (with_private ? BCRYPT_RSAFULLPRIVATE_MAGIC : BCRYPT_RSAPUBLIC_MAGIC))
    throw JoseError("Windows CNG exported an unexpected RSA key blob");
  std::size_t offset = sizeof(header);
  numbers.e = strip_zeros(cng_field(blob, offset, header.cbPublicExp));
  numbers.n = strip_zeros(cng_field(blob, offset, header.cbModulus));
  if (with_private) {
    // RSAFULLPRIVATE: p, q, dp, dq, qi, d after e and n.
    numbers.p = strip_zeros(cng_field(blob, offset, header.cbPrime1));
    numbers.q = strip_zeros(cng_field(blob, offset, header.cbPrime2));
    numbers.dp = strip_zeros(cng_field(blob, offset, header.cbPrime1));
    numbers.dq = strip_zeros(cng_field(blob, offset, header.cbPrime2));
    numbers.qi = strip_zeros(cng_field(blob, offset, header.cbPrime1));
    numbers.d = strip_zeros(cng_field(blob, offset, header.cbModulus));
  }
  return numbers;
}

std::array<std::uint8_t, 32> cng_digest(std::string_view input) {
  return sha256(input);
}

}  // namespace

const char* name() {
  return "Windows CNG";
}

Key rsa_public_key(const std::string& n, const std::string& e) {
  return import_rsa_public(n, e, "the JWK");
}

Key p256_public_key(const std::string& x, const std::string& y) {
  return import_p256(x, y, std::string(), "the JWK");
}

Key private_key_from_pem(std::string_view pem) {
  der::KeyNumbers numbers = der::read_private_pem(pem);
  return import_numbers(numbers, "the private key");
}

Key public_key_from_pem(std::string_view pem) {
  der::KeyNumbers numbers = der::read_public_pem(pem);
  return import_numbers(numbers, "the public key");
}

Key generate_key(Alg alg) {
  const bool ec = alg == Alg::kES256;
  BCRYPT_KEY_HANDLE handle = nullptr;
  if (!cng_ok(BCryptGenerateKeyPair(cng_provider(ec), &handle,
                                    ec ? kCngP256Bits : kCngRsaGenerateBits, 0)) ||
      handle == nullptr) {
    throw JoseError("Windows CNG could not generate a key");
  }
  Key key = cng_adopt(handle, ec, true);
  if (!cng_ok(BCryptFinalizeKeyPair(handle, 0)))
    throw JoseError("Windows CNG could not generate a key");
  return key;
}

bool fits(const Key& key, Alg alg) {
  if (!key)
    return false;
  return cng_key(key).ec == (alg == Alg::kES256);
}

PublicNumbers public_numbers(const Key& key) {
  const der::KeyNumbers numbers = cng_numbers(key, false);
  PublicNumbers out;
  out.ec = numbers.kind == der::KeyNumbers::Kind::kP256;
  out.n = numbers.n;
  out.e = numbers.e;
  out.x = numbers.x;
  out.y = numbers.y;
  return out;
}

std::string public_pem(const Key& key) {
  return der::write_public_pem(cng_numbers(key, false));
}

std::string private_pem(const Key& key) {
  der::KeyNumbers numbers = cng_numbers(key, true);
  WipeNumbers wipe_after{numbers};
  return der::write_private_pem(numbers);
}

bool verify_signature(const Key& key, Alg alg, std::string_view input, std::string_view signature) {
  if (!fits(key, alg))
    return false;
  if (alg == Alg::kES256 && signature.size() != 2 * kCngP256Bytes)
    return false;  // JWS ES256 is raw r || s, exactly 64 bytes
  auto digest = cng_digest(input);
  std::string sig(signature);
  BCRYPT_PKCS1_PADDING_INFO padding{BCRYPT_SHA256_ALGORITHM};
  const NTSTATUS status = BCryptVerifySignature(
      cng_handle(key), alg == Alg::kRS256 ? &padding : nullptr, digest.data(),
      static_cast<ULONG>(digest.size()), reinterpret_cast<PUCHAR>(sig.data()),
      static_cast<ULONG>(sig.size()), alg == Alg::kRS256 ? BCRYPT_PAD_PKCS1 : 0);
  return status == 0;
}

std::string create_signature(const Key& key, Alg alg, std::string_view input) {
  if (!fits(key, alg))
    throw JoseError(std::string("the key does not fit ") + alg_name(alg));
  if (!cng_key(key).has_private)
    throw JoseError("the key is public only and cannot sign");
  auto digest = cng_digest(input);
  BCRYPT_PKCS1_PADDING_INFO padding{BCRYPT_SHA256_ALGORITHM};
  void* padding_info = alg == Alg::kRS256 ? &padding : nullptr;
  const ULONG flags = alg == Alg::kRS256 ? BCRYPT_PAD_PKCS1 : 0;
  // One call into a buffer big enough for any RSA modulus (16384 bits, OpenSSL's own maximum):
  // Wine's CNG does not answer the size query for ECDSA.
  std::string signature(2048, '\0');
  ULONG size = 0;
  if (!cng_ok(BCryptSignHash(cng_handle(key), padding_info, digest.data(),
                             static_cast<ULONG>(digest.size()),
                             reinterpret_cast<PUCHAR>(signature.data()),
                             static_cast<ULONG>(signature.size()), &size, flags)) ||
      size == 0 || size > signature.size()) {
    throw JoseError("Windows CNG could not sign (is it a private key?)");
  }
  signature.resize(size);
  // ECDSA P-256 in CNG is already JOSE's raw r || s.
  if (alg == Alg::kES256 && signature.size() != 2 * kCngP256Bytes)
    throw JoseError("Windows CNG produced an ECDSA signature of unexpected length");
  return signature;
}

}  // namespace roserocket::detail::jose::backend
