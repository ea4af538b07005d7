#pragma once

// Private primitives for OAuth: SHA-256 (PKCE S256), base64/base64url, and CSPRNG bytes.
// Written here so that the SDK does not depend on which TLS library libcurl was built with.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace roserocket::detail {

/// @brief SHA-256 (FIPS 180-4) of @p data.
std::array<std::uint8_t, 32> sha256(std::string_view data);

/// @brief Standard base64 with '=' padding (RFC 4648 §4), as HTTP Basic auth wants.
std::string base64_encode(std::string_view data);

/// @brief base64url without padding (RFC 4648 §5), as PKCE and JWTs use.
std::string base64url_encode(std::string_view data);

/// @brief The 6-bit value of base64 digit @p c: the standard alphabet ('+', '/'), or base64url's
/// ('-', '_') when @p url_safe; -1 for any other character (padding included).
int base64_digit(char c, bool url_safe);

/// @brief Decodes base64 one digit at a time; the callers decide what else a text may hold
/// (padding, line breaks) and what its end must look like.
class Base64Digits {
 public:
  explicit Base64Digits(bool url_safe) : url_safe_(url_safe) {}
  /// @brief Adds digit @p c, appending each byte it completes to @p out.
  /// @return false when @p c is not a digit of the alphabet (nothing is appended then).
  bool add(char c, std::string& out);
  /// @brief Whether the bits after the last whole byte are zero, as a canonical encoding has them.
  [[nodiscard]] bool rest_is_zero() const { return (buffer_ & ((1u << bits_) - 1u)) == 0; }

 private:
  bool url_safe_;
  unsigned int buffer_ = 0;
  int bits_ = 0;
};

/// @brief @p count bytes from the kernel's CSPRNG (getrandom, else /dev/urandom).
/// @throw Error when neither source works: a predictable state or verifier is never used.
std::string random_bytes(std::size_t count);

/// @brief base64url of @p byte_count random bytes: 32 bytes give a 43-character PKCE verifier.
std::string random_urlsafe(std::size_t byte_count);

/// @brief BASE64URL(SHA256(verifier)), the PKCE S256 code challenge (RFC 7636 §4.2).
std::string pkce_s256_challenge(std::string_view code_verifier);

}  // namespace roserocket::detail
