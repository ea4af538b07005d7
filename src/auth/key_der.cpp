#include "auth/key_der.hpp"

#include <cstdint>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/jose.hpp"

namespace roserocket::detail::jose::der {
namespace {

// DER tags used here.
constexpr std::uint8_t kTagInteger = 0x02;
constexpr std::uint8_t kTagBitString = 0x03;
constexpr std::uint8_t kTagOctetString = 0x04;
constexpr std::uint8_t kTagNull = 0x05;
constexpr std::uint8_t kTagOid = 0x06;
constexpr std::uint8_t kTagSequence = 0x30;
constexpr std::uint8_t kTagContext0 = 0xA0;
constexpr std::uint8_t kTagContext1 = 0xA1;

// Object identifiers, as their DER contents.
const std::string kOidRsaEncryption("\x2A\x86\x48\x86\xF7\x0D\x01\x01\x01", 9);
const std::string kOidEcPublicKey("\x2A\x86\x48\xCE\x3D\x02\x01", 7);
const std::string kOidPrime256v1("\x2A\x86\x48\xCE\x3D\x03\x01\x07", 8);

constexpr std::size_t kDerP256Bytes = 32;

[[noreturn]] void malformed(const char* what) {
  throw JoseError(std::string(what) + " is not a well-formed key (DER)");
}

// A bounds-checked reader over one DER value's contents.
class DerReader {
 public:
  DerReader(std::string_view data, const char* what) : data_(data), what_(what) {}

  [[nodiscard]] bool done() const { return pos_ == data_.size(); }
  [[nodiscard]] bool next_is(std::uint8_t tag) const {
    return pos_ < data_.size() && static_cast<std::uint8_t>(data_[pos_]) == tag;
  }

  // The contents of the next element, which must carry @p tag.
  std::string_view take(std::uint8_t tag) {
    if (!next_is(tag))
      malformed(what_);
    ++pos_;
    if (pos_ >= data_.size())
      malformed(what_);
    std::size_t length = static_cast<std::uint8_t>(data_[pos_++]);
    if (length & 0x80u) {
      const std::size_t count = length & 0x7Fu;
      // Definite, minimal long form of at most 3 bytes (16 MiB is far beyond any key).
      if (count == 0 || count > 3 || pos_ + count > data_.size())
        malformed(what_);
      length = 0;
      for (std::size_t i = 0; i < count; ++i)
        length = (length << 8) | static_cast<std::uint8_t>(data_[pos_++]);
      if (length < 0x80 || (count > 1 && (length >> (8 * (count - 1))) == 0))
        malformed(what_);
    }
    if (length > data_.size() - pos_)
      malformed(what_);
    const std::string_view contents = data_.substr(pos_, length);
    pos_ += length;
    return contents;
  }

  // A non-negative INTEGER as big-endian bytes without leading zeros (zero gives one 0 byte).
  std::string unsigned_integer() {
    std::string_view value = take(kTagInteger);
    if (value.empty() || (static_cast<std::uint8_t>(value[0]) & 0x80u))
      malformed(what_);  // empty or negative
    if (value.size() > 1 && value[0] == '\0' && !(static_cast<std::uint8_t>(value[1]) & 0x80u))
      malformed(what_);  // not minimal
    while (value.size() > 1 && value[0] == '\0')
      value.remove_prefix(1);
    return std::string(value);
  }

  // A small INTEGER (versions).
  long small_integer() {
    const std::string value = unsigned_integer();
    if (value.size() > 2)
      malformed(what_);
    long out = 0;
    for (const char c : value)
      out = (out << 8) | static_cast<std::uint8_t>(c);
    return out;
  }

  // A BIT STRING with no unused bits: its bytes.
  std::string_view bit_string() {
    std::string_view value = take(kTagBitString);
    if (value.empty() || value[0] != '\0')
      malformed(what_);
    return value.substr(1);
  }

