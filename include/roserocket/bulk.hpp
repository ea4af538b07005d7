#pragma once

/// @file
/// @brief `BulkEngine`: many API calls at once through one `Client`, with per-item results,
/// progress, cancellation and adaptive concurrency (see docs/bulk.md and ADR 0011).

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "roserocket/cancellation.hpp"
#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket {

/// @brief Where a batch stands, as passed to a `BulkProgressCallback`. A value type.
struct ROSEROCKET_API BulkProgress {
  /// Items finished (succeeded or failed).
  std::size_t done = 0;
  /// Items in the batch.
  std::size_t total = 0;
  /// Items finished with an error.
  std::size_t failed = 0;
  /// Items finished per second since the batch started.
  double rate = 0.0;
};

/// @brief Called on the thread that runs the batch (never on the engine's own threads), after
/// items finish and once at the end.
using BulkProgressCallback = std::function<void(const BulkProgress&)>;

/// @brief Settings of a `BulkEngine`.
struct ROSEROCKET_API BulkOptions {
  /// Most requests in flight at once (and, over HTTP/1.1, most connections). At least 1.
  int max_in_flight = 16;
  /// Halve the concurrency on 429 and 503 and climb back by one per window of successes (AIMD).
  /// When false the engine stays at `max_in_flight` (a shared Retry-After pause still applies).
  bool adaptive = true;
  /// Over `CurlTransport`: offer HTTP/2 through TLS (ALPN) and multiplex every request over one
  /// connection when the server agrees. Plain http:// always uses HTTP/1.1.
  bool http2 = true;
};

/// @brief What happened to one item of a batch.
enum class ItemStatus {
  /// The call succeeded; `ItemResult::value` is set.
  kSucceeded,
  /// The call failed; `ItemResult::error` says why. `ItemResult::attempts` tells whether any
  /// request was sent.
  kFailed,
  /// The batch was cancelled before this item's first request was sent: nothing happened.
  kNotStarted,
};

/// @brief The outcome of one item of a batch: the value or the error, never both. A value type.
template <class T>
struct ItemResult {
  /// What happened.
  ItemStatus status = ItemStatus::kNotStarted;
  /// The result on success.
  std::optional<T> value;
  /// The error on failure (an `Error` subclass; rethrow it to inspect its type).
  std::exception_ptr error;
  /// The error's `what()` text on failure (tokens are never in it).
  std::string error_message;
  /// Requests sent for this item (0 when not started or refused before sending).
  int attempts = 0;

  /// @brief Whether the item succeeded.
  [[nodiscard]] bool ok() const noexcept { return status == ItemStatus::kSucceeded; }
};

/// @brief One item of a typed `upsert_many`: an `ItemResult` (the typed record in `value`) plus
/// what the call did to the record, as `UpsertResult` tells it. A value type.
template <class T>
struct UpsertItemResult : ItemResult<T> {
  /// True only when the record is known to have been created (`outcome == kCreated`).
  bool created = false;
  /// What the call did, as far as the answer tells; `kUnknown` when the item failed.
  UpsertOutcome outcome = UpsertOutcome::kUnknown;
};

/// @brief Per-batch settings.
struct ROSEROCKET_API BatchOptions {
  /// Applied to every item's call (headers, paths, timeouts, retry policy, board id). Its
  /// `cancellation` and `metadata` are ignored: use `cancellation` below.
  RequestOptions request;
  /// Receives progress; may be empty.
  BulkProgressCallback progress;
  /// Cancels the batch: items not yet started end as `kNotStarted`, items in flight are aborted
  /// (`kFailed` with `CancelledError`, which says whether the request may have been sent).
  CancellationToken cancellation;
};

/// @brief Counters of an engine since it was made. A value type.
struct ROSEROCKET_API BulkStats {
  /// Calls finished (succeeded or failed).
  std::size_t calls = 0;
  /// Requests sent (retries and token refreshes included).
  std::size_t requests = 0;
  /// New connections the engine opened (over `CurlTransport`; 0 with another transport).
  std::size_t connections = 0;
  /// Times a Retry-After (429/503) paused the whole engine.
  std::size_t pauses = 0;
  /// The concurrency the engine runs at now (AIMD), at most `BulkOptions::max_in_flight`.
  int concurrency = 0;
};

