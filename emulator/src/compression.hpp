#pragma once

// Compressed answers: a large JSON answer is gzipped when the request's Accept-Encoding allows it.

#include <cstddef>
#include <string>

#include <httplib.h>

namespace rr_emulator::detail {

/// @brief Answers smaller than this go out as they are (compressing them saves next to nothing).
inline constexpr std::size_t kCompressAbove = 1024;

/// @brief Whether @p accept_encoding (an Accept-Encoding value) allows gzip: listed (or `*`) and
/// not with q=0.
bool accepts_gzip(const std::string& accept_encoding);

/// @brief @p data as a gzip stream. @throw std::runtime_error if zlib fails.
std::string gzip_bytes(const std::string& data);

/// @brief Gzips @p res's body in place (Content-Encoding, Content-Length, Vary) when it is
/// larger than kCompressAbove, not already encoded, and @p req accepts gzip. Streamed answers
/// (the fault injector's) are left alone. A post-routing handler: runs after every route.
void compress_if_asked(const httplib::Request& req, httplib::Response& res);

}  // namespace rr_emulator::detail
