#pragma once

// The encodings a server may echo a request's values in, written independently of the SDK's
// decoders (issue 22), and secrets made of each character those encodings treat differently.
// Shared by the redactor's unit tests and the echoing token endpoint's integration test.

#include <cctype>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rr_test::echo {

inline std::string hex_escape(unsigned char c, bool lower) {
  char buf[4];
  std::snprintf(buf, sizeof buf, lower ? "%%%02x" : "%%%02X", c);
  return buf;
}

// Percent-encodes every byte but ASCII alphanumerics and @p keep; @p plus turns a space to '+'.
inline std::string percent(const std::string& s, const std::string& keep, bool lower, bool plus) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 && (std::isalnum(c) || keep.find(ch) != std::string::npos))
      out += ch;
    else if (plus && ch == ' ')
      out += '+';
    else
      out += hex_escape(c, lower);
  }
  return out;
}

// A JSON string's body (no quotes), every non-ASCII character as \uXXXX (surrogate pairs).
inline std::string json_ascii(const std::string& s) {
  const std::string quoted = nlohmann::json(s).dump(-1, ' ', /*ensure_ascii=*/true);
  return quoted.substr(1, quoted.size() - 2);
}

// JSON with '/' escaped too, as PHP's json_encode does.
inline std::string json_slashes(const std::string& s) {
  std::string out;
  for (const char ch : json_ascii(s)) {
    if (ch == '/')
      out += "\\/";
    else
      out += ch;
  }
  return out;
}

// Every byte as \u00XX (an encoder that escapes everything); non-ASCII as json_ascii does.
inline std::string json_all_units(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80)
      return json_ascii(s);
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", c);
    out += buf;
  }
  return out;
}

// RFC 3986's unreserved characters.
inline const std::string kRfc3986 = "-._~";
// The application/x-www-form-urlencoded serializer of the WHATWG URL standard (browsers' forms,
// JavaScript's URLSearchParams): keeps *-._ and alphanumerics, space as '+'.
inline const std::string kUrlSearchParams = "*-._";
// JavaScript's encodeURIComponent.
inline const std::string kEncodeUriComponent = "-_.!~*'()";

struct Encoding {
  const char* name;
  std::function<std::string(const std::string&)> encode;
};

inline std::vector<Encoding> encodings() {
  using S = const std::string&;
  return {
      {"raw", [](S s) { return s; }},
      {"percent upper %20", [](S s) { return percent(s, kRfc3986, false, false); }},
      {"percent lower %20", [](S s) { return percent(s, kRfc3986, true, false); }},
      {"percent upper +", [](S s) { return percent(s, kRfc3986, false, true); }},
      {"percent lower +", [](S s) { return percent(s, kRfc3986, true, true); }},
      {"every byte percent-encoded", [](S s) { return percent(s, "", false, false); }},
      {"URLSearchParams / browser form",
       [](S s) { return percent(s, kUrlSearchParams, false, true); }},
      {"encodeURIComponent", [](S s) { return percent(s, kEncodeUriComponent, false, false); }},
      {"JSON", [](S s) { return json_ascii(s); }},
      {"JSON with \\/", [](S s) { return json_slashes(s); }},
      {"JSON every byte \\u00XX", [](S s) { return json_all_units(s); }},
      {"JSON of URLSearchParams",
       [](S s) { return json_slashes(percent(s, kUrlSearchParams, false, true)); }},
      {"URLSearchParams of JSON",
       [](S s) { return percent(json_ascii(s), kUrlSearchParams, false, true); }},
  };
}

// Secrets made of each reserved character (and a non-ASCII one, and one outside the BMP), at the
// start, inside and at the end; then all at once, and one that looks percent-encoded already.
inline std::vector<std::string> reserved_secrets() {
  std::vector<std::string> out;
  for (const std::string c : {" ", "/", "+", "~", "*", "!", "'", "(", ")", "&", "=", "%", "\"",
                              "\\", "\xC3\xA9", "\xF0\x9F\x9A\x9A"}) {
    out.push_back(c + "Sec" + c + "ret" + c);
  }
  out.push_back(" /+~*!'()&=%\"\\\xC3\xA9 all-in-one");
  out.push_back("%2F not an escape %41");
  return out;
}

}  // namespace rr_test::echo
