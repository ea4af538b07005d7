// Issue 22: the redactor finds a secret in every encoding a server may echo it in (the encoders of
// support/echo_encodings.hpp, written independently of the SDK's decoders).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "core/redaction.hpp"
#include "roserocket/client.hpp"
#include "support/echo_encodings.hpp"

namespace rr = roserocket;
using rr_test::echo::Encoding;
using rr_test::echo::encodings;
using rr_test::echo::json_slashes;
using rr_test::echo::kUrlSearchParams;
using rr_test::echo::percent;
using rr_test::echo::reserved_secrets;

TEST(RedactionEncodings, EverySecretInEveryEncodingIsMasked) {
  for (const std::string& secret : reserved_secrets()) {
    for (const Encoding& e : encodings()) {
      const std::string encoded = e.encode(secret);
      const std::string text = "echo: client_secret=" + encoded + "&grant_type=x";
      const std::string out = rr::detail::redact(text, {secret});
      EXPECT_EQ(out, "echo: client_secret=***&grant_type=x")
          << e.name << " of [" << secret << "]: " << encoded;
    }
  }
}

TEST(RedactionEncodings, RegisteredSecretsAreMaskedTheSameWay) {
  for (const std::string& secret : reserved_secrets()) {
    const auto held = rr::detail::register_secret(secret);
    for (const Encoding& e : encodings()) {
      const std::string out = rr::detail::redact("<" + e.encode(secret) + ">");
      EXPECT_EQ(out, "<***>") << e.name << " of [" << secret << "]";
    }
  }
}

TEST(RedactionEncodings, BasicCredentialsInEveryBase64Form) {
  const std::string id = "client id/+";
  for (const std::string& secret : reserved_secrets()) {
    std::vector<std::string> hidden = rr::detail::basic_credential_forms(id, secret);
    hidden.push_back(secret);
    for (const std::string& credentials :
         {id + ":" + secret, rr::percent_encode(id) + ":" + rr::percent_encode(secret)}) {
      const std::string standard = rr::detail::base64_encode(credentials);
      std::string unpadded = standard;
      while (!unpadded.empty() && unpadded.back() == '=')
        unpadded.pop_back();
      const std::string url = rr::detail::base64url_encode(credentials);
      std::string url_padded = url;
      while (url_padded.size() % 4 != 0)
        url_padded += '=';
      for (const std::string& form : {standard, unpadded, url, url_padded}) {
        for (const std::string& text :
             {"Authorization: Basic " + form + " end",
              "{\"auth\":\"Basic " + json_slashes(form) + "\"}",
              "auth=Basic+" + percent(form, kUrlSearchParams, false, true) + "&x=1"}) {
          const std::string out = rr::detail::redact(text, hidden);
          EXPECT_EQ(out.find(unpadded.substr(0, unpadded.size() - 2)), std::string::npos)
              << "[" << secret << "] " << text << " -> " << out;
          EXPECT_EQ(out.find(url.substr(0, url.size() - 2)), std::string::npos) << out;
          EXPECT_NE(out.find("***"), std::string::npos) << out;
        }
      }
    }
  }
}

TEST(RedactionEncodings, LeavesTextWithoutTheSecretAlone) {
  const std::string secret = "a+b c/d";
  for (const std::string& text :
       {std::string("a+b c/x"), std::string("a b c/x"), std::string("a%2Bb%20c%2F"),
        std::string("100% \\u00"), std::string("\\ud83d lone"), std::string("a\\u002bb c")}) {
    EXPECT_EQ(rr::detail::redact(text, {secret}), text);
  }
  // The same bytes differently encoded are still the secret.
  EXPECT_EQ(rr::detail::redact("a\\u002bb c/d", {secret}), "***");
}

TEST(RedactionEncodings, OverlappingAndAdjacentMatchesBecomeOneMask) {
  EXPECT_EQ(rr::detail::redact("x abab-abab y", {"abab-abab", "b-ab"}), "x *** y");
  EXPECT_EQ(rr::detail::redact("x s3cr3t-ones3cr3t-one y", {"s3cr3t-one"}), "x *** y");
  EXPECT_EQ(rr::detail::redact("aaaaaaaaa", {"aaaa"}), "***");
}

TEST(RedactionEncodings, AnEscapeCutInHalfIsMasked) {
  const std::string secret = "Zq9/\xC3\xA9-secret";
  for (const std::string& encoded :
       {std::string("Zq9%2F%C3%A9-secret"), std::string("Zq9\\/\\u00e9-secret"),
        std::string("Zq9/\\ud83d\\ude9a")}) {
    for (std::size_t keep = 1; keep < encoded.size(); ++keep) {
      const std::string text = "......" + encoded.substr(0, keep);
      const std::string out = rr::detail::redact_snippet(text, text.size() - 1, {secret});
      EXPECT_EQ(out.find("Zq"), std::string::npos) << text << " -> " << out;
    }
  }
}

TEST(RedactionEncodings, LargeAndRepetitiveTextsInOnePass) {
  // Patterns that make a naive matcher quadratic: long runs of a secret's own prefix, and of
  // escapes. The redactor is linear for each secret (KMP over each decoded view).
  const std::string secret = std::string(64, 'a') + "%b";
  std::string text(1 << 18, 'a');
  text += "%25b";
  EXPECT_EQ(rr::detail::redact(text, {secret}), std::string((1 << 18) - 64, 'a') + "***");
  const std::string escapes = std::string(1 << 17, '%') + std::string(1 << 17, '\\');
  EXPECT_EQ(rr::detail::redact(escapes, {secret}), escapes);
}
