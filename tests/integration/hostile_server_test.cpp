// Issue 9: the SDK against loopback servers that misbehave on purpose: huge or endless bodies,
// deep JSON, numbers past every range, echoed secrets, idle connections to the redirect receiver.
// Every case ends in the SDK's own error naming the limit, quickly, with no secret in any text.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <string>
#include <vector>

#include "roserocket/roserocket.hpp"
#include "support/curl_test_server.hpp"

namespace rr = roserocket;
using rr::curl_test::LoopbackHttpServer;
using rr::curl_test::raw_json_response;
using rr::curl_test::RawReply;
using rr::curl_test::RawRequest;
using rr::curl_test::RawSocketServer;

namespace {

constexpr const char* kToken = "hostile-test-token-5d81c0";

rr::ClientOptions client_options(const std::string& base_url, std::size_t max_bytes = 0) {
  rr::ClientOptions options;
  options.base_url = base_url;
  options.token_provider = std::make_shared<rr::StaticTokenProvider>(kToken);
  options.retry = rr::RetryPolicy::none();
  if (max_bytes > 0)
    options.transport_options.max_response_bytes = max_bytes;
  return options;
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// A raw server that answers every request with @p bytes.
RawSocketServer::Handler always(std::string bytes) {
  return [bytes](const RawRequest&, int) { return RawReply{bytes, true}; };
}

template <class E, class F>
std::string what_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "nothing was thrown";
  return {};
}

}  // namespace

TEST(HostileServer, EndlessChunkedBodyStopsAtTheSizeLimit) {
  LoopbackHttpServer server;
  std::atomic<std::size_t> sent{0};
  server.http().Get(R"(/api/v2/platformModel/objects/.*)",
                    [&sent](const httplib::Request&, httplib::Response& res) {
                      res.set_chunked_content_provider(
                          "application/json", [&sent](std::size_t, httplib::DataSink& sink) {
                            static const std::string chunk(64 * 1024, ' ');
                            sent += chunk.size();
                            return sink.write(chunk.data(), chunk.size());
                          });
                    });
  server.start();
  rr::Client client(client_options(server.base_url(), 1024 * 1024));
  const std::string what =
      what_of<rr::MalformedResponseError>([&] { (void)client.objects().get("c1"); });
  EXPECT_NE(what.find("1048576 bytes"), std::string::npos) << what;
  EXPECT_NE(what.find("max_response_bytes"), std::string::npos) << what;
  server.stop();
  // The server could not have pushed much more than the limit before the client hung up.
  EXPECT_LT(sent.load(), std::size_t{64} * 1024 * 1024);
}

TEST(HostileServer, AnnouncedBodyAboveTheLimitIsRefusedBeforeItArrives) {
  for (const char* length : {"999999999", "2147483648", "99999999999999999999999999"}) {
    // The body never comes: only refusing on the header ends this without waiting.
    RawSocketServer server(always(std::string("HTTP/1.1 200 OK\r\nContent-Type: "
                                              "application/json\r\nContent-Length: ") +
                                  length + "\r\n\r\n{"));
    auto options = client_options(server.base_url());  // the default limit (64 MiB)
    options.request_timeout = std::chrono::seconds(20);
    rr::Client client(options);
    const std::string what =
        what_of<rr::MalformedResponseError>([&] { (void)client.objects().get("c1"); });
    EXPECT_NE(what.find("max_response_bytes"), std::string::npos) << length << ": " << what;
  }
}

TEST(HostileServer, DeeplyNestedJsonIsRefusedWhereverItArrives) {
  const std::string deep = nested(100000);
  RawSocketServer server([&deep](const RawRequest& r, int) {
    if (r.target.find("/events") != std::string::npos)
      return RawReply{raw_json_response(200, R"({"total":1,"results":[)" + deep + "]}", false)};
    if (r.target.find("/objects/bad") != std::string::npos)
      return RawReply{raw_json_response(400, R"({"message":)" + deep + "}", false)};
    return RawReply{
        raw_json_response(200, R"({"id":"c1","objectKey":"customer","name":)" + deep + "}", false)};
  });
  rr::Client client(client_options(server.base_url()));
  const std::string error_body =
      what_of<rr::BadRequestError>([&] { (void)client.objects().get("bad"); });
  EXPECT_NE(error_body.find("nested deeper"), std::string::npos) << error_body.substr(0, 300);

  const std::string record =
      what_of<rr::MalformedResponseError>([&] { (void)client.customers().get("c1"); });
  EXPECT_NE(record.find("nested deeper than the limit of 256"), std::string::npos) << record;

  rr::EventQuery query;
  query.record_id = "r1";
  query.object_key = "order";
  const std::string events =
      what_of<rr::MalformedResponseError>([&] { (void)client.events().list(query); });
  EXPECT_NE(events.find("nested deeper"), std::string::npos) << events;
}

