// Issue 14: compressed answers. The SDK offers every coding its libcurl decodes, decodes the
// answer before parsing it, and counts the decoded bytes against max_response_bytes, so a small
// gzip body that inflates past the limit (a zip bomb) ends in the limit's clear error.

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <mutex>
#include <string>

#include "roserocket/roserocket.hpp"
#include "support/curl_test_server.hpp"

namespace rr = roserocket;
using rr::curl_test::RawReply;
using rr::curl_test::RawRequest;
using rr::curl_test::RawSocketServer;

namespace {

constexpr const char* kToken = "compression-test-token-81f2";

rr::ClientOptions client_options(const std::string& base_url) {
  rr::ClientOptions options;
  options.base_url = base_url;
  options.token_provider = std::make_shared<rr::StaticTokenProvider>(kToken);
  options.retry = rr::RetryPolicy::none();
  return options;
}

/// @brief @p zeros zero bytes followed by @p text, gzip-compressed (fed to zlib 1 MiB at a time).
std::string gzip(const std::string& text, std::size_t zeros = 0) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out;
  std::string buffer(256 * 1024, '\0');
  const std::string block(1024 * 1024, '\0');
  auto feed = [&](const char* data, std::size_t size, int flush) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zs.avail_in = static_cast<uInt>(size);
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buffer.data());
      zs.avail_out = static_cast<uInt>(buffer.size());
      deflate(&zs, flush);
      out.append(buffer.data(), buffer.size() - zs.avail_out);
    } while (zs.avail_out == 0);
  };
  for (std::size_t left = zeros; left > 0;) {
    const std::size_t n = std::min(left, block.size());
    feed(block.data(), n, Z_NO_FLUSH);
    left -= n;
  }
  feed(text.data(), text.size(), Z_FINISH);
  deflateEnd(&zs);
  return out;
}

std::string gzip_response(const std::string& compressed) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
         "Content-Length: " +
         std::to_string(compressed.size()) + "\r\nConnection: close\r\n\r\n" + compressed;
}

/// @brief The value of header @p name in a raw request head, or "" (names compared as sent).
std::string header_of(const std::string& head, const std::string& name) {
  const auto at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos)
    return {};
  const auto start = at + name.size() + 4;
  return head.substr(start, head.find("\r\n", start) - start);
}

}  // namespace

TEST(Compression, AnswersAreAskedForCompressedAndDecoded) {
  const std::string record =
      R"({"id":"c1","objectKey":"customer","name":")" + std::string(4000, 'x') + R"("})";
  std::mutex mutex;
  std::string accept;
  RawSocketServer server([&](const RawRequest& req, int) {
    std::lock_guard<std::mutex> lock(mutex);
    accept = header_of(req.head, "Accept-Encoding");
    return RawReply{gzip_response(gzip(record)), true};
  });
  rr::Client client(client_options(server.base_url()));
  const auto got = client.objects().get("c1");
  EXPECT_EQ(got["name"].get<std::string>().size(), 4000u);
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_NE(accept.find("gzip"), std::string::npos) << accept;
}

TEST(Compression, TurnedOffSendsNoAcceptEncoding) {
  std::mutex mutex;
  std::string head;
  RawSocketServer server([&](const RawRequest& req, int) {
    std::lock_guard<std::mutex> lock(mutex);
    head = req.head;
    return RawReply{rr::curl_test::raw_json_response(200, R"({"id":"c1"})", false), true};
  });
  auto options = client_options(server.base_url());
  options.transport_options.accept_compressed = false;
  rr::Client client(options);
  EXPECT_EQ(client.objects().get("c1")["id"], "c1");
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(header_of(head, "Accept-Encoding"), "") << head;
}

TEST(Compression, ZipBombEndsAtTheDecodedSizeLimit) {
  // 256 MiB of zeros in a gzip body of a few hundred KiB: far under the 64 MiB default limit on
  // the wire, four times over it decoded.
  const std::string bomb = gzip("{}", std::size_t{256} * 1024 * 1024);
  ASSERT_LT(bomb.size(), std::size_t{1024} * 1024);
  RawSocketServer server([&bomb](const RawRequest&, int) {
    return RawReply{gzip_response(bomb), true};
  });
  rr::Client client(client_options(server.base_url()));
  try {
    (void)client.objects().get("c1");
    ADD_FAILURE() << "the bomb was accepted";
  } catch (const rr::MalformedResponseError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("max_response_bytes"), std::string::npos) << what;
    EXPECT_NE(what.find(std::to_string(std::size_t{64} * 1024 * 1024) + " bytes"),
              std::string::npos)
        << what;
  }
}

TEST(Compression, SmallCompressedBodyOfALargeAnswerWithinTheLimitIsAccepted) {
  // 8 MiB decoded under a 16 MiB limit: the small Content-Length is no reason to refuse, and the
  // decoded size is within the limit.
  const std::string padded = R"({"id":"c1","pad":")" + std::string(8 * 1024 * 1024, 'a') + R"("})";
  const std::string body = gzip(padded);
  RawSocketServer server([&body](const RawRequest&, int) {
    return RawReply{gzip_response(body), true};
  });
  auto options = client_options(server.base_url());
  options.transport_options.max_response_bytes = std::size_t{16} * 1024 * 1024;
  rr::Client client(options);
  EXPECT_EQ(client.objects().get("c1")["pad"].get<std::string>().size(), 8u * 1024 * 1024);
}
