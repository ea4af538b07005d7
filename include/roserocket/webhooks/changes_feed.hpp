#pragma once

/// @file
/// @brief `ChangesFeed`: the pull alternative to webhooks. Follows the events API from a stored
/// bookmark and hands each event to a handler at least once.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "roserocket/cancellation.hpp"
#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/objects/events.hpp"

namespace roserocket {

/// @brief Where a `ChangesFeed` keeps its position: per feed name, the id of the last event
/// the handler acknowledged.
///
/// Implementations must be safe to call from several threads at once.
class ROSEROCKET_API CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  /// @brief The last acknowledged event id of feed @p feed, if any.
  /// @param feed the feed's name.
  /// @return the event id, or nothing for a feed that has not acknowledged an event yet.
  virtual std::optional<std::string> load(const std::string& feed) = 0;
  /// @brief Records @p event_id as the last acknowledged event of @p feed; durable on return.
  /// @param feed the feed's name.
  /// @param event_id the event id.
  /// @throw Error (or another exception) when it cannot be stored.
  virtual void save(const std::string& feed, const std::string& event_id) = 0;
};

/// @brief Checkpoints in memory (lost with the process): for tests and one-shot jobs.
/// Thread safety: every member may be called from any number of threads at once.
class ROSEROCKET_API InMemoryCheckpointStore : public CheckpointStore {
 public:
  std::optional<std::string> load(const std::string& feed) override;
  void save(const std::string& feed, const std::string& event_id) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> checkpoints_;
};

/// @brief Checkpoints in a JSON file `{feed: eventId}`, rewritten atomically on every save
/// (temp file, fsync, rename, fsync of the directory): after a crash the file holds the old or
/// the new checkpoint, never a torn one.
///
/// One process at a time may use a given file. Thread safety: every member may be called from
/// any number of threads at once.
class ROSEROCKET_API FileCheckpointStore : public CheckpointStore {
 public:
  /// @brief A store at @p path (created on the first save).
  /// @throw InvalidArgumentError for an empty path.
  explicit FileCheckpointStore(std::string path);
  /// @throw Error when the file exists but cannot be read or is not a JSON object of strings.
  std::optional<std::string> load(const std::string& feed) override;
  /// @throw Error when the file cannot be written.
  void save(const std::string& feed, const std::string& event_id) override;

 private:
  std::map<std::string, std::string> read_all() const;

  std::string path_;
  std::mutex mutex_;
};

/// @brief A request to stop, shared between a running feed and whoever stops it.
///
/// Superseded by `CancellationToken` (`run(handler, token)`), which every other call of the SDK
/// takes; kept so that existing code compiles (ADR 0022).
/// Thread safety: every member may be called from any number of threads at once.
class ROSEROCKET_API StopSignal {
 public:
  /// @brief Asks every loop waiting on this signal to stop; wakes them at once.
  void request_stop();
  /// @brief Whether a stop was requested.
  [[nodiscard]] bool stop_requested() const noexcept;
  /// @brief Waits up to @p timeout or until a stop is requested.
  /// @return true when a stop was requested.
  bool wait_for(std::chrono::milliseconds timeout);

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
};

/// @brief How a `ChangesFeed` reads.
struct ChangesFeedOptions {
  /// The feed's name, the key of its checkpoint. Required.
  std::string name;
  /// Events per request, 1 to 200.
  int page_size = 100;
  /// How long `run` waits between polls that found nothing new.
  std::chrono::milliseconds poll_interval{1000};
};

/// @brief Follows the events of one record (`GET /events`, oldest first) from the stored
/// bookmark: each event goes to the handler, and the checkpoint advances to that event only
/// after the handler returned. Delivery is at least once: after a crash, the event being
/// handled when it happened is handed over again, nothing before it, and nothing is skipped.
///
/// A feed object is used by one thread at a time (`run` or `run_once`); `StopSignal` stops it
/// from any thread.
class ROSEROCKET_API ChangesFeed {
 public:
  /// @brief A handler of one event; when it throws, the checkpoint stays before that event and
  /// the exception reaches the caller of `run_once`/`run`.
  using Handler = std::function<void(const Event&)>;

  /// @brief A feed of the events @p query selects (its record id and object key; filters are
  /// kept, bookmark, offset, limit and order are the feed's own).
  /// @param client the client to read with.
  /// @param query the record whose events to follow.
  /// @param checkpoints where the position is kept.
  /// @param options the feed's name, page size and poll interval.
  /// @throw InvalidArgumentError for an empty record id, object key or name, a null store or a
  /// page size outside 1..200.
  ChangesFeed(Client client, EventQuery query, std::shared_ptr<CheckpointStore> checkpoints,
              ChangesFeedOptions options);

  /// @brief Reads every event after the checkpoint, page by page, handing each to @p handler
  /// and saving the checkpoint after each.
  /// @param handler the event handler.
  /// @param stop checked between events; the pass ends early when a stop was requested.
  /// @return how many events were handled.
  /// @throw whatever @p handler, the checkpoint store or the API throws (the checkpoint stays at
  /// the last event handled).
  std::size_t run_once(const Handler& handler, const StopSignal* stop = nullptr);

  /// @brief As `run_once(handler)`, stopping between events once @p cancellation is cancelled;
  /// the page requests carry the token, so one in flight ends too (`CancelledError`, or
  /// `DeadlineExceededError` when its `cancel_after` deadline ran out).
  /// @return how many events were handled.
  std::size_t run_once(const Handler& handler, const CancellationToken& cancellation);

  /// @brief Polls until @p cancellation is cancelled (`CancellationSource::cancel()` from any
  /// thread, or its `cancel_after` deadline): `run_once`, then a wait of `poll_interval` when
  /// nothing was new. Returns normally once cancelled, also when that ended a page request in
  /// flight (no handler ran for it, so the checkpoint is where it was).
  /// @throw whatever `run_once` throws, except the cancellation itself.
  void run(const Handler& handler, const CancellationToken& cancellation);

  /// @brief Polls until @p stop is requested: `run_once`, then a wait of `poll_interval` when
  /// nothing was new.
  /// @throw whatever `run_once` throws.
  [[deprecated(
      "use run(handler, CancellationToken): StopSignal is superseded by "
      "CancellationSource")]] void
  run(const Handler& handler, StopSignal& stop);

  /// @brief The id of the last acknowledged event (from the store).
  [[nodiscard]] std::optional<std::string> checkpoint() const;

 private:
  Client client_;
  EventQuery query_;
  std::shared_ptr<CheckpointStore> checkpoints_;
  ChangesFeedOptions options_;
};

}  // namespace roserocket
