#pragma once

/// @file
/// @brief `WebhookEvent`: one delivery of the platform's webhooks, with typed access to the
/// record it carries.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "roserocket/errors.hpp"
#include "roserocket/export.hpp"

namespace roserocket {

/// @brief Limits applied when a delivery's body is parsed.
struct WebhookParseLimits {
  /// Bodies longer than this are refused before parsing.
  std::size_t max_body_bytes = 1024 * 1024;
  /// Arrays and objects nested deeper than this are refused while parsing (no deep recursion).
  int max_depth = 64;
};

/// @brief One webhook delivery: `{id, type, refId, ownerId, orgId, objectKey, createdAt, json}`.
///
/// A value type; not synchronised (copy it to share it between threads).
struct ROSEROCKET_API WebhookEvent {
  /// The event's id: the same on every redelivery, the key duplicates are dropped by.
  std::string id;
  /// What happened, e.g. "Order Status Changed".
  std::string type;
  /// The id of the record the event is about.
  std::string ref_id;
  /// The user who caused it.
  std::string owner_id;
  /// The organisation the record belongs to.
  std::string org_id;
  /// The record's object key, e.g. "order".
  std::string object_key;
  /// When it happened (ISO-8601).
  std::string created_at;
  /// The record as the platform sent it with the delivery (may be older than the record now):
  /// the envelope's `json` key. Read it as `payload()`: on `Event` the member `json` is the
  /// whole envelope (a data member cannot be renamed within the 1.x ABI; ADR 0022).
  nlohmann::json json = nlohmann::json(nlohmann::json::value_t::object);
  /// The record as re-read by `refId` just before the handler ran, when the receiver re-reads;
  /// empty when it does not or when the record no longer exists.
  std::optional<nlohmann::json> current;
  /// True when the receiver re-read the record and the platform answered 404 (it was deleted).
  bool record_deleted = false;
  /// Everything the delivery carried, unknown keys included.
  nlohmann::json raw = nlohmann::json(nlohmann::json::value_t::object);

  /// @brief The delivery's payload, its `json` key: the record as sent (the member `json`).
  /// Same meaning as `Event::payload()`.
  [[nodiscard]] const nlohmann::json& payload() const noexcept { return json; }
  /// @brief Everything the delivery carried, unknown keys included (the member `raw`). Same
  /// meaning as `Event::envelope()`.
  [[nodiscard]] const nlohmann::json& envelope() const noexcept { return raw; }

  /// @brief Reads an envelope that is already parsed.
  /// @param envelope the delivery's JSON object.
  /// @return the event.
  /// @throw InvalidArgumentError when @p envelope is not an object, when `id`, `type`, `refId` or
  /// `objectKey` is missing, empty or not a string, or when `id` holds control characters or is
  /// longer than 256 bytes.
  static WebhookEvent from_json(const nlohmann::json& envelope);

  /// @brief Parses a delivery's body within @p limits.
  /// @param body the raw HTTP body.
  /// @param limits size and nesting limits.
  /// @return the event.
  /// @throw InvalidArgumentError for a body over the size limit, nested too deep, not JSON, or
  /// not a valid envelope (see `from_json`). The message never quotes the body.
  static WebhookEvent parse(std::string_view body, const WebhookParseLimits& limits = {});

  /// @brief The record this event is about, typed: the re-read version when there is one,
  /// otherwise the one delivered. E.g. `event.record<model::Order>()`.
  /// @tparam T a typed record (`model::Order`, ...) or `model::Record`.
  /// @return the record.
  /// @throw InvalidArgumentError when the record is another object's (T's object key differs).
  template <class T>
  [[nodiscard]] T record() const {
    return T::from_json(current ? *current : json);
  }
};

}  // namespace roserocket
