#include "roserocket/auth/discovery.hpp"

#include <nlohmann/json.hpp>

#include "auth/token_endpoint.hpp"
#include "core/json_limits.hpp"
#include "http/default_transport.hpp"
#include "http/url.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

constexpr const char* kWellKnown = "/.well-known/openid-configuration";

std::string without_trailing_slash(std::string text) {
  if (!text.empty() && text.back() == '/')
    text.pop_back();
  return text;
}

std::string text_member(const nlohmann::json& document, const char* key) {
  auto it = document.find(key);
  return it != document.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> list_member(const nlohmann::json& document, const char* key) {
  std::vector<std::string> out;
  auto it = document.find(key);
  if (it == document.end() || !it->is_array())
    return out;
  for (const auto& item : *it) {
    if (item.is_string())
      out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

OpenIdConfiguration discover_openid_configuration(const OAuthOptions& options) {
  if (options.issuer.empty()) {
    throw InvalidArgumentError("OpenID discovery: OAuthOptions.issuer is empty");
  }
  detail::require_secure_url(options.issuer, "OAuthOptions.issuer",
                             options.dangerously_allow_plain_http);
  if (options.issuer.find_first_of("?#") != std::string::npos) {
    // OpenID Connect Discovery §2: an issuer has neither query nor fragment.
    throw InvalidArgumentError(
        "OpenID discovery: OAuthOptions.issuer must not carry a query or "
        "fragment");
  }
  OAuthOptions prepared = options;
  if (!prepared.transport)
    prepared.transport = detail::make_default_transport(prepared.transport_options);

  HttpRequest http;
  http.method = HttpMethod::kGet;
  http.url = without_trailing_slash(options.issuer) + kWellKnown;
  http.timeout = options.request_timeout;
  http.headers.add("Accept", "application/json");

  ErrorContext context;
  context.operation = "auth.discovery";
  context.method = "GET";
  context.path = kWellKnown;
  const HttpResponse response = detail::send_with_retries(prepared, http, context, {});
  if (response.status < 200 || response.status >= 300) {
    throw AuthError("the OpenID discovery document of " + options.issuer +
                        " could not be read "
                        "(status " +
                        std::to_string(response.status) + ")",
                    std::move(context));
  }
  detail::JsonParse outcome = detail::JsonParse::kOk;
  const auto document = detail::parse_json_limited(response.body, outcome);
  if (outcome != detail::JsonParse::kOk || !document.is_object()) {
    throw MalformedResponseError(
        "the OpenID discovery document of " + options.issuer + " is not a JSON object",
        std::move(context));
  }

  OpenIdConfiguration out;
  out.issuer = text_member(document, "issuer");
  // §4.3: exactly the issuer asked for; the one tolerance is a trailing slash (Auth0 adds one).
  if (out.issuer.empty() ||
      without_trailing_slash(out.issuer) != without_trailing_slash(options.issuer)) {
    context.error_code = "issuer_mismatch";
    throw AuthError("the OpenID discovery document at " + http.url + " names the issuer \"" +
                        out.issuer.substr(0, 200) + "\", not the configured \"" + options.issuer +
                        "\" (OpenID Connect Discovery §4.3); nothing from it was used",
                    std::move(context));
  }
  out.authorization_endpoint = text_member(document, "authorization_endpoint");
  out.token_endpoint = text_member(document, "token_endpoint");
  out.jwks_uri = text_member(document, "jwks_uri");
  if (auto it = document.find("authorization_response_iss_parameter_supported");
      it != document.end() && it->is_boolean()) {
    out.authorization_response_iss_parameter_supported = it->get<bool>();
  }
  out.token_endpoint_auth_methods_supported =
      list_member(document, "token_endpoint_auth_methods_supported");
  out.response_types_supported = list_member(document, "response_types_supported");
  out.grant_types_supported = list_member(document, "grant_types_supported");
  out.code_challenge_methods_supported = list_member(document, "code_challenge_methods_supported");
  out.id_token_signing_alg_values_supported =
      list_member(document, "id_token_signing_alg_values_supported");
  return out;
}

}  // namespace roserocket
