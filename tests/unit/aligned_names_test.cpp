// One meaning per name (issue 23, item 6): `envelope()` is everything that was sent and
// `payload()` the event's own `json` key, on Event and WebhookEvent alike.

#include <gtest/gtest.h>

#include "roserocket/objects/events.hpp"
#include "roserocket/webhooks/webhook_event.hpp"

namespace {

using Json = nlohmann::json;

TEST(AlignedNames, EventAndWebhookEventMeanTheSameByEnvelopeAndPayload) {
  const Json envelope = {{"id", "ev-1"},
                         {"type", "Order Status Changed"},
                         {"refId", "ord-1"},
                         {"objectKey", "order"},
                         {"ownerId", "u-1"},
                         {"createdAt", "2026-12-01T10:00:00.000Z"},
                         {"json", {{"status", "booked"}}},
                         {"unknownKey", 7}};
  const auto history = roserocket::Event::from_json(envelope);
  const auto delivery = roserocket::WebhookEvent::from_json(envelope);
  EXPECT_EQ(history.envelope(), envelope);
  EXPECT_EQ(delivery.envelope(), envelope);
  EXPECT_EQ(history.payload(), envelope["json"]);
  EXPECT_EQ(delivery.payload(), envelope["json"]);
  // The old members keep their old meanings.
  EXPECT_EQ(history.json, envelope);
  EXPECT_EQ(delivery.json, envelope["json"]);
}

}  // namespace
