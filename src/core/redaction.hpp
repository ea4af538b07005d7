#pragma once

// Private: the SDK's one redaction mechanism. Every exception text (roserocket::Error's
// constructor) and every log record passes through `redact`. Token providers, OAuth options and
// the transport register the secrets they hold while they hold them.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace roserocket::detail {

/// What a secret is replaced with.
constexpr std::string_view kRedacted = "***";

/// Secrets shorter than this are never masked (they would mask ordinary words).
constexpr std::size_t kMinSecretLength = 4;

/// @brief Registers @p secret until the returned handle is destroyed (handles may be copied;
/// the last copy unregisters). Secrets shorter than `kMinSecretLength` give an empty handle.
///
/// Thread-safe.
std::shared_ptr<void> register_secret(std::string secret);

/// @brief Masks, in @p text, every registered secret and each of @p extra: the raw value and the
/// forms servers echo it in (any byte percent-encoded in either hex case, `+` for a space,
/// JSON escapes such as `\u007e`, `\/`, `\"`). With @p cut_end, a prefix of a secret that runs
/// into the end of @p text (a text cut short) is masked too.
///
/// Thread-safe.
std::string redact(std::string text, const std::vector<std::string>& extra = {},
                   bool cut_end = false);

/// @brief The first @p limit bytes of @p text, redacted, then "..." if cut: never half a secret.
std::string redact_snippet(std::string_view text, std::size_t limit,
                           const std::vector<std::string>& extra = {});

/// @brief How many secrets are registered now (for tests).
std::size_t registered_secret_count();

}  // namespace roserocket::detail
