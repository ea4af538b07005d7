// JOSE parsers: any compact JWS or JWK set is parsed or refused with JoseError, never crashes;
// a parsed JWS verifies false against a key that did not sign it; every key a JWK set yields
// exports again as a JWK that reads back to a usable key.
#include <cstdint>
#include <string_view>

#include "auth/jose.hpp"

namespace jose = roserocket::detail::jose;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const bool as_jwks = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  static const jose::Key ec = jose::Key::generate(jose::Alg::kES256);
  try {
    if (as_jwks) {
      for (const auto& jwk : jose::parse_jwks(text)) {
        if (!jwk.key.fits(jwk.alg))
          __builtin_trap();
        (void)jose::key_from_jwk(jwk.key.public_jwk(jwk.kid));
      }
    } else {
      const auto jws = jose::parse_jws(text);
      if (jws.alg != jose::Alg::kRS256 && jws.alg != jose::Alg::kES256)
        __builtin_trap();
      if (jose::verify(jws, ec))
        __builtin_trap();  // nobody outside this process holds that key
    }
  } catch (const jose::JoseError&) {
  }
  return 0;
}
