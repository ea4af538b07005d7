// ClientOptions::from_env: the RR_* variables the examples and rr read (issue 23, ADR 0022).

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/endpoints.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/auth/token_provider.hpp"
#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

std::string read_setting(const EnvironmentLookup& lookup, const char* name) {
  if (!lookup)
    return {};
  std::optional<std::string> value = lookup(name);
  return value ? std::move(*value) : std::string();
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0')
      return std::nullopt;
    return std::string(value);
  };
}

ClientOptions ClientOptions::from_env() {
  return from_env(process_environment(), OAuthOptions{});
}

ClientOptions ClientOptions::from_env(const EnvironmentLookup& lookup) {
  return from_env(lookup, OAuthOptions{});
}

ClientOptions ClientOptions::from_env(const EnvironmentLookup& lookup, const OAuthOptions& oauth) {
  ClientOptions options;
  if (std::string base_url = read_setting(lookup, "RR_BASE_URL"); !base_url.empty())
    options.base_url = std::move(base_url);
  if (std::string org = read_setting(lookup, "RR_ORG_ID"); !org.empty())
    options.org_id = std::move(org);

  if (std::string token = read_setting(lookup, "RR_ACCESS_TOKEN"); !token.empty()) {
    options.token_provider = std::make_shared<StaticTokenProvider>(std::move(token));
    return options;
  }

  OAuthOptions grant = oauth;
  if (std::string id = read_setting(lookup, "RR_CLIENT_ID"); !id.empty())
    grant.client_id = std::move(id);
  if (std::string secret = read_setting(lookup, "RR_CLIENT_SECRET"); !secret.empty())
    grant.client_secret = std::move(secret);
  if (grant.client_id.empty() && grant.client_secret.empty()) {
    throw InvalidArgumentError(
        "no credentials in the environment: set RR_ACCESS_TOKEN, or RR_CLIENT_ID and "
        "RR_CLIENT_SECRET");
  }
  if (grant.client_id.empty())
    throw InvalidArgumentError("RR_CLIENT_SECRET is set but RR_CLIENT_ID is not: set both");
  if (grant.client_secret.empty() && grant.client_auth != ClientAuthMethod::kPrivateKeyJwt)
    throw InvalidArgumentError("RR_CLIENT_ID is set but RR_CLIENT_SECRET is not: set both");
  if (std::string url = read_setting(lookup, "RR_TOKEN_URL"); !url.empty())
    grant.token_url = std::move(url);
  if (std::string issuer = read_setting(lookup, "RR_ISSUER"); !issuer.empty())
    grant.issuer = std::move(issuer);
  if (std::string audience = read_setting(lookup, "RR_AUDIENCE"); !audience.empty())
    grant.audience = std::move(audience);

  // The secret goes only where the user pointed: a token URL or issuer they named, or the
  // authorization server that belongs with the base URL they named.
  if (grant.token_url.empty() && grant.issuer.empty()) {
    const auto endpoints = oauth_endpoints_for(options.base_url);
    if (!endpoints) {
      throw InvalidArgumentError("RR_BASE_URL is " + options.base_url +
                                 ", whose token endpoint is not known: set RR_TOKEN_URL (the "
                                 "client secret is sent only to a host you name)");
    }
    grant.token_url = endpoints->token_url;
  }
  options.token_provider = std::make_shared<ClientCredentialsTokenProvider>(std::move(grant));
  return options;
}

}  // namespace roserocket
