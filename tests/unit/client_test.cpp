// Client: headers, base URL rules, error mapping, malformed answers and secret hygiene.

#include <gmock/gmock.h>

#include "client_fixture.hpp"
#include "roserocket/testing/gmock_transport.hpp"

using nlohmann::json;
using rr_test::ClientTest;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

json nest_error(int status, json message, const char* error) {
  return {{"statusCode", status}, {"message", std::move(message)}, {"error", error}};
}

}  // namespace

TEST_F(ClientTest, SendsUserAgentNamingSdkVersionOsAndCompiler) {
  mock->enqueue_json(200, json::object());
  objects().get("x");
  const auto agent = last().headers.get("User-Agent").value_or("");
  EXPECT_THAT(agent, ::testing::StartsWith("roserocket-cpp/" + roserocket::version() + " ("));
  EXPECT_THAT(agent, ::testing::MatchesRegex(R"(roserocket-cpp/\S+ \(.+; .+\))"));
}

TEST_F(ClientTest, UserAgentSuffixIsAppended) {
  auto o = options();
  o.user_agent_suffix = "erp-sync/2.3";
  mock->enqueue_json(200, json::object());
  roserocket::Client(o).objects().get("x");
  EXPECT_THAT(last().headers.get("User-Agent").value_or(""), ::testing::EndsWith(" erp-sync/2.3"));
}

TEST_F(ClientTest, SendsOrgIdHeaderWhenConfigured) {
  auto o = options();
  o.org_id = "2c39fa07-b82c-493f-8ec8-996cd0618612";
  mock->enqueue_json(200, json::object());
  roserocket::Client(o).objects().get("x");
  EXPECT_EQ(last().headers.get("x-org-id"), "2c39fa07-b82c-493f-8ec8-996cd0618612");
}

TEST_F(ClientTest, NoOrgIdHeaderByDefault) {
  mock->enqueue_json(200, json::object());
  objects().get("x");
  EXPECT_FALSE(last().headers.contains("x-org-id"));
}

TEST_F(ClientTest, ExtraHeadersPerCallAreSent) {
  mock->enqueue_json(200, json::object());
  roserocket::RequestOptions opts;
  opts.headers.set("X-Trace", "abc");
  objects().get("x", opts);
  EXPECT_EQ(last().headers.get("x-trace"), "abc");
}

TEST_F(ClientTest, RequestTimeoutReachesTheTransportAndCanBeOverridden) {
  auto o = options();
  o.request_timeout = std::chrono::milliseconds(1234);
  roserocket::Client c(o);
  mock->enqueue_json(200, json::object());
  c.objects().get("x");
  EXPECT_EQ(last().timeout, std::chrono::milliseconds(1234));
  mock->enqueue_json(200, json::object());
  roserocket::RequestOptions opts;
  opts.timeout = std::chrono::milliseconds(50);
  c.objects().get("x", opts);
  EXPECT_EQ(last().timeout, std::chrono::milliseconds(50));
}

TEST_F(ClientTest, BaseUrlAndPrefixAreConfigurable) {
  auto o = options();
  o.base_url = "https://acme.roserocket.com/";
  o.api_prefix = "api/v2/platformModel/";
  mock->enqueue_json(200, json::object());
  roserocket::Client(o).objects().get("x");
  EXPECT_EQ(last().url, "https://acme.roserocket.com/api/v2/platformModel/objects/x");
}

TEST_F(ClientTest, PlainHttpIsAllowedToLoopbackHosts) {
  for (const char* base : {"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"}) {
    auto o = options();
    o.base_url = base;
    EXPECT_NO_THROW(roserocket::Client{o}) << base;
  }
}

TEST_F(ClientTest, PlainHttpToOtherHostsIsRefused) {
  auto o = options();
  o.base_url = "http://network.roserocket.com";
  try {
    roserocket::Client c(o);
    FAIL() << "expected InvalidArgumentError";
  } catch (const roserocket::InvalidArgumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("dangerously_allow_plain_http"));
  }
  o.dangerously_allow_plain_http = true;
  EXPECT_NO_THROW(roserocket::Client{o});
}

