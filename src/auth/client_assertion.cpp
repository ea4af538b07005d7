#include "auth/client_assertion.hpp"

#include <chrono>

#include "auth/crypto.hpp"
#include "auth/jose.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::detail {
namespace {

constexpr std::chrono::seconds kLongestAssertion{600};

jose::Alg alg_of(const OAuthOptions& options) {
  return options.client_assertion_algorithm == ClientAssertionAlgorithm::kES256 ? jose::Alg::kES256
                                                                                : jose::Alg::kRS256;
}

jose::Key assertion_key(const OAuthOptions& options, const std::string& prefix) {
  if (options.client_assertion_key.empty()) {
    throw InvalidArgumentError(prefix +
                               "private_key_jwt needs OAuthOptions.client_assertion_key (PEM)");
  }
  jose::Key key;
  try {
    key = jose::Key::from_private_pem(options.client_assertion_key);
  } catch (const jose::JoseError& e) {
    throw InvalidArgumentError(prefix + "OAuthOptions.client_assertion_key: " + e.what());
  }
  if (!key.fits(alg_of(options))) {
    throw InvalidArgumentError(prefix + "OAuthOptions.client_assertion_key does not fit " +
                               jose::alg_name(alg_of(options)) +
                               " (RS256 needs an RSA key, ES256 an EC P-256 key)");
  }
  return key;
}

}  // namespace

void check_client_assertion_settings(const OAuthOptions& options, const std::string& prefix) {
  (void)assertion_key(options, prefix);
  if (options.client_assertion_lifetime.count() < 1 ||
      options.client_assertion_lifetime > kLongestAssertion) {
    throw InvalidArgumentError(prefix +
                               "OAuthOptions.client_assertion_lifetime must be 1 to 600 seconds");
  }
}

void append_client_assertion(const OAuthOptions& options,
                             std::vector<std::pair<std::string, std::string>>& fields,
                             std::vector<std::string>& secrets) {
  const jose::Key key = assertion_key(options, "private_key_jwt: ");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       options.clock.system_now().time_since_epoch())
                       .count();
  const nlohmann::json claims = {{"iss", options.client_id},
                                 {"sub", options.client_id},
                                 {"aud", options.token_url},
                                 {"jti", random_urlsafe(24)},
                                 {"iat", now},
                                 {"exp", now + options.client_assertion_lifetime.count()}};
  std::string assertion;
  try {
    assertion = jose::sign(claims, key, alg_of(options), options.client_assertion_kid);
  } catch (const jose::JoseError& e) {
    throw InvalidArgumentError(std::string("private_key_jwt: ") + e.what());
  }
  secrets.push_back(assertion);
  fields.emplace_back("client_assertion_type",
                      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  fields.emplace_back("client_assertion", std::move(assertion));
}

}  // namespace roserocket::detail
