// Fault injection (in-process and over the admin endpoint) and the stats counters.

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

using rr_emulator::Fault;
using rr_emulator::FaultKind;

class FaultsTest : public EmulatorTest {
 public:
  Reply admin(const std::string& method, const std::string& path, const Json& body = nullptr) {
    return raw(method, "/__emulator" + path, body.is_null() ? "" : body.dump(), "-");
  }
};

TEST_F(FaultsTest, StatusFaultAnswersTheNextNMatchingRequests) {
  Fault f;
  f.method = "GET";
  f.path_prefix = kApi + "/boards";
  f.status = 503;
  f.retry_after = "2";
  f.count = 2;
  emulator_->add_fault(f);
  for (int i = 0; i < 2; ++i) {
    Reply r = api("GET", "/boards/nav");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.header("Retry-After"), "2");
    EXPECT_EQ(r.json["statusCode"], 503);
    EXPECT_EQ(r.json["error"], "Service Unavailable");
  }
  EXPECT_EQ(api("GET", "/boards/nav").status, 200);
  EXPECT_EQ(emulator_->stats().faults_served, 2u);
}

TEST_F(FaultsTest, StatusFaultWithCustomMessage) {
  Fault f;
  f.status = 429;
  f.message = "slow down";
  emulator_->add_fault(f);
  Reply r = api("GET", "/boards/nav");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json["message"], "slow down");
}

TEST_F(FaultsTest, FaultsMatchByMethodAndPathPrefix) {
  Fault f;
  f.method = "POST";
  f.path_prefix = kApi + "/objects";
  f.status = 500;
  emulator_->add_fault(f);
  EXPECT_EQ(api("GET", "/boards/nav").status, 200);  // other path
  EXPECT_EQ(api("GET", "/objects/x").status, 404);   // other method
  EXPECT_EQ(api("POST", "/objects", {{"objectKey", "tag"}, {"json", Json::object()}}).status, 500);
  EXPECT_EQ(api("POST", "/objects", {{"objectKey", "tag"}, {"json", Json::object()}}).status, 200);
}

TEST_F(FaultsTest, TokenEndpointCanFailToo) {
  Fault f;
  f.path_prefix = "/oauth/token";
  f.status = 503;
  emulator_->add_fault(f);
  EXPECT_EQ(token_form("grant_type=client_credentials").status, 503);
  EXPECT_FALSE(fetch_token().empty());
}

TEST_F(FaultsTest, DelayFaultStillAnswersNormally) {
  Fault f;
  f.kind = FaultKind::kDelay;
  f.delay_ms = 50;
  emulator_->add_fault(f);
  Reply r = api("GET", "/boards/nav");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json.is_array());
  EXPECT_EQ(emulator_->stats().faults_served, 1u);
}

TEST_F(FaultsTest, DelayLongerThanTheClientTimeoutTimesOut) {
  Fault f;
  f.kind = FaultKind::kDelay;
  f.delay_ms = 1500;
  emulator_->add_fault(f);
  httplib::Client c("127.0.0.1", emulator_->port());
  c.set_read_timeout(0, 200000);  // 200 ms
  auto result = c.Get((kApi + "/boards/nav").c_str(), {{"Authorization", "Bearer " + token_}});
  EXPECT_FALSE(result);
  if (!result) {
    EXPECT_EQ(result.error(), httplib::Error::Read);
  }
}

TEST_F(FaultsTest, DropFaultTearsTheConnectionMidBody) {
  Fault f;
  f.kind = FaultKind::kDrop;
  emulator_->add_fault(f);
  auto c = client();
  auto result = c.Get((kApi + "/boards/nav").c_str(), {{"Authorization", "Bearer " + token_}});
  EXPECT_FALSE(result);  // headers promised more bytes than ever came
  EXPECT_EQ(api("GET", "/boards/nav").status, 200);
}

TEST_F(FaultsTest, TruncatedBodyIsAnIncompleteJsonDocument) {
  Fault f;
  f.kind = FaultKind::kTruncatedBody;
  emulator_->add_fault(f);
  Reply r = api("GET", "/boards/nav");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.empty());
  EXPECT_EQ(r.body.front(), '{');
  EXPECT_TRUE(r.json.is_discarded());
}

TEST_F(FaultsTest, NonJsonBody) {
  Fault f;
  f.kind = FaultKind::kNonJsonBody;
  f.status = 502;
  emulator_->add_fault(f);
  Reply r = api("GET", "/boards/nav");
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.header("Content-Type"), "text/html");
  EXPECT_TRUE(r.json.is_discarded());
}