/// @brief Runs many API calls at once through one `Client`: the client's token provider, retry
/// policy, error mapping, logger and observer apply to each call exactly as in `Client::call`.
///
/// Over a `CurlTransport` one event-loop thread drives every transfer through libcurl's multi
/// interface (HTTP/2 multiplexed when offered, else at most `max_in_flight` keep-alive HTTP/1.1
/// connections); over any other transport (a test's `MockTransport`) a pool of
/// `max_in_flight` worker threads calls `HttpTransport::send`. A 429 or 503 with Retry-After
/// pauses the whole engine; then concurrency is halved and climbs back (AIMD).
///
/// Batch operations return one result per input, in input order; one item's failure throws
/// nothing. Invalid input of one item (an empty id, say) fails that item only.
///
/// Thread safety: every member function may be called from any number of threads at once; the
/// destructor waits for the calls still running (cancel them first to finish sooner).
class ROSEROCKET_API BulkEngine {
 public:
  /// @brief An engine over @p client, its threads started.
  /// @throw InvalidArgumentError when `options.max_in_flight` is less than 1.
  explicit BulkEngine(Client client, BulkOptions options = {});
  /// @brief Waits for every call still running, then stops the threads.
  ~BulkEngine();
  BulkEngine(const BulkEngine&) = delete;
  BulkEngine& operator=(const BulkEngine&) = delete;

  /// @brief Starts @p request; the future holds the response or the error `Client::call` would
  /// have thrown.
  [[nodiscard]] std::future<ApiResponse> submit(ApiRequest request);

  /// @brief Starts @p request; @p done is called once, on one of the engine's threads, with
  /// the response (or null) and the error (or null). @p done must not block for long.
  void submit(ApiRequest request,
              std::function<void(ApiResponse* response, std::exception_ptr error)> done);

  /// @brief Runs @p requests; one result per request, in order.
  [[nodiscard]] std::vector<ItemResult<ApiResponse>> run(std::vector<ApiRequest> requests,
                                                         const BatchOptions& batch = {});

  /// @brief `POST /objects` for each of @p records (never re-sent once it may have arrived).
  [[nodiscard]] std::vector<ItemResult<Json>> create_many(std::string_view object_key,
                                                          const std::vector<Json>& records,
                                                          const BatchOptions& batch = {});

  /// @brief `PATCH /objects/{objectKey}/{externalId}/external` for each record, by the
  /// `externalId` field inside it (a record without one fails alone).
  [[nodiscard]] std::vector<ItemResult<UpsertResult>> upsert_many(std::string_view object_key,
                                                                  const std::vector<Json>& records,
                                                                  const BatchOptions& batch = {});

  /// @brief The idempotent nested upsert (`ObjectsApi::upsert_nested`) for each record, by the
  /// `externalId` field inside it: first every nested record that carries an external id and
  /// no id is looked up (each distinct one once, all at once through this engine), then each
  /// record is written with the ids found. Repeating the batch updates instead of creating.
  ///
  /// A record refused before sending (no external id, a repeated nested external id, ...) or
  /// whose lookup failed with anything but 404 fails alone, with `attempts` 0. `batch.progress`
  /// reports the writes only.
  /// @param object_key the records' object, e.g. "order".
  /// @param records the records, each with its `externalId` and its nested records.
  /// @param batch per-batch settings (the lookups use its headers, timeouts, retry and
  /// cancellation).
  /// @return one result per record, in order.
  [[nodiscard]] std::vector<ItemResult<NestedUpsertResult>> upsert_nested_many(
      std::string_view object_key, const std::vector<Json>& records,
      const BatchOptions& batch = {});

  /// @brief Typed `upsert_nested_many`, by each record's external id.
  /// @param records records of a catalog type (`model::Order`, ...) with their external ids.
  /// @param batch per-batch settings.
  /// @return one result per record, in order.
  template <class T>
  [[nodiscard]] std::vector<ItemResult<TypedNestedUpsert<T>>> upsert_nested_many(
      const std::vector<T>& records, const BatchOptions& batch = {}) {
    auto raw = upsert_nested_many(T::kObjectKey, upsert_fields(records), batch);
    std::vector<ItemResult<TypedNestedUpsert<T>>> out(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      move_status(raw[i], out[i]);
      if (raw[i].value)
        out[i].value = TypedNestedUpsert<T>::from(std::move(*raw[i].value));
    }
    return out;
  }

