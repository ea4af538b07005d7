// Issue 14: the emulator gzips answers larger than 1 KiB when the request's Accept-Encoding
// allows it, and only then.

#include <zlib.h>

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

std::string gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::string buffer(64 * 1024, '\0');
  int rc = Z_OK;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buffer.data());
    zs.avail_out = static_cast<uInt>(buffer.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - zs.avail_out);
  } while (rc == Z_OK);
  inflateEnd(&zs);
  EXPECT_EQ(rc, Z_STREAM_END);
  return out;
}

class EmulatorCompression : public EmulatorTest {
 protected:
  /// @brief POST /objects/search for customers, sending @p accept as Accept-Encoding ("" sends
  /// none); the answer is not decoded.
  httplib::Result search(const std::string& accept, int limit) {
    auto c = client();
    c.set_decompress(false);
    httplib::Headers headers = {{"Authorization", "Bearer " + token_}};
    if (!accept.empty())
      headers.emplace("Accept-Encoding", accept);
    const Json body = {{"boardId", board_of("customer")}, {"limit", limit}};
    return c.Post((kApi + "/objects/search").c_str(), headers, body.dump(), "application/json");
  }
};

TEST_F(EmulatorCompression, LargeAnswersAreGzippedWhenAsked) {
  for (int i = 0; i < 20; ++i)
    create("customer", {{"name", "Customer " + std::to_string(i)}});
  auto plain = search("identity", 20);
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->status, 200);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  ASSERT_GT(plain->body.size(), 1024u);

  auto packed = search("br;q=0.5, gzip", 20);
  ASSERT_TRUE(packed);
  ASSERT_EQ(packed->status, 200);
  EXPECT_EQ(packed->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(packed->get_header_value("Vary"), "Accept-Encoding");
  EXPECT_EQ(packed->get_header_value("Content-Length"), std::to_string(packed->body.size()));
  EXPECT_LT(packed->body.size(), plain->body.size() / 2);
  EXPECT_EQ(Json::parse(gunzip(packed->body))["results"], Json::parse(plain->body)["results"]);
}

TEST_F(EmulatorCompression, SmallAnswersAndRefusedGzipStayPlain) {
  for (int i = 0; i < 20; ++i)
    create("customer", {{"name", "Customer " + std::to_string(i)}});
  // One record: under 1 KiB.
  auto small = search("gzip", 1);
  ASSERT_TRUE(small);
  ASSERT_LT(small->body.size(), 1024u);
  EXPECT_FALSE(small->has_header("Content-Encoding"));
  for (const char* accept : {"", "gzip;q=0", "deflate", "*;q=0"}) {
    auto r = search(accept, 20);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->has_header("Content-Encoding")) << accept;
    EXPECT_TRUE(Json::parse(r->body, nullptr, false).is_object()) << accept;
  }
  // A wildcard allows gzip.
  auto any = search("*", 20);
  ASSERT_TRUE(any);
  EXPECT_EQ(any->get_header_value("Content-Encoding"), "gzip");
}

}  // namespace
}  // namespace rr_emulator_test