TEST(HostileServer, IntegersPastTheirRangeAreRefusedNotWrapped) {
  for (const char* version : {"1e300", "-1e300", "1.5", "18446744073709551615", "9.3e18"}) {
    RawSocketServer server(always(raw_json_response(
        200, std::string(R"({"id":"c1","objectKey":"customer","version":)") + version + "}",
        false)));
    rr::Client client(client_options(server.base_url()));
    const auto customer = client.customers().get("c1");
    const std::string what = what_of<rr::MalformedResponseError>([&] { (void)customer.version(); });
    EXPECT_NE(what.find("'version'"), std::string::npos) << version << ": " << what;
    EXPECT_NE(what.find("64-bit integer"), std::string::npos) << version << ": " << what;
  }
  RawSocketServer groups(always(raw_json_response(200, R"({"added":1e300,"removed":0})", false)));
  rr::Client client(client_options(groups.base_url()));
  const std::string what = what_of<rr::MalformedResponseError>(
      [&] { (void)client.user_groups().change_members("g1", {"u1"}, {}); });
  EXPECT_NE(what.find("'added'"), std::string::npos) << what;
}

TEST(HostileServer, HugeExpiresInIsClampedSoTheTokenIsReused) {
  for (const char* expires_in : {"10000000000", "1e300", "\"99999999999\""}) {
    RawSocketServer server(always(raw_json_response(
        200,
        std::string(R"({"access_token":"long-lived-token-1","token_type":"Bearer","expires_in":)") +
            expires_in + "}",
        false)));
    rr::OAuthOptions o;
    o.token_url = server.base_url() + "/oauth/token";
    o.client_id = "id";
    o.client_secret = "client-secret-value";
    o.dangerously_allow_plain_http = true;
    rr::ClientCredentialsTokenProvider provider(o);
    EXPECT_EQ(provider.access_token(), "long-lived-token-1");
    EXPECT_EQ(provider.access_token(), "long-lived-token-1");
    EXPECT_EQ(provider.fetch_count(), 1u) << expires_in << ": a wrapped expiry refetches";
    EXPECT_EQ(server.count("POST"), 1) << expires_in;
    const auto tokens = provider.tokens();
    ASSERT_TRUE(tokens && tokens->expires_at);
    EXPECT_GT(*tokens->expires_at, std::chrono::system_clock::now() + std::chrono::hours(24 * 365));
  }
}

