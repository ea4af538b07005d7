#pragma once

/// @file
/// @brief `Events`: a record's history (`GET /events`, filters and bookmark paging) and
/// `POST /events`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/paging.hpp"

namespace roserocket {

/// @brief One event of a record's history. A value type.
struct ROSEROCKET_API Event {
  /// The event's id (also the `bookmark` that paging starts from).
  std::string id;
  /// What happened: create, mutate, internal, widget-open, widget-close, or a newer value.
  model::EventType type;
  /// The record the event is about.
  std::string ref_id;
  /// The user who caused it.
  std::string owner_id;
  /// When it happened (ISO-8601).
  std::string created_at;
  /// The event's own payload (`json`), JSON null when absent. Read it as `payload()`.
  Json data;
  /// Everything the server sent, unknown keys included. Read it as `envelope()`: the name `json`
  /// means the payload on `WebhookEvent` and `NewEvent` (a data member cannot be renamed within
  /// the 1.x ABI, so it stays; ADR 0022).
  Json json = Json(Json::value_t::object);

  /// @brief Everything the server sent for this event, unknown keys included (the member
  /// `json`). Same meaning as `WebhookEvent::envelope()`.
  [[nodiscard]] const Json& envelope() const noexcept { return json; }
  /// @brief The event's own payload, the server's `json` key (the member `data`); JSON null when
  /// absent. Same meaning as `WebhookEvent::payload()`.
  [[nodiscard]] const Json& payload() const noexcept { return data; }

  /// @brief Reads one event; missing keys stay empty.
  /// @throw InvalidArgumentError when @p json is not an object.
  static Event from_json(const Json& json);
};

/// @brief The query of `GET /events`.
struct ROSEROCKET_API EventQuery {
  /// The record whose events to list. Required.
  std::string record_id;
  /// The record's object key. Required.
  std::string object_key;
  /// The board the record belongs to.
  std::optional<std::string> board_id;
  /// Only events of this type.
  std::optional<model::EventType> type;
  /// Only events of these types (sent as repeated `inTypes`).
  std::vector<model::EventType> in_types;
  /// No events of these types (sent as repeated `notInTypes`).
  std::vector<model::EventType> not_in_types;
  /// Only events caused by this user.
  std::optional<std::string> user_id;
  /// createdAt (the server's default), id, type, refId or ownerId.
  std::optional<std::string> order_by;
  /// `SortDirection::kAsc` or `kDesc`.
  std::optional<SortDirection> order_by_direction;
  /// Events per page, 0 to 200 (the server's default is 200).
  std::optional<int> limit;
  /// Events to skip (from the bookmark when one is given).
  std::optional<int> offset;
  /// An event id that offset and limit count from, so pages stay put while events arrive.
  std::optional<std::string> bookmark;

  /// @brief The query for the events of record @p record_id of @p object_key, no filters.
  static EventQuery for_record(std::string record_id, std::string object_key) {
    EventQuery q;
    q.record_id = std::move(record_id);
    q.object_key = std::move(object_key);
    return q;
  }
};

/// @brief One page of events.
struct ROSEROCKET_API EventPage {
  /// The server's approximate number of matching events.
  std::int64_t total = 0;
  /// This page.
  std::vector<Event> results;
};

/// @brief The body of `POST /events`; every field is required by the API.
struct ROSEROCKET_API NewEvent {
  /// The record the event is about.
  std::string record_id;
  /// The board the record is accessed through.
  std::string board_id;
  /// The event's type.
  model::EventType type;
  /// The event's payload (a JSON object).
  Json json = Json(Json::value_t::object);
};

/// @brief A record's events. Cheap to copy; thread-safe as `Client` is.
class ROSEROCKET_API Events {
 public:
  /// @brief Events over @p client.
  explicit Events(Client client);

  /// @brief `GET /events` once: one page.
  /// @throw InvalidArgumentError for an empty record id or object key, a limit outside 0..200
  /// or a negative offset, before any request.
  [[nodiscard]] EventPage list(const EventQuery& query, const RequestOptions& options = {}) const;

  /// @brief Every event matching @p query, fetched page by page while the range is iterated:
  /// the first page's first event becomes the bookmark (unless @p query has one) and the
  /// offset advances from it, so events that arrive meanwhile do not shift the pages. Ends at
  /// the first short or empty page.
  /// @throw InvalidArgumentError (at once) for a limit of 0 or an empty record id or object key;
  /// while iterating, the errors of `list`, and MalformedResponseError when a page holds only
  /// events already read (a server ignoring the bookmark would otherwise be asked for ever).
  [[nodiscard]] PagedRange<Event> list_range(EventQuery query,
                                             const RequestOptions& options = {}) const;

  /// @brief `list_range(query, options).to_vector()`: every event at once.
  [[nodiscard]] std::vector<Event> list_all(EventQuery query,
                                            const RequestOptions& options = {}) const;

  /// @brief `POST /events`. Not retried once it may have reached the server.
  /// @return the created event as the server answered.
  /// @throw InvalidArgumentError for an empty record id, board id or type, or a non-object json;
  /// MalformedResponseError when the answer is not an object.
  Event create(const NewEvent& event, const RequestOptions& options = {}) const;

 private:
  Client client_;
};

}  // namespace roserocket
