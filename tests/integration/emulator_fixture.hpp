#pragma once

// Shared by the emulator_*_test.cpp files: an in-process emulator on a free loopback port and a
// plain httplib client (deliberately not the SDK) that speaks to it.

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "rr_emulator/emulator.hpp"

namespace rr_emulator_test {

using Json = nlohmann::json;

/// @brief One HTTP answer, with the body parsed when it is JSON.
struct Reply {
  int status = 0;
  std::string body;
  Json json;
  httplib::Headers headers;
  /// False when the connection failed (no HTTP answer at all).
  bool ok = false;

  [[nodiscard]] std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

inline Reply to_reply(const httplib::Result& result) {
  Reply r;
  if (!result)
    return r;
  r.ok = true;
  r.status = result->status;
  r.body = result->body;
  r.headers = result->headers;
  r.json = Json::parse(r.body, nullptr, false);
  return r;
}

/// @brief The API prefix, as the vendor's docs write it.
inline const std::string kApi = "/api/v2/platformModel";

/// @brief An emulator per test, plus a bearer token from the client_credentials grant.
class EmulatorTest : public ::testing::Test {
 public:
  void SetUp() override {
    emulator_ = std::make_unique<rr_emulator::Emulator>(make_options());
    emulator_->start();
    token_ = fetch_token();
    ASSERT_FALSE(token_.empty());
  }

  void TearDown() override { emulator_->stop(); }

  /// @brief Options for this fixture; tests override to change the TTL etc.
  virtual rr_emulator::Options make_options() { return {}; }

  [[nodiscard]] httplib::Client client() const {
    httplib::Client c("127.0.0.1", emulator_->port());
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }

  /// @brief POST /oauth/token with a form body (and optional extra headers).
  Reply token_form(const std::string& form, const httplib::Headers& headers = {}) {
    auto c = client();
    return to_reply(c.Post("/oauth/token", headers, form, "application/x-www-form-urlencoded"));
  }

  /// @brief POST /oauth/token with a JSON body.
  Reply token_json(const Json& body) {
    auto c = client();
    return to_reply(c.Post("/oauth/token", body.dump(), "application/json"));
  }

  std::string fetch_token() {
    Reply r = token_form(
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret"
        "&audience=https%3A%2F%2Froserocket.com");
    return r.json.is_object() ? r.json.value("access_token", std::string()) : std::string();
  }

  /// @brief An API call with the fixture's token; @p path is relative to /api/v2/platformModel.
  Reply api(const std::string& method, const std::string& path, const Json& body = nullptr,
            const std::string& token = "") {
    return raw(method, kApi + path, body.is_null() ? std::string() : body.dump(),
               token.empty() ? token_ : token);
  }

  /// @brief Any call: raw body text, and an explicit token ("-" sends no Authorization).
  Reply raw(const std::string& method, const std::string& path, const std::string& body,
            const std::string& token) {
    auto c = client();
    httplib::Headers headers;
    if (token != "-")
      headers.emplace("Authorization", "Bearer " + token);
    const char* type = "application/json";
    if (method == "GET")
      return to_reply(c.Get(path.c_str(), headers));
    if (method == "POST")
      return to_reply(c.Post(path.c_str(), headers, body, type));
    if (method == "PUT")
      return to_reply(c.Put(path.c_str(), headers, body, type));
    if (method == "PATCH")
      return to_reply(c.Patch(path.c_str(), headers, body, type));
    if (method == "DELETE")
      return to_reply(c.Delete(path.c_str(), headers, body, type));
    ADD_FAILURE() << "unsupported method " << method;
    return {};
  }

  /// @brief POST /objects; expects 200 and returns the record.
  Json create(const std::string& object_key, const Json& json, const Json& paths = nullptr) {
    // `{}` arrives as null; an empty record is meant.
    Json body = {{"objectKey", object_key}, {"json", json.is_null() ? Json::object() : json}};
    if (!paths.is_null())
      body["paths"] = paths;
    Reply r = api("POST", "/objects", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json;
  }

  /// @brief The board id of @p object_key from GET /boards/nav.
  std::string board_of(const std::string& object_key) {
    Reply r = api("GET", "/boards/nav");
    for (const auto& b : r.json) {
      if (b["objectKey"] == object_key)
        return b["id"].get<std::string>();
    }
    ADD_FAILURE() << "no board for " << object_key;
    return {};
  }

  std::unique_ptr<rr_emulator::Emulator> emulator_;
  std::string token_;
};

/// @brief True when @p message (a string or array) has an entry containing @p needle.
inline bool message_mentions(const Json& body, const std::string& needle) {
  if (!body.is_object() || !body.contains("message"))
    return false;
  const Json& m = body["message"];
  if (m.is_string())
    return m.get<std::string>().find(needle) != std::string::npos;
  for (const auto& item : m) {
    if (item.is_string() && item.get<std::string>().find(needle) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace rr_emulator_test
