#include "http/url.hpp"

#include <cctype>

#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::detail {

UrlParts split_url(const std::string& url, std::string_view what) {
  const auto sep = url.find("://");
  if (sep == std::string::npos || sep == 0) {
    throw InvalidArgumentError(std::string(what) + " '" + url +
                               "' is not an absolute URL such as https://host/path");
  }
  UrlParts out;
  out.scheme = url.substr(0, sep);
  for (auto& c : out.scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string rest = url.substr(sep + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string authority = rest.substr(0, authority_end);
  if (authority_end != std::string::npos)
    out.path = rest.substr(authority_end);
  if (authority.empty() || authority.find_first_of("@ ") != std::string::npos) {
    // User info in a URL would put a password where logs and errors show it.
    throw InvalidArgumentError(std::string(what) +
                               " must name a host and carry no user info or spaces");
  }
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      throw InvalidArgumentError(std::string(what) + " '" + url + "' has an unclosed IPv6 host");
    }
    out.host = authority.substr(0, close + 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      out.port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos)
      out.port = authority.substr(colon + 1);
  }
  return out;
}

bool is_loopback_host(std::string_view host) {
  std::string lower(host);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost" || lower == "[::1]")
    return true;
  // 127.0.0.0/8 as a literal dotted quad only: "127.evil.example" is a name, not loopback.
  if (lower.rfind("127.", 0) != 0)
    return false;
  int dots = 0;
  for (char c : lower) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3 && lower.back() != '.';
}

UrlParts require_secure_url(const std::string& url, std::string_view what, bool allow_plain_http) {
  UrlParts parts = split_url(url, what);
  if (parts.scheme != "https" && parts.scheme != "http") {
    throw InvalidArgumentError(std::string(what) + " scheme '" + parts.scheme + "' is not http(s)");
  }
  if (parts.scheme == "http" && !is_loopback_host(parts.host) && !allow_plain_http) {
    throw InvalidArgumentError(
        std::string(what) + " '" + url +
        "' is plain http to a non-loopback host: credentials would cross the network "
        "unencrypted. Use https, or set dangerously_allow_plain_http for a test network");
  }
  return parts;
}

int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
        hex_digit_value(text[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!query.empty() && query.front() == '?')
    query.remove_prefix(1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view field = query.substr(0, amp);
    if (!field.empty()) {
      const auto eq = field.find('=');
      out.emplace_back(percent_decode(field.substr(0, eq), true),
                       eq == std::string_view::npos ? std::string()
                                                    : percent_decode(field.substr(eq + 1), true));
    }
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string encode_form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty())
      out += '&';
    out += percent_encode(key);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

std::string path_for_errors(const std::string& url) {
  const auto scheme = url.find("://");
  // The path starts at the first '/' after the authority, unless a query or fragment comes first
  // (a '/' in "https://host?next=/x" belongs to the query).
  const auto start = url.find_first_of("/?#", scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos || url[start] != '/')
    return "/";
  const auto end = url.find_first_of("?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace roserocket::detail
