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

/// @brief The forms an echoed HTTP Basic header built from @p id and @p secret takes: base64 and
/// base64url, without padding (which leaves at most `==` in view), of `id:secret` raw and with
/// both parts percent-encoded as the SDK sends them (RFC 6749 §2.3.1). Register them with the
/// secret: a secret cannot be found inside a base64 text that holds more than it.
std::vector<std::string> basic_credential_forms(std::string_view id, std::string_view secret);

/// @brief Masks, in @p text, every registered secret and each of @p extra: the raw value and the
/// forms servers echo it in. Each byte may be raw or percent-encoded (either hex case), a space
/// may be `+` (form encoding: any encoder's choice of kept characters, URLSearchParams' and
/// browsers' included), and each may be JSON-escaped (`\"`, `\\`, `\/`, `\u007e`, `\u00e9`, a
/// surrogate pair), one encoding inside the other included. With @p cut_end, a prefix of a secret
/// that runs into the end of @p text (a text cut short, an escape cut in half) is masked too.
///
/// Linear in the size of @p text for each secret. Thread-safe.
std::string redact(std::string text, const std::vector<std::string>& extra = {},
                   bool cut_end = false);

/// @brief The first @p limit bytes of @p text, redacted, then "..." if cut: never half a secret.
std::string redact_snippet(std::string_view text, std::size_t limit,
                           const std::vector<std::string>& extra = {});

/// @brief How many secrets are registered now (for tests).
std::size_t registered_secret_count();

}  // namespace roserocket::detail