 private:
  std::string_view data_;
  const char* what_;
  std::size_t pos_ = 0;
};

// --- writing -------------------------------------------------------------------------------

std::string tlv(std::uint8_t tag, std::string_view contents) {
  std::string out(1, static_cast<char>(tag));
  const std::size_t length = contents.size();
  if (length < 0x80) {
    out.push_back(static_cast<char>(length));
  } else {
    std::string bytes;
    for (std::size_t rest = length; rest > 0; rest >>= 8)
      bytes.insert(bytes.begin(), static_cast<char>(rest & 0xFFu));
    out.push_back(static_cast<char>(0x80u | bytes.size()));
    out += bytes;
  }
  out.append(contents.data(), contents.size());
  return out;
}

std::string integer(std::string_view big_endian) {
  while (big_endian.size() > 1 && big_endian[0] == '\0')
    big_endian.remove_prefix(1);
  std::string contents(big_endian.empty() ? std::string_view("\0", 1) : big_endian);
  if (static_cast<std::uint8_t>(contents[0]) & 0x80u)
    contents.insert(contents.begin(), '\0');
  return tlv(kTagInteger, contents);
}

std::string bit_string_of(std::string_view bytes) {
  return tlv(kTagBitString, std::string(1, '\0') + std::string(bytes));
}

std::string algorithm_identifier(const KeyNumbers& key) {
  if (key.kind == KeyNumbers::Kind::kRsa)
    return tlv(kTagSequence, tlv(kTagOid, kOidRsaEncryption) + tlv(kTagNull, ""));
  return tlv(kTagSequence, tlv(kTagOid, kOidEcPublicKey) + tlv(kTagOid, kOidPrime256v1));
}

std::string uncompressed_point(const KeyNumbers& key) {
  return std::string(1, '\x04') + key.x + key.y;
}

std::string pem_of(const char* label, const std::string& der_bytes) {
  const std::string body = base64_encode(der_bytes);
  std::string out = std::string("-----BEGIN ") + label + "-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) {
    out += body.substr(i, 64);
    out += '\n';
  }
  out += std::string("-----END ") + label + "-----\n";
  return out;
}

// --- PEM reading ---------------------------------------------------------------------------

// Standard base64 with optional padding, whitespace between lines ignored. False for anything
// else (a header line such as "Proc-Type: 4,ENCRYPTED" included).
bool pem_base64_decode(std::string_view text, std::string& out) {
  out.clear();
  Base64Digits digits(/*url_safe=*/false);
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0)
      return false;  // data after padding
    if (!digits.add(c, out))
      return false;
  }
  return padding <= 2 && !out.empty();
}

struct PemBlock {
  std::string label;
  std::string der;
};

// The blocks of @p text in order; the text between blocks is ignored, as OpenSSL does.
std::vector<PemBlock> pem_blocks(std::string_view text, const char* what) {
  std::vector<PemBlock> out;
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kDashes = "-----";
  std::size_t pos = 0;
  while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
    const std::size_t label_start = pos + kBegin.size();
    const std::size_t label_end = text.find(kDashes, label_start);
    if (label_end == std::string_view::npos)
      break;
    const std::string label(text.substr(label_start, label_end - label_start));
    const std::string end_line = "-----END " + label + "-----";
    const std::size_t body_start = label_end + kDashes.size();
    const std::size_t body_end = text.find(end_line, body_start);
    if (body_end == std::string_view::npos)
      throw JoseError(std::string(what) + " has a PEM block without its END line");
    PemBlock block;
    block.label = label;
    if (!pem_base64_decode(text.substr(body_start, body_end - body_start), block.der)) {
      throw JoseError(std::string(what) +
                      " has a PEM block that is not plain base64 (an encrypted key?)");
    }
    out.push_back(std::move(block));
    pos = body_end + end_line.size();
  }
  return out;
}

// --- key structures --------------------------------------------------------------------------

void check_rsa_public(const KeyNumbers& key, const char* what) {
  if (key.n.empty() || key.e.empty() || key.n == std::string(1, '\0') ||
      key.e == std::string(1, '\0')) {
    malformed(what);
  }
}

KeyNumbers rsa_private_key(std::string_view der_bytes, const char* what) {
  DerReader outer(der_bytes, what);
  DerReader seq(outer.take(kTagSequence), what);
  if (!outer.done())
    malformed(what);
  if (seq.small_integer() != 0)
    throw JoseError(std::string(what) + " is a multi-prime RSA key, which is not supported");
  KeyNumbers key;
  key.kind = KeyNumbers::Kind::kRsa;
  key.n = seq.unsigned_integer();
  key.e = seq.unsigned_integer();
  key.d = seq.unsigned_integer();
  key.p = seq.unsigned_integer();
  key.q = seq.unsigned_integer();
  key.dp = seq.unsigned_integer();
  key.dq = seq.unsigned_integer();
  key.qi = seq.unsigned_integer();
  if (!seq.done())
    malformed(what);
  check_rsa_public(key, what);
  return key;
}

void read_point(std::string_view point, KeyNumbers& key, const char* what) {
  if (point.size() != 1 + 2 * kDerP256Bytes || point[0] != '\x04') {
    throw JoseError(std::string(what) + " is not an uncompressed P-256 point");
  }
  key.x = std::string(point.substr(1, kDerP256Bytes));
  key.y = std::string(point.substr(1 + kDerP256Bytes));
}

// SEC1 ECPrivateKey. @p curve_known: the curve came from PKCS#8's algorithm identifier.
KeyNumbers ec_private_key(std::string_view der_bytes, bool curve_known, const char* what) {
  DerReader outer(der_bytes, what);
  DerReader seq(outer.take(kTagSequence), what);
  if (!outer.done())
    malformed(what);
  if (seq.small_integer() != 1)
    malformed(what);
  KeyNumbers key;
  key.kind = KeyNumbers::Kind::kP256;
  const std::string_view d = seq.take(kTagOctetString);
  if (d.size() != kDerP256Bytes)
    throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
  key.d = std::string(d);
  if (seq.next_is(kTagContext0)) {
    DerReader params(seq.take(kTagContext0), what);
    if (params.take(kTagOid) != kOidPrime256v1 || !params.done())
      throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
    curve_known = true;
  }
  if (!curve_known)
    throw JoseError(std::string(what) + " does not name its curve");
  if (!seq.next_is(kTagContext1)) {
    throw JoseError(std::string(what) +
                    " carries no public point; write it with the point (OpenSSL's default)");
  }
  DerReader public_key(seq.take(kTagContext1), what);
  read_point(public_key.bit_string(), key, what);
  if (!public_key.done() || !seq.done())
    malformed(what);
  return key;
}

