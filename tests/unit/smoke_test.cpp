#include <gtest/gtest.h>

#include "roserocket/roserocket.hpp"
#include "roserocket/testing/mock_transport.hpp"

TEST(Smoke, GetSendsBearerToken) {
  auto mock = std::make_shared<roserocket::testing::MockTransport>();
  mock->enqueue_json(200, {{"id", "c1"}, {"objectKey", "customer"}});
  roserocket::ClientOptions options;
  options.transport = mock;
  options.token_provider = std::make_shared<roserocket::StaticTokenProvider>("tok");
  roserocket::Client client(options);
  auto record = client.objects().get("c1");
  EXPECT_EQ(record["id"], "c1");
  EXPECT_EQ(mock->last_request().headers.get("Authorization"), "Bearer tok");
}
