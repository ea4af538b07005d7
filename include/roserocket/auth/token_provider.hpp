#pragma once

/// @file
/// @brief Where a `Client` gets its bearer token.

#include <memory>
#include <string>
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Supplies the access token for `Authorization: Bearer`.
///
/// Implementations must be safe to call from many threads at once; a `Client` shared by threads
/// calls `access_token()` for every attempt.
class ROSEROCKET_API TokenProvider {
 public:
  virtual ~TokenProvider() = default;

  /// @brief A token valid for at least a little while; refreshes first if needed.
  /// @throw AuthError when no token can be had.
  virtual std::string access_token() = 0;

  /// @brief Called after the API answered 401 to a request sent with @p rejected_token.
  ///
  /// A provider that can refresh drops its cached token if it is still @p rejected_token (so that
  /// many threads seeing the same 401 cause one refresh) and returns true: the client will then ask
  /// for a token again and send the request once more. A provider that cannot refresh returns
  /// false.
  virtual bool invalidate(const std::string& rejected_token) = 0;
};

/// @brief A fixed bearer token, such as one pasted from Postman as the seeds do. Thread-safe.
class ROSEROCKET_API StaticTokenProvider final : public TokenProvider {
 public:
  /// @brief A provider that always answers @p token.
  /// @param token the bearer token; never logged.
  /// @throw InvalidArgumentError when @p token is empty.
  explicit StaticTokenProvider(std::string token);
  std::string access_token() override;
  /// @brief Returns false: a static token cannot be refreshed, so a 401 is final.
  bool invalidate(const std::string& rejected_token) override;

 private:
  std::string token_;
  std::shared_ptr<void> held_;  // the token, registered with the SDK's redaction
};

}  // namespace roserocket
