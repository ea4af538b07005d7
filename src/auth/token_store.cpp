#include "roserocket/auth/token_store.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/json_limits.hpp"
#include "platform/platform.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {
// A token file holds a few short strings; anything much larger is not one.
constexpr std::size_t kMaxTokenFileBytes = 1024 * 1024;
}  // namespace

void to_json(nlohmann::json& j, const TokenSet& tokens) {
  j = nlohmann::json{{"access_token", tokens.access_token}, {"token_type", tokens.token_type}};
  if (!tokens.refresh_token.empty())
    j["refresh_token"] = tokens.refresh_token;
  if (!tokens.id_token.empty())
    j["id_token"] = tokens.id_token;
  if (!tokens.scope.empty())
    j["scope"] = tokens.scope;
  if (tokens.expires_at) {
    j["expires_at"] =
        std::chrono::duration_cast<std::chrono::seconds>(tokens.expires_at->time_since_epoch())
            .count();
  }
}

namespace {

// A text field of a saved token set: absent or null reads as @p fallback; anything but a string
// is refused with the SDK's error (the value itself is a secret and is never quoted).
std::string text_at(const nlohmann::json& j, const char* key, const char* fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null())
    return fallback;
  if (!it->is_string()) {
    throw InvalidArgumentError(std::string("a saved token set's '") + key +
                               "' must be a string, not " + it->type_name());
  }
  return it->get<std::string>();
}

// Seconds since the epoch as a time point, saturated to what system_clock can hold (its
// nanoseconds end in 2262): a larger value once wrapped into the past.
std::chrono::system_clock::time_point saturated_time(const nlohmann::json& value) {
  using std::chrono::seconds;
  using std::chrono::system_clock;
  const auto max_s = std::chrono::duration_cast<seconds>(system_clock::duration::max()).count() - 1;
  const auto min_s = -max_s;
  long long s = 0;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    s = u > static_cast<std::uint64_t>(max_s) ? max_s : static_cast<long long>(u);
  } else if (value.is_number_integer()) {
    s = std::clamp<long long>(value.get<long long>(), min_s, max_s);
  } else {
    const double d = value.get<double>();
    if (!std::isfinite(d))
      throw InvalidArgumentError("a saved token set's 'expires_at' is not a finite number");
    s = d >= static_cast<double>(max_s)   ? max_s
        : d <= static_cast<double>(min_s) ? min_s
                                          : static_cast<long long>(d);
  }
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(seconds(s)));
}

}  // namespace

void from_json(const nlohmann::json& j, TokenSet& tokens) {
  if (!j.is_object())
    throw InvalidArgumentError("a saved token set must be a JSON object");
  tokens = TokenSet{};
  tokens.access_token = text_at(j, "access_token", "");
  tokens.token_type = text_at(j, "token_type", "Bearer");
  tokens.refresh_token = text_at(j, "refresh_token", "");
  tokens.id_token = text_at(j, "id_token", "");
  tokens.scope = text_at(j, "scope", "");
  if (auto it = j.find("expires_at"); it != j.end() && it->is_number()) {
    tokens.expires_at = saturated_time(*it);
  }
}

std::optional<TokenSet> InMemoryTokenStore::load() {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_;
}

void InMemoryTokenStore::save(const TokenSet& tokens) {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_ = tokens;
}

void InMemoryTokenStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.reset();
}

FileTokenStore::FileTokenStore(std::string path) : path_(std::move(path)) {
  if (path_.empty())
    throw InvalidArgumentError("FileTokenStore: the path is empty");
}

std::optional<TokenSet> FileTokenStore::load() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string content;
  std::string error;
  switch (detail::platform::read_file(path_, kMaxTokenFileBytes, content, error)) {
    case detail::platform::ReadStatus::kOk:
      break;
    case detail::platform::ReadStatus::kMissing:
      return std::nullopt;
    case detail::platform::ReadStatus::kTooLarge:
      throw Error("FileTokenStore: '" + path_ + "' is larger than " +
                      std::to_string(kMaxTokenFileBytes) + " bytes; not a saved token set",
                  {});
    case detail::platform::ReadStatus::kFailed:
      throw Error("FileTokenStore: cannot read '" + path_ + "': " + error, {});
  }
  detail::JsonParse outcome = detail::JsonParse::kOk;
  const auto parsed = detail::parse_json_limited(content, outcome);
  // The content holds tokens, so a parse failure names the file, never the text.
  if (outcome != detail::JsonParse::kOk || !parsed.is_object()) {
    throw Error("FileTokenStore: '" + path_ + "' is not a saved token set" +
                    (outcome == detail::JsonParse::kTooDeep
                         ? " (" + detail::describe_parse_failure(outcome) + ")"
                         : std::string()),
                {});
  }
  try {
    return parsed.get<TokenSet>();
  } catch (const Error& e) {
    throw Error("FileTokenStore: '" + path_ + "' is not a saved token set: " + e.summary(), {});
  }
}

void FileTokenStore::save(const TokenSet& tokens) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string text = nlohmann::json(tokens).dump();
  // Owner-only from its creation, then renamed over the old file (platform/platform.hpp).
  std::string error;
  if (!detail::platform::write_file_atomically(path_, text, error))
    throw Error("FileTokenStore: saving '" + path_ + "' failed: " + error, {});
}

void FileTokenStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string error;
  if (!detail::platform::remove_file(path_, error))
    throw Error("FileTokenStore: deleting '" + path_ + "' failed: " + error, {});
}

}  // namespace roserocket
