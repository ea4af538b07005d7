// Replays the vendor documents' own requests against the emulator (getting-started customer
// "XYZ Freight Corp", then GET, PUT, PATCH with id, DELETE) with a token from the token endpoint,
// checking the status codes and fields those pages show.

#include <regex>

#include "emulator_fixture.hpp"

namespace rr_emulator_test {
namespace {

class SeedsReplayTest : public EmulatorTest {};

TEST_F(SeedsReplayTest, GettingStartedAndCrudExamples) {
  // Token from the token endpoint, as the getting-started page has Postman do.
  Reply token = token_form(
      "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret"
      "&audience=https%3A%2F%2Froserocket.com");
  ASSERT_EQ(token.status, 200);
  const std::string bearer = token.json["access_token"];

  // "Create a new customer": PATCH /objects with boardId, objectKey and json.
  Reply created =
      raw("PATCH", kApi + "/objects",
          R"({"boardId":"af1c0e83-5253-517d-aeff-e25a37f59beb","objectKey":"customer","json":{
   "name": "XYZ Freight Corp",
   "address": "123 Main St",
   "city": "New York",
   "state": "New York",
   "postal": "10001",
   "currency": "usd"}})",
          bearer);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.json["id"];
  EXPECT_TRUE(
      std::regex_match(created.json["fullId"].get<std::string>(), std::regex("^CUST-\\d+$")));
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(created.json["status"], "active");
  EXPECT_TRUE(created.json["externalId"].is_null());
  EXPECT_EQ(created.json["mapMarkers"], Json::array());
  EXPECT_EQ(created.json["etaDelayNotifyEnabled"], true);
  EXPECT_EQ(created.json["etaDelayNotifyLabel"], "Enabled");
  EXPECT_EQ(created.json["createdAt"], created.json["updatedAt"]);

  // "Retrieve customer information": GET /objects/{id}.
  Reply got = raw("GET", kApi + "/objects/" + id, "", bearer);
  ASSERT_EQ(got.status, 200);
  for (const char* field :
       {"id", "objectKey", "orgId", "source", "fullId", "name", "status", "mapMarkers",
        "externalId", "createdAt", "createdBy", "updatedAt", "updatedBy", "version",
        "etaDelayNotifyEnabled", "etaDelayNotifyLabel"}) {
    EXPECT_TRUE(got.json.contains(field)) << field;
  }
  EXPECT_EQ(got.json["name"], "XYZ Freight Corp");
  EXPECT_EQ(got.json["objectKey"], "customer");
  EXPECT_EQ(got.json["city"], "New York");

  // The seeds' read with paths and objectKey in the query.
  EXPECT_EQ(raw("GET", kApi + "/objects/" + id + "?objectKey=customer&paths=contacts,locations", "",
                bearer)
                .status,
            200);

  // "Update Customer record" PUT.
  Reply put = raw("PUT", kApi + "/objects/" + id,
                  R"({"objectKey": "customer", "json": {"name": "ABC Produce Co"}})", bearer);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["name"], "ABC Produce Co");
  EXPECT_EQ(put.json["version"], 2);
  EXPECT_EQ(put.json["fullId"], created.json["fullId"]);
  EXPECT_EQ(put.json["createdAt"], created.json["createdAt"]);
  EXPECT_TRUE(put.json["externalId"].is_null());

  // "PATCH: update the specific fields", with id in the body.
  Reply patched = raw("PATCH", kApi + "/objects", R"({"id": ")" + id + R"(",
    "objectKey": "customer",
    "json": {"name": "ABC Produce Co", "companyEmail": "billing@example.com", "defaultCurrency": "USD"}})",
                      bearer);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["id"], id);
  EXPECT_EQ(patched.json["companyEmail"], "billing@example.com");
  EXPECT_EQ(patched.json["defaultCurrency"], "USD");
  EXPECT_EQ(patched.json["version"], 3);

  // "Delete Customer record".
  Reply deleted = raw("DELETE", kApi + "/objects/" + id, "", bearer);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.json["id"], id);
  EXPECT_EQ(deleted.json["fullId"], created.json["fullId"]);
  EXPECT_EQ(raw("GET", kApi + "/objects/" + id, "", bearer).status, 404);
}

TEST_F(SeedsReplayTest, CreateExampleWithBusinessHoursAndGivenId) {
  Reply r = raw("PATCH", kApi + "/objects", R"({
    "id": "3d3acb3d-4aa0-443f-9793-0f9dd9547c4d",
    "objectKey": "customer",
    "json": {
        "name": "ABC Produce Co",
        "companyEmail": "abc@example.com",
        "companyPhone": "555-555-5555",
        "customerType": "broker",
        "busHoursMonStartAt": 32400, "busHoursMonEndAt": 32401,
        "busHoursTueStartAt": 32402, "busHoursTueEndAt": 32403,
        "busHoursWedStartAt": 32404, "busHoursWedEndAt": 32405,
        "busHoursThuStartAt": 32406, "busHoursThuEndAt": 32407,
        "busHoursFriStartAt": 32408, "busHoursFriEndAt": 32409,
        "busHoursSatStartAt": 32410, "busHoursSatEndAt": 32411,
        "busHoursSunStartAt": 32412, "busHoursSunEndAt": 32413,
        "defaultCurrency": "USD"
    }})",
                token_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["customerType"], "broker");
  EXPECT_EQ(r.json["busHoursSunEndAt"], 32413);
  EXPECT_EQ(r.json["formattedBusinessHours"],
            "Monday - 09:00-09:00, Tuesday - 09:00-09:00, Wednesday - 09:00-09:00, Thursday - "
            "09:00-09:00, Friday - 09:00-09:00, Saturday - 09:00-09:00, Sunday - 09:00-09:00");
  EXPECT_EQ(r.json["status"], "active");
}

}  // namespace
}  // namespace rr_emulator_test
