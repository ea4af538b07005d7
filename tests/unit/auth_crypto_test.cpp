// SHA-256, base64(url), CSPRNG and PKCE: the primitives behind the authorization-code grant.

#include <gtest/gtest.h>

#include <set>

#include "auth/crypto.hpp"
#include "http/url.hpp"
#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/errors.hpp"

namespace {

using roserocket::detail::base64_encode;
using roserocket::detail::base64url_encode;

std::string hex(const std::array<std::uint8_t, 32>& digest) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string sha_hex(const std::string& text) {
  return hex(roserocket::detail::sha256(text));
}

TEST(Sha256, MatchesFipsExamples) {
  // FIPS 180-2 appendix B and the NIST example values.
  EXPECT_EQ(sha_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, HandlesPaddingAtBlockBoundaries) {
  // 55 bytes fit the length in one block, 56 need a second; 64 and 120 cross whole blocks.
  EXPECT_EQ(sha_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha_hex(std::string(63, 'a')),
            "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
  EXPECT_EQ(sha_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  EXPECT_EQ(sha_hex(std::string(119, 'a')),
            "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
  EXPECT_EQ(sha_hex(std::string(120, 'a')),
            "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c");
}

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Url, UsesUrlAlphabetWithoutPadding) {
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(base64_encode(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(Pkce, MatchesRfc7636AppendixB) {
  // The RFC's own pair. (A value "E9cRVl-..." circulates for this verifier; it is not the RFC's.)
  EXPECT_EQ(roserocket::pkce_code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(RandomBytes, AreOfTheAskedLengthAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto bytes = roserocket::detail::random_bytes(32);
    ASSERT_EQ(bytes.size(), 32u);
    seen.insert(bytes);
  }
  EXPECT_EQ(seen.size(), 100u);
  const auto token = roserocket::detail::random_urlsafe(32);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
}

TEST(SecureUrl, AllowsHttpsAndLoopbackHttpOnly) {
  using roserocket::detail::require_secure_url;
  EXPECT_NO_THROW(require_secure_url("https://a.roserocket.com/oauth/token", "token_url", false));
  EXPECT_NO_THROW(require_secure_url("http://127.0.0.1:8080/oauth/token", "token_url", false));
  EXPECT_NO_THROW(require_secure_url("http://localhost/oauth/token", "token_url", false));
  EXPECT_NO_THROW(require_secure_url("http://[::1]:9/x", "token_url", false));
  EXPECT_THROW(require_secure_url("http://a.roserocket.com/oauth/token", "token_url", false),
               roserocket::InvalidArgumentError);
  EXPECT_NO_THROW(require_secure_url("http://a.roserocket.com/oauth/token", "token_url", true));
  EXPECT_THROW(require_secure_url("ftp://a.roserocket.com/x", "token_url", false),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(require_secure_url("https://user:pw@a.roserocket.com/x", "token_url", false),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(require_secure_url("a.roserocket.com/x", "token_url", false),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(require_secure_url("http://127.example.com/x", "token_url", false),
               roserocket::InvalidArgumentError)
      << "only a literal 127.x address is loopback";
}

TEST(Url, ErrorsNameThePathWithoutQueryOrFragment) {
  using roserocket::detail::path_for_errors;
  EXPECT_EQ(path_for_errors("https://host:443/api/v2/objects?access_token=s3cret"),
            "/api/v2/objects");
  EXPECT_EQ(path_for_errors("https://host/oauth/token#frag"), "/oauth/token");
  EXPECT_EQ(path_for_errors("https://host"), "/");
  EXPECT_EQ(path_for_errors("https://host?code=s3cret"), "/");
  EXPECT_EQ(path_for_errors("https://host?next=/account&code=s3cret"), "/")
      << "a '/' in the query is not a path";
  EXPECT_EQ(path_for_errors("/relative/path?x=1"), "/relative/path");
}

TEST(Query, DecodesPercentAndPlus) {
  const auto fields = roserocket::detail::parse_query("?a=1+2&b=%2F%3d&c&d=");
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>{"a", "1 2"}));
  EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"b", "/="}));
  EXPECT_EQ(fields[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(fields[3], (std::pair<std::string, std::string>{"d", ""}));
  EXPECT_EQ(roserocket::detail::encode_form({{"a b", "x/y"}}), "a%20b=x%2Fy");
}

}  // namespace