TEST_F(ClientTest, MalformedBaseUrlsAreRefused) {
  for (const char* base : {"network.roserocket.com", "ftp://x.roserocket.com",
                           "https://x.roserocket.com/api", "https://user@x.roserocket.com", ""}) {
    auto o = options();
    o.base_url = base;
    EXPECT_THROW(roserocket::Client{o}, roserocket::InvalidArgumentError) << base;
  }
}

TEST_F(ClientTest, MissingTokenProviderIsRefused) {
  auto o = options();
  o.token_provider = nullptr;
  EXPECT_THROW(roserocket::Client{o}, roserocket::InvalidArgumentError);
}

TEST_F(ClientTest, EmptyStaticTokenIsRefused) {
  EXPECT_THROW(roserocket::StaticTokenProvider(""), roserocket::InvalidArgumentError);
}

TEST_F(ClientTest, WorksWithGoogleMockTransport) {
  auto gmock = std::make_shared<roserocket::mock::GMockTransport>();
  EXPECT_CALL(*gmock, send(::testing::Field(&roserocket::HttpRequest::method,
                                            roserocket::HttpMethod::kDelete)))
      .WillOnce(::testing::Return(roserocket::HttpResponse{204, {}, ""}));
  auto o = options();
  o.transport = gmock;
  EXPECT_FALSE(roserocket::Client(o).objects().remove("x").has_value());
}

// --- error mapping ---

struct StatusCase {
  int status;
  const char* type;
};

class ErrorMapping : public ClientTest, public ::testing::WithParamInterface<StatusCase> {};

