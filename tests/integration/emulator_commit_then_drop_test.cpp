// The commitThenDrop fault (issue 22): the emulator handles the request, so a write is stored,
// and then loses the answer (half the body, then an aborted connection), as a proxy that fails
// after the server acted does. Set through the C++ API and through the admin route.

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

class CommitThenDrop : public EmulatorTest {
 public:
  Reply admin(const std::string& method, const std::string& path, const Json& body) {
    return raw(method, "/__emulator" + path, body.dump(), "-");
  }
};

TEST_F(CommitThenDrop, TheWriteIsStoredButItsAnswerIsLost) {
  rr_emulator::Fault f;
  f.method = "PATCH";
  f.path_prefix = kApi + "/objects/customer/";
  f.kind = rr_emulator::FaultKind::kCommitThenDrop;
  emulator_->add_fault(f);

  const Reply lost = api("PATCH", "/objects/customer/ERP-1/external",
                         {{"objectKey", "customer"}, {"json", {{"name", "Stored Freight"}}}});
  EXPECT_FALSE(lost.ok && lost.json.is_object()) << "a whole answer came back: " << lost.body;
  EXPECT_EQ(emulator_->stats().faults_served, 1u);

  const Reply stored = api("GET", "/objects/customer/ERP-1/external");
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.json.value("name", ""), "Stored Freight");
  // The fault is used up: the next write is answered whole, as an update of the same record.
  const Reply again = api("PATCH", "/objects/customer/ERP-1/external",
                          {{"objectKey", "customer"}, {"json", {{"name", "Stored Freight"}}}});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json.value("id", ""), stored.json.value("id", "x"));
}

TEST_F(CommitThenDrop, SetThroughTheAdminRouteAndNamedInTheKindError) {
  EXPECT_EQ(
      admin("POST", "/faults",
            {{"kind", "commitThenDrop"}, {"method", "POST"}, {"pathPrefix", kApi + "/objects"}})
          .status,
      201);
  const Reply lost = api(
      "POST", "/objects",
      {{"objectKey", "customer"}, {"json", {{"externalId", "ERP-2"}, {"name", "Lost Freight"}}}});
  EXPECT_FALSE(lost.ok && lost.json.is_object()) << lost.body;
  EXPECT_EQ(api("GET", "/objects/customer/ERP-2/external").status, 200);

  const Reply bad = admin("POST", "/faults", {{"kind", "commitThenLose"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(message_mentions(bad.json, "commitThenDrop")) << bad.body;
}

}  // namespace
}  // namespace rr_emulator_test
