#include "util.hpp"

#include "auth/crypto.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <vector>

namespace rr_emulator::detail {

// Random bytes come from the SDK's own CSPRNG helper (one implementation).
using roserocket::detail::random_bytes;

namespace {

std::string format_uuid(std::string bytes, int version) {
  bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0fu) | (version << 4));
  bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3fu) | 0x80u);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out += '-';
    auto b = static_cast<unsigned char>(bytes[i]);
    out += hex[b >> 4];
    out += hex[b & 0x0fu];
  }
  return out;
}

}  // namespace

std::string uuid_v4() {
  return format_uuid(random_bytes(16), 4);
}

std::string name_uuid(std::string_view name) {
  // SHA-256 instead of RFC 4122's SHA-1: only stability matters here, and we have SHA-256.
  return format_uuid(sha256("rr-emulator:" + std::string(name)).substr(0, 16), 5);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string random_token(std::size_t bytes) {
  return base64url_encode(random_bytes(bytes));
}

std::string iso_timestamp(std::chrono::system_clock::time_point when) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string iso_now() {
  return iso_timestamp(std::chrono::system_clock::now());
}

std::string iso_now(std::chrono::milliseconds resolution) {
  if (resolution.count() <= 1)
    return iso_now();
  using std::chrono::milliseconds;
  const auto since_epoch =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  const auto floored = milliseconds(since_epoch.count() - since_epoch.count() % resolution.count());
  return iso_timestamp(std::chrono::system_clock::time_point(floored));
}

std::string sha256(std::string_view data) {
  const auto digest = roserocket::detail::sha256(data);
  return std::string(digest.begin(), digest.end());
}

bool base64_decode(std::string_view text, std::string& out) {
  out.clear();
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      return false;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xffu);
    }
  }
  return true;
}

std::string url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() &&
               std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0x0fu];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  for (const auto& pair : split(body, '&')) {
    auto eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1), true);
    out[key] = value;
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(sep, start);
    if (end == std::string_view::npos)
      end = text.size();
    if (end > start)
      out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace rr_emulator::detail