TEST_F(FaultsTest, ClearFaultsRemovesPendingOnes) {
  Fault f;
  f.status = 500;
  f.count = 5;
  emulator_->add_fault(f);
  emulator_->clear_faults();
  EXPECT_EQ(api("GET", "/boards/nav").status, 200);
}

TEST_F(FaultsTest, AdminEndpointAddsAndClearsFaults) {
  Reply added = admin("POST", "/faults",
                      {{"method", "GET"},
                       {"pathPrefix", kApi + "/boards"},
                       {"kind", "status"},
                       {"status", 429},
                       {"retryAfter", 1},
                       {"count", 3}});
  EXPECT_EQ(added.status, 201) << added.body;
  Reply r = api("GET", "/boards/nav");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "1");
  EXPECT_EQ(admin("DELETE", "/faults").status, 204);
  EXPECT_EQ(api("GET", "/boards/nav").status, 200);
}

TEST_F(FaultsTest, AdminEndpointFaultKinds) {
  for (const char* kind : {"drop", "truncated", "nonJson", "delay"}) {
    EXPECT_EQ(
        admin("POST", "/faults", {{"kind", kind}, {"pathPrefix", kApi}, {"delayMs", 1}}).status,
        201)
        << kind;
  }
  auto c = client();
  EXPECT_FALSE(c.Get((kApi + "/boards/nav").c_str(), {{"Authorization", "Bearer " + token_}}));
  EXPECT_TRUE(api("GET", "/boards/nav").json.is_discarded());  // truncated
  EXPECT_TRUE(api("GET", "/boards/nav").json.is_discarded());  // non-JSON
  EXPECT_EQ(api("GET", "/boards/nav").status, 200);            // delayed
}

TEST_F(FaultsTest, AdminEndpointRejectsBadFaults) {
  Reply r = admin("POST", "/faults", {{"kind", "explode"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(message_mentions(r.json, "kind"));
  EXPECT_EQ(admin("POST", "/faults", {{"status", 42}}).status, 400);
  EXPECT_EQ(raw("POST", "/__emulator/faults", "nope", "-").status, 400);
}

TEST_F(FaultsTest, StatsCountTokensApiRequestsAndConnections) {
  api("GET", "/boards/nav");
  api("GET", "/boards/nav");
  api("POST", "/objects", {{"objectKey", "tag"}, {"json", Json::object()}});
  auto stats = emulator_->stats();
  EXPECT_EQ(stats.token_requests["client_credentials"], 1u);
  EXPECT_EQ(stats.api_requests["GET " + kApi + "/boards/nav"], 2u);
  EXPECT_EQ(stats.api_requests["POST " + kApi + "/objects"], 1u);
  // Each helper call opens its own connection: the token request and three API calls.
  EXPECT_GE(stats.accepted_connections, 4u);

  Reply over_http = admin("GET", "/stats");
  ASSERT_EQ(over_http.status, 200);
  EXPECT_EQ(over_http.json["apiRequests"]["GET " + kApi + "/boards/nav"], 2);
  EXPECT_EQ(over_http.json["tokenRequests"]["client_credentials"], 1);
  EXPECT_GE(over_http.json["acceptedConnections"].get<int>(), 4);
}

TEST_F(FaultsTest, KeepAliveReusesOneConnection) {
  auto c = client();
  c.set_keep_alive(true);
  const auto before = emulator_->stats().accepted_connections;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        c.Get((kApi + "/boards/nav").c_str(), {{"Authorization", "Bearer " + token_}})->status,
        200);
  }
  EXPECT_EQ(emulator_->stats().accepted_connections, before + 1);
}

TEST_F(FaultsTest, ResetForgetsDataFaultsAndCountersButKeepsTokens) {
  create("customer", Json::object());
  Fault f;
  f.path_prefix = "/nowhere";
  emulator_->add_fault(f);
  EXPECT_EQ(admin("POST", "/reset").status, 204);
  EXPECT_EQ(emulator_->stats().api_requests.size(), 0u);
  EXPECT_EQ(create("customer", Json::object())["fullId"], "CUST-1");
  emulator_->reset();
  EXPECT_EQ(create("customer", Json::object())["fullId"], "CUST-1");
}

}  // namespace
}  // namespace rr_emulator_test