TEST_P(ErrorMapping, StatusMapsToItsErrorType) {
  const auto [status, type] = GetParam();
  auto o = options();
  o.retry = roserocket::RetryPolicy::none();
  mock->enqueue_json(status, nest_error(status, {"first problem", "second problem"}, "Some Error"),
                     {{"x-request-id", "req-123"}});
  try {
    roserocket::Client(o).objects().get("id-1");
    FAIL() << "expected an error";
  } catch (const roserocket::ApiError& e) {
    const std::string name = type;
    bool matches = false;
    if (name == "BadRequest")
      matches = dynamic_cast<const roserocket::BadRequestError*>(&e);
    if (name == "Unauthorized")
      matches = dynamic_cast<const roserocket::UnauthorizedError*>(&e);
    if (name == "Forbidden")
      matches = dynamic_cast<const roserocket::ForbiddenError*>(&e);
    if (name == "NotFound")
      matches = dynamic_cast<const roserocket::NotFoundError*>(&e);
    if (name == "Conflict")
      matches = dynamic_cast<const roserocket::ConflictError*>(&e);
    if (name == "RateLimited")
      matches = dynamic_cast<const roserocket::RateLimitedError*>(&e);
    if (name == "Server")
      matches = dynamic_cast<const roserocket::ServerError*>(&e);
    if (name == "Api")
      matches = typeid(e) == typeid(roserocket::ApiError);
    EXPECT_TRUE(matches) << "status " << status << " gave " << typeid(e).name();
    EXPECT_EQ(e.status(), status);
    EXPECT_EQ(e.operation(), "objects.get");
    EXPECT_EQ(e.context().method, "GET");
    EXPECT_EQ(e.context().path, "/api/v2/platformModel/objects/id-1");
    EXPECT_EQ(e.messages(), (std::vector<std::string>{"first problem", "second problem"}));
    EXPECT_EQ(e.context().error_code, "Some Error");
    EXPECT_EQ(e.request_id(), "req-123");
    EXPECT_THAT(e.what(), HasSubstr("first problem; second problem"));
    EXPECT_THAT(e.what(), HasSubstr(std::to_string(status)));
    EXPECT_THAT(e.what(), HasSubstr("req-123"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, ErrorMapping,
    ::testing::Values(StatusCase{400, "BadRequest"}, StatusCase{401, "Unauthorized"},
                      StatusCase{403, "Forbidden"}, StatusCase{404, "NotFound"},
                      StatusCase{409, "Conflict"}, StatusCase{422, "BadRequest"},
                      StatusCase{429, "RateLimited"}, StatusCase{500, "Server"},
                      StatusCase{503, "Server"}, StatusCase{418, "Api"}),
    [](const auto& info) { return std::to_string(info.param.status); });

TEST_F(ClientTest, SingleStringMessageIsOneMessage) {
  mock->enqueue_json(400, nest_error(400, "name must be a string", "Bad Request"));
  try {
    objects().create("customer", {{"name", 5}});
    FAIL();
  } catch (const roserocket::BadRequestError& e) {
    EXPECT_EQ(e.messages(), std::vector<std::string>{"name must be a string"});
  }
}

TEST_F(ClientTest, NonJsonErrorBodyIsQuotedShortened) {
  mock->enqueue(roserocket::HttpResponse{
      502, {}, "<html><body>Bad gateway\n" + std::string(500, 'x') + "</body></html>"});
  auto o = options();
  o.retry = roserocket::RetryPolicy::none();
  try {
    roserocket::Client(o).objects().get("x");
    FAIL();
  } catch (const roserocket::ServerError& e) {
    ASSERT_EQ(e.messages().size(), 1u);
    EXPECT_THAT(e.messages()[0], HasSubstr("(not JSON) <html><body>Bad gateway"));
    EXPECT_LT(e.messages()[0].size(), 260u);
  }
}

TEST_F(ClientTest, NonJsonSuccessBodyIsMalformedResponse) {
  mock->enqueue(roserocket::HttpResponse{200, {}, "<html>maintenance</html>"});
  try {
    objects().get("x");
    FAIL();
  } catch (const roserocket::MalformedResponseError& e) {
    EXPECT_EQ(e.status(), 200);
    EXPECT_EQ(e.operation(), "objects.get");
  }
}

TEST_F(ClientTest, TruncatedSuccessBodyIsMalformedResponse) {
  mock->enqueue(roserocket::HttpResponse{200, {}, R"({"id": "c-1", "name": "XYZ Fr)"});
  EXPECT_THROW(objects().get("x"), roserocket::MalformedResponseError);
}

TEST_F(ClientTest, EmptySuccessBodyIsNull) {
  mock->enqueue_empty(204);
  roserocket::ApiRequest request;
  request.operation = "custom.op";
  request.path = "/x";
  auto response = client().call(request);
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.is_null());
}

TEST_F(ClientTest, TokenEchoedByServerNeverReachesTheErrorText) {
  mock->enqueue_json(400,
                     nest_error(400, std::string("bad header: Bearer ") + kToken, "Bad Request"));
  try {
    objects().get("x");
    FAIL();
  } catch (const roserocket::Error& e) {
    EXPECT_THAT(e.what(), Not(HasSubstr(kToken)));
    for (const auto& m : e.messages())
      EXPECT_THAT(m, Not(HasSubstr(kToken)));
  }
}

TEST_F(ClientTest, LogRecordsNeverCarryTheToken) {
  std::vector<std::string> lines;
  auto o = options();
  o.logger = [&](const roserocket::LogRecord& r) { lines.push_back(r.message); };
  mock->enqueue_json(503, json::object());
  mock->enqueue_json(200, json::object());
  roserocket::Client(o).objects().get("x");
  ASSERT_FALSE(lines.empty());
  bool saw_redacted = false;
  for (const auto& line : lines) {
    EXPECT_THAT(line, Not(HasSubstr(kToken)));
    saw_redacted = saw_redacted || line.find("Bearer ***") != std::string::npos;
  }
  EXPECT_TRUE(saw_redacted);
}

TEST_F(ClientTest, PercentEncodeKeepsUnreservedAndEncodesEverythingElse) {
  EXPECT_EQ(roserocket::percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(roserocket::percent_encode("a b/c?d#e%f&g=h+i"), "a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi");
  EXPECT_EQ(roserocket::percent_encode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(roserocket::percent_encode(std::string("a\0b", 3)), "a%00b");
}

TEST_F(ClientTest, QueryValuesAreEncodedSoTheyCannotAddParameters) {
  mock->enqueue_json(200, json::array());
  roserocket::AutocompleteRequest request;
  request.object_key = "customer&paths=secret";
  request.search_term = "x#y";
  objects().autocomplete(request);
  EXPECT_EQ(last().url, std::string(kBase) +
                            "/objects/autocomplete?objectKey=customer%26paths%3Dsecret&searchTerm="
                            "x%23y");
}
