// Issue 14 (found by bench/soak_bench): a fault answers before the request body is read, so it
// closes the connection; a kept-alive client's next request must not meet that unread body.

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

class FaultConnection : public EmulatorTest {};

TEST_F(FaultConnection, NextRequestOnAKeptAliveClientIsNotSpoiledByAnUnreadBody) {
  for (auto kind : {rr_emulator::FaultKind::kStatus, rr_emulator::FaultKind::kTruncatedBody,
                    rr_emulator::FaultKind::kNonJsonBody}) {
    rr_emulator::Fault f;
    f.path_prefix = "/api/v2/platformModel/objects";
    f.kind = kind;
    emulator_->add_fault(f);
    // One client: it keeps its connection alive between the two calls when the server lets it.
    auto c = client();
    c.set_keep_alive(true);
    const httplib::Headers auth = {{"Authorization", "Bearer " + token_}};
    const std::string body =
        Json{{"objectKey", "customer"}, {"json", {{"name", std::string(2000, 'n')}}}}.dump();
    auto faulted = c.Post((kApi + "/objects").c_str(), auth, body, "application/json");
    ASSERT_TRUE(faulted);
    EXPECT_EQ(faulted->get_header_value("Connection"), "close");
    auto next = c.Post((kApi + "/objects").c_str(), auth, body, "application/json");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200) << static_cast<int>(kind) << ": " << next->body;
  }
}

}  // namespace
}  // namespace rr_emulator_test
