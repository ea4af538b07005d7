#include "auth/jose.hpp"

#include "auth/crypto.hpp"
#include "auth/crypto_backend.hpp"
#include "core/json_limits.hpp"

// The JOSE layer proper, the same on every platform: the key arithmetic is a backend's
// (crypto_backend.hpp; OpenSSL or Windows CNG).

namespace roserocket::detail::jose {
namespace {

constexpr std::size_t kP256Bytes = 32;

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
  Base64Digits digits(/*url_safe=*/true);
  for (const char c : text) {
    if (!digits.add(c, out))
      return false;
  }
  // Canonical form only: the bits left over must be zero.
  return digits.rest_is_zero();
}

Key Key::from_private_pem(std::string_view pem) {
  return backend::private_key_from_pem(pem);
}

Key Key::from_public_pem(std::string_view pem) {
  return backend::public_key_from_pem(pem);
}

Key Key::generate(Alg alg) {
  return backend::generate_key(alg);
}

bool Key::fits(Alg alg) const {
  return pkey_ != nullptr && backend::fits(*this, alg);
}

Alg Key::natural_alg() const {
  return fits(Alg::kES256) ? Alg::kES256 : Alg::kRS256;
}

nlohmann::json Key::public_jwk(const std::string& kid) const {
  const auto numbers = backend::public_numbers(*this);
  nlohmann::json jwk = nlohmann::json::object();
  if (numbers.ec) {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = base64url_encode(numbers.x);
    jwk["y"] = base64url_encode(numbers.y);
  } else {
    jwk["kty"] = "RSA";
    jwk["n"] = base64url_encode(numbers.n);
    jwk["e"] = base64url_encode(numbers.e);
  }
  if (!kid.empty()) {
    jwk["kid"] = kid;
    jwk["use"] = "sig";
    jwk["alg"] = alg_name(natural_alg());
  }
  return jwk;
}

std::string Key::public_pem() const {
  return backend::public_pem(*this);
}

std::string Key::private_pem() const {
  return backend::private_pem(*this);
}

Key key_from_jwk(const nlohmann::json& jwk) {
  if (!jwk.is_object())
    throw JoseError("the JWK is not a JSON object");
  const std::string kty = member(jwk, "kty");
  if (kty == "RSA")
    return backend::rsa_public_key(decoded_member(jwk, "n"), decoded_member(jwk, "e"));
  if (kty == "EC") {
    if (member(jwk, "crv") != "P-256")
      throw JoseError("the JWK's curve is not P-256");
    const std::string x = decoded_member(jwk, "x");
    const std::string y = decoded_member(jwk, "y");
    if (x.size() != kP256Bytes || y.size() != kP256Bytes)
      throw JoseError("the JWK's x or y is not 32 bytes long");
    return backend::p256_public_key(x, y);
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
  return key.fits(jws.alg) &&
         backend::verify_signature(key, jws.alg, jws.signing_input, jws.signature);
}

std::string sign(const nlohmann::json& payload, const Key& key, Alg alg, const std::string& kid) {
  if (!key.fits(alg))
    throw JoseError(std::string("the key does not fit ") + alg_name(alg));
  nlohmann::json header = {{"alg", alg_name(alg)}, {"typ", "JWT"}};
  if (!kid.empty())
    header["kid"] = kid;
  const std::string input =
      base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  return input + "." + base64url_encode(backend::create_signature(key, alg, input));
}

}  // namespace roserocket::detail::jose
