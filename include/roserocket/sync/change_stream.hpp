#pragma once
/// @file
/// @brief `ChangeStream`: every record of one object key created or updated since a durable
/// checkpoint, oldest first, each (id, version) handed to the handler once; built on the keyset
/// search (docs/sync.md, docs/adr/0028-change-stream.md).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "roserocket/cancellation.hpp"
#include "roserocket/client.hpp"
#include "roserocket/export.hpp"
#include "roserocket/sync/checkpoint_store.hpp"

namespace roserocket::sync {

/// @brief What a `ChangeStream` follows and how.
struct ChangeStreamOptions {
  /// The object key to follow ("order", "customer", ...). Required; must be one the SDK's field
  /// catalog knows.
  std::string object_key;
  /// The stream's name: the key of its checkpoint and the unit of its lease ("erp-orders").
  /// Required.
  std::string stream;
  /// How far behind the newest record each scan looks again, for records the search index
  /// showed late and for clock skew between this machine and the server. Set it above the
  /// longest index lag plus skew you expect; a longer window costs more records read per poll
  /// (the changes of the window), never a missed record.
  std::chrono::milliseconds overlap{std::chrono::minutes(2)};
  /// Records per search request, 1 to 1000.
  int page_size = 100;
  /// How long `run` waits between polls (a hint wakes it at once).
  std::chrono::milliseconds poll_interval{std::chrono::seconds(2)};
  /// `paths` of the search and of reads by id (connected records to include); none by default.
  std::vector<std::string> paths;
  /// The board to search; looked up from the object key once when empty.
  std::string board_id;
};

/// @brief What one pass did.
struct ChangeStreamSummary {
  /// Records handed to the handler.
  std::size_t delivered = 0;
  /// Records the scan or a hint brought again at a version already handled (not handed over).
  std::size_t repeats_skipped = 0;
  /// API requests made: search pages and reads by id (a one-time board lookup not counted).
  std::size_t requests = 0;
  /// Hints (record ids) read by id in this pass.
  std::size_t hints = 0;
  /// Whether the pass stopped early because it was cancelled.
  bool cancelled = false;
};

/// @brief Follows every record of one object key created or updated since its checkpoint.
///
/// Each pass scans the search sorted by `updatedAt`, newest first, down to the point where
/// everything older was handled already (the settled mark, which trails the newest record by
/// `overlap`); no date-range filter is sent (live servers answer those with 500). The records
/// found are handed to the handler oldest first, skipping any (id, version) handled before, and
/// after each one the checkpoint (settled mark plus the (id, version) pairs handled inside the
/// overlap) is committed through the store. A crash therefore repeats at most the record whose
/// handler was running. A record updated several times between two passes is handed over at its
/// newest version only.
///
/// Deletions are not changes a search can show: `reconcile()` reports which ids of a list the
/// server no longer has.
///
/// Thread safety: one thread at a time runs `run_once`, `run` or `reconcile`; `hint` may be
/// called from any thread at any time.
class ROSEROCKET_API ChangeStream {
 public:
  /// @brief The handler of one record: the record as the search (or a read by id) returned it,
  /// and the transaction that will commit the checkpoint after the handler returns (a store
  /// with a database may let the handler write in it). When the handler throws, nothing is
  /// committed and the exception reaches the caller; the record comes again in the next pass.
  using Handler = std::function<void(const nlohmann::json& record, CheckpointTransaction& tx)>;

  /// @brief A stream over @p client, keeping its checkpoint and lease in @p store.
  /// @throw InvalidArgumentError for an empty or unknown object key, an empty stream name, a
  /// null store, a page size outside 1..1000 or a negative overlap or poll interval.
  ChangeStream(Client client, std::shared_ptr<CheckpointStore> store, ChangeStreamOptions options);
  /// @brief Gives the lease up if this stream took it.
  ~ChangeStream();
  ChangeStream(const ChangeStream&) = delete;
  ChangeStream& operator=(const ChangeStream&) = delete;

  /// @brief Catches up once: reads pending hints by id, then scans, handing each new (id,
  /// version) to @p handler; returns when everything found was handled or @p cancellation was
  /// cancelled (checked between records; a request in flight ends with it).
  /// @throw Error when the lease is held by another consumer (nothing was read), when the
  /// stored checkpoint is not one this stream wrote (nothing was read or changed), and
  /// whatever the API, the store or the handler throws (the checkpoint stays after the last
  /// record handled).
  ChangeStreamSummary run_once(const Handler& handler, const CancellationToken& cancellation = {});

  /// @brief Follows the stream until @p cancellation is cancelled: `run_once`, then a wait of
  /// `poll_interval` that a `hint` ends early. Returns normally once cancelled.
  /// @throw whatever `run_once` throws, except the cancellation itself.
  void run(const Handler& handler, const CancellationToken& cancellation);

  /// @brief Asks the stream to read record @p id by id at once (a webhook delivery is a good
  /// reason), ahead of the next scan; deduped with the scans by (id, version). Hints live in
  /// memory only: one lost in a crash is found by the next scan anyway.
  void hint(std::string id);

  /// @brief The ids among @p held that the server no longer has (deleted records): a search by
  /// id per page of ids, then a read by id of each one the search did not return (the search may
  /// lag, a read by id does not). Costs about `held / page_size` searches plus one read per
  /// candidate. Does not touch the checkpoint or need the lease.
  /// @throw whatever the API throws.
  std::vector<std::string> reconcile(const std::vector<std::string>& held,
                                     const CancellationToken& cancellation = {});

  /// @brief The options the stream runs with (the board id filled in once looked up).
  [[nodiscard]] const ChangeStreamOptions& options() const noexcept { return options_; }

 private:
  struct State;
  Client client_;
  std::shared_ptr<CheckpointStore> store_;
  ChangeStreamOptions options_;
  bool leased_ = false;
  std::mutex hints_mutex_;
  std::condition_variable hints_cv_;
  std::vector<std::string> hints_;
};

}  // namespace roserocket::sync
