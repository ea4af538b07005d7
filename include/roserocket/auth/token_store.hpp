#pragma once

/// @file
/// @brief Where providers keep the latest token set: in memory, or in a private file.

#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "roserocket/auth/oauth.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Keeps the latest `TokenSet` so that a rotated refresh token survives.
///
/// Implementations must be safe to call from many threads at once.
class ROSEROCKET_API TokenStore {
 public:
  virtual ~TokenStore() = default;
  /// @brief The saved token set, if any.
  virtual std::optional<TokenSet> load() = 0;
  /// @brief Replaces the saved token set.
  virtual void save(const TokenSet& tokens) = 0;
  /// @brief Forgets the saved token set.
  virtual void clear() = 0;
};

/// @brief Keeps the token set in process memory. Thread-safe.
class ROSEROCKET_API InMemoryTokenStore final : public TokenStore {
 public:
  std::optional<TokenSet> load() override;
  void save(const TokenSet& tokens) override;
  void clear() override;

 private:
  std::mutex mutex_;
  std::optional<TokenSet> tokens_;
};

/// @brief Keeps the token set as JSON in one file readable by its owner only (mode 0600).
///
/// `save` writes a temporary file beside the target (created 0600), flushes it to disk and renames
/// it over the target, so a reader sees the old or the new set, never half of one. Thread-safe
/// within one process; two processes sharing a file get last-writer-wins.
class ROSEROCKET_API FileTokenStore final : public TokenStore {
 public:
  /// @param path the file; its directory must exist.
  explicit FileTokenStore(std::string path);
  /// @brief The saved set; empty when the file does not exist.
  /// @throw Error when the file exists but cannot be read or parsed (its content is not quoted).
  std::optional<TokenSet> load() override;
  /// @throw Error when the file cannot be written; the previous file is then left as it was.
  void save(const TokenSet& tokens) override;
  /// @brief Deletes the file, if present.
  void clear() override;
  /// @brief The file the tokens are kept in.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::mutex mutex_;
};

/// @brief JSON form of a token set, as `FileTokenStore` writes it (`expires_at` in Unix seconds).
ROSEROCKET_API void to_json(nlohmann::json& j, const TokenSet& tokens);
/// @brief Reads what `to_json` wrote; an `expires_at` beyond the clock's range is clamped to it.
/// @throw InvalidArgumentError when @p j is not an object or a text field is not a string.
ROSEROCKET_API void from_json(const nlohmann::json& j, TokenSet& tokens);

}  // namespace roserocket
