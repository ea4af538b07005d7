#include "roserocket/auth/endpoints.hpp"

#include <string>

#include "http/url.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

bool is_rose_rocket_host(std::string_view host) {
  constexpr std::string_view domain = "roserocket.com";
  if (host == domain)
    return true;
  return host.size() > domain.size() + 1 &&
         host.substr(host.size() - domain.size() - 1) == std::string(".") + std::string(domain);
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::optional<OAuthEndpoints> oauth_endpoints_for(std::string_view base_url) {
  detail::UrlParts url;
  try {
    url = detail::split_url(std::string(base_url), "base_url");
  } catch (const InvalidArgumentError&) {
    return std::nullopt;
  }
  const std::string host = lower_case(url.host);
  if (url.scheme == "https" && is_rose_rocket_host(host) &&
      (url.port.empty() || url.port == "443")) {
    OAuthEndpoints rose_rocket;
    rose_rocket.token_url = "https://a.roserocket.com/oauth/token";
    rose_rocket.authorize_url = "https://a.roserocket.com/authorize";
    rose_rocket.issuer = "https://a.roserocket.com/";  // Auth0 spells its issuer with the slash
    return rose_rocket;
  }
  if ((url.scheme == "http" || url.scheme == "https") && detail::is_loopback_host(host)) {
    const std::string origin =
        url.scheme + "://" + url.host + (url.port.empty() ? "" : ":" + url.port);
    OAuthEndpoints same_origin;
    same_origin.token_url = origin + "/oauth/token";
    same_origin.authorize_url = origin + "/authorize";
    same_origin.issuer = origin;
    same_origin.jwks_url = origin + "/.well-known/jwks.json";
    return same_origin;
  }
  return std::nullopt;
}

}  // namespace roserocket
