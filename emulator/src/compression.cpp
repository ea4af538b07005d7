#include "compression.hpp"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

namespace rr_emulator::detail {
namespace {

std::string lower_trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0)
    s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start])) != 0)
    ++start;
  s.erase(0, start);
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// True for a q parameter of zero ("q=0", "q=0.0", "q=0.000").
bool refused(const std::string& params) {
  const auto q = params.find("q=");
  if (q == std::string::npos)
    return false;
  const std::string value = lower_trimmed(params.substr(q + 2));
  return !value.empty() && value.find_first_not_of("0.") == std::string::npos;
}

}  // namespace

bool accepts_gzip(const std::string& accept_encoding) {
  bool wildcard = false;
  std::size_t start = 0;
  while (start <= accept_encoding.size()) {
    auto comma = accept_encoding.find(',', start);
    if (comma == std::string::npos)
      comma = accept_encoding.size();
    const std::string item = accept_encoding.substr(start, comma - start);
    const auto semicolon = item.find(';');
    const std::string coding = lower_trimmed(item.substr(0, semicolon));
    const std::string params = semicolon == std::string::npos ? "" : item.substr(semicolon + 1);
    if (coding == "gzip" || coding == "x-gzip")
      return !refused(params);
    if (coding == "*")
      wildcard = !refused(params);
    start = comma + 1;
  }
  return wildcard;
}

std::string gzip_bytes(const std::string& data) {
  z_stream zs{};
  // 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const auto size = static_cast<std::size_t>(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END)
    throw std::runtime_error("zlib: deflate did not finish");
  out.resize(size);
  return out;
}

void compress_if_asked(const httplib::Request& req, httplib::Response& res) {
  if (res.body.size() <= kCompressAbove || res.has_header("Content-Encoding") ||
      !accepts_gzip(req.get_header_value("Accept-Encoding"))) {
    return;
  }
  res.body = gzip_bytes(res.body);
  res.set_header("Content-Encoding", "gzip");
  res.set_header("Vary", "Accept-Encoding");
  // cpp-httplib has set Content-Length from the plain body already.
  res.headers.erase("Content-Length");
  res.set_header("Content-Length", std::to_string(res.body.size()));
}

}  // namespace rr_emulator::detail