TEST(HostileServer, ErrorFieldRequestIdAndCutBodiesNeverShowTheToken) {
  const std::string token = kToken;
  RawSocketServer server([&token](const RawRequest& r, int) {
    if (r.target.find("/objects/nest") != std::string::npos) {
      const std::string body = R"({"statusCode":400,"error":")" + token + R"(","x":1})";
      return RawReply{"HTTP/1.1 400 X\r\nContent-Type: application/json\r\nx-request-id: req-" +
                      token + "\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body};
    }
    // Not JSON, and the cut at 200 characters falls in the middle of the token.
    const std::string body = std::string(190, 'x') + token + " tail";
    return RawReply{"HTTP/1.1 400 X\r\nContent-Type: text/plain\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body};
  });
  std::vector<std::string> logs;
  auto options = client_options(server.base_url());
  options.logger = [&logs](const rr::LogRecord& r) { logs.push_back(r.message); };
  rr::Client client(options);
  const std::string nest =
      what_of<rr::BadRequestError>([&] { (void)client.objects().get("nest"); });
  EXPECT_EQ(nest.find(token), std::string::npos) << nest;
  EXPECT_NE(nest.find("req-***"), std::string::npos) << nest;
  const std::string cut = what_of<rr::BadRequestError>([&] { (void)client.objects().get("cut"); });
  EXPECT_EQ(cut.find(token.substr(0, 6)), std::string::npos) << cut;
  EXPECT_NE(cut.find("(not JSON) xxxx"), std::string::npos) << cut;
  for (const auto& line : logs)
    EXPECT_EQ(line.find(token.substr(0, 6)), std::string::npos) << line;
}

TEST(HostileServer, EchoingTokenEndpointNeverShowsTheClientSecret) {
  // '~', ' ' and '"' make the encodings differ: %7E or %7e, '+', \u0022, base64 of id:secret.
  const std::string secret = "s3cr~et value\"Q";
  RawSocketServer server([](const RawRequest& r, int) {
    const std::string echoed = r.body + " | " + r.head;
    std::string body_lower = r.body;  // the body again, with lower-case percent-encoding
    for (std::size_t at = body_lower.find('%'); at != std::string::npos;
         at = body_lower.find('%', at + 1)) {
      for (std::size_t k = at + 1; k < at + 3 && k < body_lower.size(); ++k)
        body_lower[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(body_lower[k])));
    }
    const nlohmann::json reply = {
        {"error", "invalid_client"},
        {"error_description",
         "you sent: " + echoed + " | " + body_lower + " | \\u0073\\u0033cr\\u007eet value\\\"Q"}};
    return RawReply{raw_json_response(401, reply.dump(), false)};
  });
  for (auto auth :
       {rr::ClientAuthMethod::kClientSecretPost, rr::ClientAuthMethod::kClientSecretBasic}) {
    for (auto encoding : {rr::TokenRequestEncoding::kForm, rr::TokenRequestEncoding::kJson}) {
      rr::OAuthOptions o;
      o.token_url = server.base_url() + "/oauth/token";
      o.client_id = "the-client";
      o.client_secret = secret;
      o.client_auth = auth;
      o.encoding = encoding;
      o.dangerously_allow_plain_http = true;
      std::vector<std::string> logs;
      o.logger = [&logs](const rr::LogRecord& r) { logs.push_back(r.message); };
      rr::ClientCredentialsTokenProvider provider(o);
      const std::string what = what_of<rr::AuthError>([&] { (void)provider.access_token(); });
      EXPECT_NE(what.find("you sent"), std::string::npos) << what;
      for (const std::string& piece :
           {std::string("s3cr"), std::string("et value"), std::string("et+value"),
            std::string("%7E"), std::string("%7e"), std::string("dGhlLWNsaWVudDpzM2Ny")}) {
        EXPECT_EQ(what.find(piece), std::string::npos) << piece << " in " << what;
        for (const auto& line : logs)
          EXPECT_EQ(line.find(piece), std::string::npos) << piece << " in log " << line;
      }
    }
  }
}

TEST(HostileServer, IdleConnectionDoesNotBlockTheRedirect) {
  rr::LoopbackRedirectReceiver receiver;
  // A local process connects and says nothing; another sends an endless head.
  const int idle = ::socket(AF_INET, SOCK_STREAM, 0);
  const int flood = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(receiver.port());
  ASSERT_EQ(::connect(idle, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::connect(flood, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto flooder = std::async(std::launch::async, [flood] {
    const std::string junk = "GET /callback?" + std::string(4096, 'a');
    std::size_t total = 0;
    while (total < 1024 * 1024) {
      const auto n = ::send(flood, junk.data(), junk.size(), MSG_NOSIGNAL);
      if (n <= 0)
        break;  // the receiver closed this connection at its per-connection limit
      total += static_cast<std::size_t>(n);
    }
    return total;
  });
  auto browser = std::async(std::launch::async, [&receiver] {
    rr::HttpRequest r;
    r.url = receiver.redirect_uri() + "?code=the-code&state=s1";
    return rr::CurlTransport().send(r).status;
  });
  // With one connection served at a time, the idle one held the receiver until this deadline.
  const auto response = receiver.wait(std::chrono::seconds(8), "s1");
  EXPECT_EQ(response.code, "the-code");
  EXPECT_EQ(browser.get(), 200);
  (void)flooder.get();  // ends: its connection was closed, or it sent its megabyte
  ::close(idle);
  ::close(flood);
}
