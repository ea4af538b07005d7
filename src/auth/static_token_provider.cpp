#include "core/redaction.hpp"
#include "roserocket/auth/token_provider.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {

StaticTokenProvider::StaticTokenProvider(std::string token) : token_(std::move(token)) {
  if (token_.empty())
    throw InvalidArgumentError("StaticTokenProvider: the token is empty");
  held_ = detail::register_secret(token_);
}

std::string StaticTokenProvider::access_token() {
  return token_;
}

bool StaticTokenProvider::invalidate(const std::string& /*rejected_token*/) {
  return false;
}

}  // namespace roserocket