KeyNumbers pkcs8(std::string_view der_bytes, const char* what) {
  DerReader outer(der_bytes, what);
  DerReader seq(outer.take(kTagSequence), what);
  if (!outer.done())
    malformed(what);
  const long version = seq.small_integer();
  if (version != 0 && version != 1)
    malformed(what);
  DerReader algorithm(seq.take(kTagSequence), what);
  const std::string_view oid = algorithm.take(kTagOid);
  const std::string_view inner = seq.take(kTagOctetString);
  // Attributes ([0]) and, in version 1, the public key ([1]) may follow; neither is needed.
  if (oid == kOidRsaEncryption) {
    if (algorithm.next_is(kTagNull))
      (void)algorithm.take(kTagNull);
    if (!algorithm.done())
      malformed(what);
    return rsa_private_key(inner, what);
  }
  if (oid == kOidEcPublicKey) {
    if (algorithm.take(kTagOid) != kOidPrime256v1 || !algorithm.done())
      throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
    return ec_private_key(inner, true, what);
  }
  throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
}

KeyNumbers subject_public_key_info(std::string_view der_bytes, const char* what) {
  DerReader outer(der_bytes, what);
  DerReader seq(outer.take(kTagSequence), what);
  if (!outer.done())
    malformed(what);
  DerReader algorithm(seq.take(kTagSequence), what);
  const std::string_view oid = algorithm.take(kTagOid);
  const std::string_view bits = seq.bit_string();
  if (!seq.done())
    malformed(what);
  KeyNumbers key;
  if (oid == kOidRsaEncryption) {
    if (algorithm.next_is(kTagNull))
      (void)algorithm.take(kTagNull);
    if (!algorithm.done())
      malformed(what);
    key.kind = KeyNumbers::Kind::kRsa;
    DerReader rsa_outer(bits, what);
    DerReader rsa(rsa_outer.take(kTagSequence), what);
    key.n = rsa.unsigned_integer();
    key.e = rsa.unsigned_integer();
    if (!rsa.done() || !rsa_outer.done())
      malformed(what);
    check_rsa_public(key, what);
    return key;
  }
  if (oid == kOidEcPublicKey) {
    if (algorithm.take(kTagOid) != kOidPrime256v1 || !algorithm.done())
      throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
    key.kind = KeyNumbers::Kind::kP256;
    read_point(bits, key, what);
    return key;
  }
  throw JoseError(std::string(what) + " is neither an RSA nor an EC P-256 key");
}

}  // namespace

KeyNumbers read_private_pem(std::string_view pem) {
  const char* what = "the private key";
  for (const auto& block : pem_blocks(pem, what)) {
    if (block.label == "EC PARAMETERS")
      continue;  // `openssl ecparam -genkey` writes the curve before the key
    if (block.label == "PRIVATE KEY")
      return pkcs8(block.der, what);
    if (block.label == "RSA PRIVATE KEY")
      return rsa_private_key(block.der, what);
    if (block.label == "EC PRIVATE KEY")
      return ec_private_key(block.der, false, what);
    break;
  }
  throw JoseError("the private key is not an unencrypted PEM private key");
}

KeyNumbers read_public_pem(std::string_view pem) {
  const char* what = "the public key";
  const auto blocks = pem_blocks(pem, what);
  if (blocks.empty() || blocks.front().label != "PUBLIC KEY")
    throw JoseError("the public key is not a PEM public key");
  return subject_public_key_info(blocks.front().der, what);
}

std::string write_public_pem(const KeyNumbers& key) {
  std::string bits;
  if (key.kind == KeyNumbers::Kind::kRsa)
    bits = tlv(kTagSequence, integer(key.n) + integer(key.e));
  else
    bits = uncompressed_point(key);
  return pem_of("PUBLIC KEY", tlv(kTagSequence, algorithm_identifier(key) + bit_string_of(bits)));
}

std::string write_private_pem(const KeyNumbers& key) {
  if (!key.has_private())
    throw JoseError("the key is public only; there is no private key to write");
  std::string inner;
  if (key.kind == KeyNumbers::Kind::kRsa) {
    inner = tlv(kTagSequence, integer("") + integer(key.n) + integer(key.e) + integer(key.d) +
                                  integer(key.p) + integer(key.q) + integer(key.dp) +
                                  integer(key.dq) + integer(key.qi));
  } else {
    // The curve is in the algorithm identifier; the point goes along, as OpenSSL writes it.
    inner = tlv(kTagSequence, integer(std::string(1, '\x01')) + tlv(kTagOctetString, key.d) +
                                  tlv(kTagContext1, bit_string_of(uncompressed_point(key))));
  }
  return pem_of("PRIVATE KEY", tlv(kTagSequence, integer("") + algorithm_identifier(key) +
                                                     tlv(kTagOctetString, inner)));
}

}  // namespace roserocket::detail::jose::der
