#pragma once

// Private URL helpers shared by Client and the OAuth providers (not part of the public API).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace roserocket::detail {

/// @brief The pieces of an absolute URL the SDK needs to judge it.
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // as written; IPv6 keeps its brackets
  std::string port;    // empty when absent
  std::string path;    // "/..." or empty; includes the query
};

/// @brief Splits "scheme://host[:port][/path?query]".
/// @throw InvalidArgumentError naming @p what when @p url is not absolute or has user info.
UrlParts split_url(const std::string& url, std::string_view what);

/// @brief "/api/v2/x" from "https://host:443/api/v2/x?query#part", "/" when there is no path: what
/// an error may name of a URL (never its query, which may carry a secret).
std::string path_for_errors(const std::string& url);

/// @brief 127.0.0.0/8, ::1 and localhost: hosts where plain http never leaves the machine.
bool is_loopback_host(std::string_view host);

/// @brief Refuses a URL that would carry credentials unencrypted: anything but https, except
/// http to a loopback host (or any host when @p allow_plain_http).
/// @throw InvalidArgumentError naming @p what.
UrlParts require_secure_url(const std::string& url, std::string_view what, bool allow_plain_http);

/// @brief The value of hex digit @p c (either case), or -1 when it is not one.
int hex_digit_value(char c) noexcept;

/// @brief Decodes %XX escapes; '+' becomes a space when @p plus_is_space (form/query encoding).
std::string percent_decode(std::string_view text, bool plus_is_space);

/// @brief Splits "a=1&b=2" into decoded pairs; a leading '?' is skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

/// @brief "a=1&b=2" from pairs, each key and value percent-encoded.
std::string encode_form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace roserocket::detail
