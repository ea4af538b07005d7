#pragma once

/// @file
/// @brief Where a `WebhookReceiver` remembers the event ids it has handled, so that a
/// redelivery is answered without running the handlers again.

#include <chrono>

#include <cstddef>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "roserocket/export.hpp"

namespace roserocket {

/// @brief The dedupe store behind a `WebhookReceiver`: event ids already handled.
///
/// Implementations must be safe to call from several threads at once (the receiver calls them
/// from whichever thread serves a delivery).
class ROSEROCKET_API SeenEventStore {
 public:
  virtual ~SeenEventStore() = default;
  /// @brief Whether @p event_id was marked and has not expired.
  /// @param event_id a delivery's `id`.
  /// @return true for an event already handled.
  virtual bool seen(const std::string& event_id) = 0;
  /// @brief Remembers @p event_id as handled. Called only after every handler returned.
  /// @param event_id a delivery's `id`.
  /// @throw Error (or another exception) when the id cannot be stored; the receiver then
  /// answers 500 so that the platform delivers again.
  virtual void mark_seen(const std::string& event_id) = 0;
};

/// @brief Wall-clock source of the stores' expiry; tests substitute a fake one.
using SeenClock = std::function<std::chrono::system_clock::time_point()>;

/// @brief The default store: ids kept in memory for @p ttl (the platform redelivers for minutes,
/// not days), at most @p max_entries of them (the oldest go first). Lost when the process ends.
///
/// Thread safety: every member may be called from any number of threads at once.
class ROSEROCKET_API InMemorySeenEventStore : public SeenEventStore {
 public:
  /// @brief A store keeping ids for @p ttl.
  /// @param ttl how long an id is remembered.
  /// @param max_entries at most this many ids are kept (the oldest are forgotten first).
  /// @param clock the time source; the system clock when empty.
  /// @throw InvalidArgumentError for a non-positive @p ttl or a zero @p max_entries.
  explicit InMemorySeenEventStore(std::chrono::seconds ttl = std::chrono::hours(24),
                                  std::size_t max_entries = 100000, SeenClock clock = {});
  bool seen(const std::string& event_id) override;
  void mark_seen(const std::string& event_id) override;
  /// @brief How many ids are remembered now (expired ones not counted).
  [[nodiscard]] std::size_t size();

 private:
  void prune(std::chrono::system_clock::time_point now);

  std::chrono::seconds ttl_;
  std::size_t max_entries_;
  SeenClock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::chrono::system_clock::time_point> expiry_;
  std::multimap<std::chrono::system_clock::time_point, std::string> by_expiry_;
};

/// @brief A store that survives restarts: every id is appended, with its expiry, to a file
/// (flushed and synced before `mark_seen` returns) and read back when the store is opened.
/// The file is rewritten without expired ids (atomically: temp file, fsync, rename) when it
/// holds twice as many lines as live ids. A torn last line (a crash while appending) is ignored.
///
/// One store object at a time may open a given file (on Windows a second one cannot rewrite
/// it while the first has it open, and throws `Error` naming the file). Thread safety: every member may be called from
/// any number of threads at once.
class ROSEROCKET_API FileSeenEventStore : public SeenEventStore {
 public:
  /// @brief Opens (or creates) the store at @p path.
  /// @param path the file.
  /// @param ttl how long an id is remembered.
  /// @param clock the time source; the system clock when empty.
  /// @throw InvalidArgumentError for an empty path or a non-positive ttl; Error when the file
  /// cannot be read or created.
  explicit FileSeenEventStore(std::string path, std::chrono::seconds ttl = std::chrono::hours(24),
                              SeenClock clock = {});
  ~FileSeenEventStore() override;
  FileSeenEventStore(const FileSeenEventStore&) = delete;
  FileSeenEventStore& operator=(const FileSeenEventStore&) = delete;

  bool seen(const std::string& event_id) override;
  /// @throw Error when the id cannot be written and synced.
  void mark_seen(const std::string& event_id) override;
  /// @brief How many ids are remembered now (expired ones not counted).
  [[nodiscard]] std::size_t size();

 private:
  void compact(std::chrono::system_clock::time_point now);
  void open_for_append();

  std::string path_;
  std::chrono::seconds ttl_;
  SeenClock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::chrono::system_clock::time_point> expiry_;
  std::size_t lines_ = 0;
  std::FILE* file_ = nullptr;
};

}  // namespace roserocket
