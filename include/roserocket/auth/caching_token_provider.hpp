#pragma once

/// @file
/// @brief `CachingTokenProvider`: the shared base of the OAuth grants. It caches a token until
/// shortly before expiry and lets one refresh run at a time.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "roserocket/auth/oauth.hpp"
#include "roserocket/auth/token_provider.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief A `TokenProvider` that caches the token set its subclass fetches.
///
/// A cached token is handed out until `refresh_skew` before it expires. Then exactly one caller
/// fetches a new set while every other caller waits for that result; if the fetch fails, every
/// waiter gets the same error and the next call tries again. Each new set goes to
/// `OAuthOptions::token_store` and `OAuthOptions::on_tokens`.
///
/// Thread safety: every public member function may be called from any number of threads at once.
class ROSEROCKET_API CachingTokenProvider : public TokenProvider {
 public:
  ~CachingTokenProvider() override;
  CachingTokenProvider(const CachingTokenProvider&) = delete;
  CachingTokenProvider& operator=(const CachingTokenProvider&) = delete;

  /// @brief The cached token, or a fresh one when it is missing, invalidated or about to expire.
  /// @throw AuthError when the token endpoint refuses; TransportError when it cannot be reached.
  std::string access_token() override;

  /// @brief Drops the cached token if it is still @p rejected_token, so the next call refreshes.
  /// @return whether a new token can be fetched (false e.g. without a refresh token).
  bool invalidate(const std::string& rejected_token) override;

  /// @brief A copy of the current token set (holds secrets: do not print it).
  [[nodiscard]] std::optional<TokenSet> tokens() const;

  /// @brief Token requests this provider has sent, successful or not.
  [[nodiscard]] std::size_t fetch_count() const;

  /// @brief Callers now waiting for another caller's token request (for diagnostics and tests).
  [[nodiscard]] std::size_t waiting_callers() const;

  /// @brief The options, with the transport filled in.
  [[nodiscard]] const OAuthOptions& options() const noexcept { return options_; }

 protected:
  /// @brief Validates @p options (endpoints must be https or loopback) and makes the transport.
  /// @throw InvalidArgumentError for a missing client id or an unsafe URL.
  explicit CachingTokenProvider(OAuthOptions options);

  /// @brief Sends one token request. @p current is the cached set (may hold a refresh token).
  /// Called without the provider's lock, by one thread at a time.
  virtual TokenSet fetch(const std::optional<TokenSet>& current) = 0;

  /// @brief Whether `fetch` can work given @p current; default true.
  [[nodiscard]] virtual bool can_fetch(const std::optional<TokenSet>& current) const;

  /// @brief Installs @p tokens as the cached set (and hands them to the store and callback).
  void install(TokenSet tokens);

 private:
  struct Flight;
  [[nodiscard]] bool fresh_locked() const;
  void publish(const TokenSet& tokens);
  // Registers the current tokens with the SDK's redaction, dropping the previous ones'.
  void hold_tokens_locked();

  OAuthOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::optional<TokenSet> tokens_;
  std::chrono::system_clock::time_point obtained_at_{};  // when tokens_ arrived
  bool stale_ = false;  // set by invalidate(): the access token was refused
  std::shared_ptr<Flight> flight_;
  std::size_t fetches_ = 0;
  std::size_t waiting_ = 0;
  // Registrations with the SDK's redaction (every error text and log record masks these):
  // the client secret and its Basic-header forms, for this provider's life...
  std::vector<std::shared_ptr<void>> held_secrets_;
  // ...and the current tokens, replaced when they are. Guarded by mutex_.
  std::vector<std::shared_ptr<void>> held_tokens_;
};

}  // namespace roserocket
