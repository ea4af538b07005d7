#pragma once

// Small helpers shared by the emulator's parts: ids, time stamps, hashing, encodings.

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "auth/crypto.hpp"

namespace rr_emulator::detail {

/// @brief A random RFC 4122 version 4 uuid.
std::string uuid_v4();

/// @brief A uuid derived from @p name alone, so the same name gives the same id on every run.
std::string name_uuid(std::string_view name);

/// @brief Whether @p text has the 8-4-4-4-12 hex shape of a uuid.
bool is_uuid(std::string_view text);

/// @brief @p bytes random bytes, base64url encoded (tokens, codes).
std::string random_token(std::size_t bytes);

/// @brief "2024-04-02T14:52:26.409Z" for @p when.
std::string iso_timestamp(std::chrono::system_clock::time_point when);

/// @brief iso_timestamp(now).
std::string iso_now();

/// @brief iso_timestamp(now), rounded down to a multiple of @p resolution (a coarse clock, so
/// that writes close in time share one time stamp; 1 ms or less: iso_now()).
std::string iso_now(std::chrono::milliseconds resolution);

/// @brief The SHA-256 digest of @p data (32 raw bytes).
std::string sha256(std::string_view data);

/// @brief Base64url without padding (RFC 4648 §5), as PKCE S256 uses.
using roserocket::detail::base64url_encode;

/// @brief Decodes standard base64 (padding optional); false on bad input.
bool base64_decode(std::string_view text, std::string& out);

/// @brief Percent-decoding; '+' becomes a space when @p plus_is_space.
std::string url_decode(std::string_view text, bool plus_is_space);

/// @brief Percent-encoding of everything but unreserved characters.
std::string url_encode(std::string_view text);

/// @brief Parses an application/x-www-form-urlencoded body (the last value of a key wins).
std::map<std::string, std::string> parse_form(std::string_view body);

/// @brief Splits @p text at @p sep, dropping empty pieces.
std::vector<std::string> split(std::string_view text, char sep);

/// @brief ASCII lower case.
std::string lower(std::string_view text);

}  // namespace rr_emulator::detail