  /// @brief `PUT /objects/{id}` for each (id, fields) pair.
  [[nodiscard]] std::vector<ItemResult<Json>> update_many(
      std::string_view object_key, const std::vector<std::pair<std::string, Json>>& updates,
      const BatchOptions& batch = {});

  /// @brief `DELETE /objects/{id}` for each id; the value is the deleted record if the server
  /// answered one.
  [[nodiscard]] std::vector<ItemResult<std::optional<Json>>> remove_many(
      const std::vector<std::string>& ids, const BatchOptions& batch = {});

  /// @brief `GET /objects/{id}` for each id.
  [[nodiscard]] std::vector<ItemResult<Json>> get_many(const std::vector<std::string>& ids,
                                                       const BatchOptions& batch = {});

  /// @brief `GET /objects/{objectKey}/{externalId}/external` for each external id.
  [[nodiscard]] std::vector<ItemResult<Json>> get_many_by_external_id(
      std::string_view object_key, const std::vector<std::string>& external_ids,
      const BatchOptions& batch = {});

  /// @brief Typed `create_many`: @p records of a catalog type (`model::Customer`, ...).
  template <class T>
  [[nodiscard]] std::vector<ItemResult<T>> create_many(const std::vector<T>& records,
                                                       const BatchOptions& batch = {}) {
    std::vector<Json> fields;
    fields.reserve(records.size());
    for (const T& r : records)
      fields.push_back(r.changes());
    return typed<T>(create_many(T::kObjectKey, fields, batch));
  }

  /// @brief Typed `upsert_many`, by each record's external id. Each result is an
  /// `ItemResult<T>` that also carries the upsert's `created` and `outcome`.
  template <class T>
  [[nodiscard]] std::vector<UpsertItemResult<T>> upsert_many(const std::vector<T>& records,
                                                             const BatchOptions& batch = {}) {
    auto raw = upsert_many(T::kObjectKey, upsert_fields(records), batch);
    std::vector<UpsertItemResult<T>> out(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      move_status(raw[i], out[i]);
      if (raw[i].value) {
        out[i].created = raw[i].value->created;
        out[i].outcome = raw[i].value->outcome;
        out[i].value = T::from_json(std::move(raw[i].value->record));
      }
    }
    return out;
  }

  /// @brief Typed `get_many`.
  template <class T>
  [[nodiscard]] std::vector<ItemResult<T>> get_many(const std::vector<std::string>& ids,
                                                    const BatchOptions& batch = {}) {
    BatchOptions b = batch;
    if (!b.request.object_key_hint)
      b.request.object_key_hint = std::string(T::kObjectKey);
    return typed<T>(get_many(ids, b));
  }

  /// @brief The engine's counters.
  [[nodiscard]] BulkStats stats() const;

 private:
  // What a typed upsert sends for each record: its changed fields and its external id.
  template <class T>
  static std::vector<Json> upsert_fields(const std::vector<T>& records) {
    std::vector<Json> fields;
    fields.reserve(records.size());
    for (const T& r : records) {
      fields.push_back(r.changes());
      if (const auto external_id = r.external_id())
        fields.back()["externalId"] = *external_id;
    }
    return fields;
  }
  template <class From, class To>
  static void move_status(ItemResult<From>& from, ItemResult<To>& to) {
    to.status = from.status;
    to.error = std::move(from.error);
    to.error_message = std::move(from.error_message);
    to.attempts = from.attempts;
  }
  template <class T>
  static std::vector<ItemResult<T>> typed(std::vector<ItemResult<Json>>&& raw) {
    std::vector<ItemResult<T>> out(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      move_status(raw[i], out[i]);
      if (raw[i].value)
        out[i].value = T::from_json(std::move(*raw[i].value));
    }
    return out;
  }

  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace roserocket
