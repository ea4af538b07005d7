#pragma once

// Private, header-only (the emulator uses it too): JSON parsing of outside input with a nesting
// limit checked before anything recurses, and a UTF-8 check.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace roserocket::detail {

/// Most arrays/objects inside one another accepted from outside input. nlohmann's parser itself
/// does not recurse, but copying, dumping and comparing a value do, one stack frame per level.
constexpr std::size_t kMaxJsonDepth = 256;

/// How a limited parse ended.
enum class JsonParse { kOk, kInvalid, kTooDeep };

/// @brief The deepest nesting of arrays and objects in @p text, stopping early once it passes
/// @p limit (then the result is limit + 1). Brackets inside strings do not count.
inline std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character is never a quote that ends the string
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit)
          return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// @brief Parses @p text unless it nests deeper than @p max_depth; never throws for bad input.
/// @param[out] outcome kOk, kInvalid (not JSON) or kTooDeep (nothing was parsed).
/// @return the value, or a discarded value when @p outcome is not kOk.
inline nlohmann::json parse_json_limited(std::string_view text, JsonParse& outcome,
                                         std::size_t max_depth = kMaxJsonDepth) {
  if (json_depth(text, max_depth) > max_depth) {
    outcome = JsonParse::kTooDeep;
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  auto parsed =
      nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  outcome = parsed.is_discarded() ? JsonParse::kInvalid : JsonParse::kOk;
  return parsed;
}

/// @brief Words for an error text: "nested deeper than 256 levels" or "not valid JSON".
inline std::string describe_parse_failure(JsonParse outcome,
                                          std::size_t max_depth = kMaxJsonDepth) {
  if (outcome == JsonParse::kTooDeep)
    return "nested deeper than the limit of " + std::to_string(max_depth) + " levels";
  return "not valid JSON";
}

/// @brief Whether @p text is well-formed UTF-8 (no overlong forms, surrogates or values past
/// U+10FFFF).
inline bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0;
      if (c == 0xED)
        hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      if (c == 0xF4)
        hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len)
      return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      const unsigned low = k == 1 ? lo : 0x80;
      const unsigned high = k == 1 ? hi : 0xBF;
      if (d < low || d > high)
        return false;
    }
    i += len;
  }
  return true;
}

}  // namespace roserocket::detail
