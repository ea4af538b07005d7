// The change stream: a descending keyset scan down to the settled mark, delivery oldest first,
// a checkpoint per record. Why it is built this way: docs/adr/0028-change-stream.md.

#include "roserocket/sync/change_stream.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "objects/request_util.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/values.hpp"
#include "roserocket/objects/objects_api.hpp"

namespace roserocket::sync {
namespace {

constexpr const char* kStreamOp = "change_stream";
constexpr int kStreamCheckpointFormat = 1;

// What the checkpoint remembers of one handled record inside the overlap.
struct StreamSeen {
  std::int64_t version = 0;
  std::int64_t updated_ms = 0;
};

// A record found by the scan or a hint, with the keys the stream orders and dedupes by.
struct StreamItem {
  std::string id;
  std::int64_t version = 0;
  std::int64_t updated_ms = 0;
  Json record;
};

std::int64_t stream_ms_of(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

[[noreturn]] void stream_malformed(const std::string& why) {
  ErrorContext context;
  context.operation = kStreamOp;
  throw MalformedResponseError(why, std::move(context));
}

// The id, version and updatedAt of a record; a record without a version is versioned by its
// updatedAt (both change on every write).
StreamItem stream_item_of(Json record) {
  StreamItem item;
  if (!record.is_object())
    stream_malformed("a record of the stream is not a JSON object");
  item.id = detail::string_at(record, "id");
  if (item.id.empty())
    stream_malformed("a record of the stream has no id");
  const std::string updated = detail::string_at(record, "updatedAt");
  const auto when = model::parse_timestamp(updated);
  if (!when) {
    stream_malformed("record " + item.id + " has no readable updatedAt ('" + updated +
                     "'): the stream orders by it");
  }
  item.updated_ms = stream_ms_of(*when);
  const auto version = record.find("version");
  if (version != record.end() && version->is_number_integer())
    item.version = version->get<std::int64_t>();
  else
    item.version = item.updated_ms;
  item.record = std::move(record);
  return item;
}

// Counts the requests a search_all walk makes.
class CountingPaging : public SearchPaging {
 public:
  CountingPaging(std::unique_ptr<SearchPaging> inner, std::size_t* count)
      : inner_(std::move(inner)), count_(count) {}
  std::optional<SearchRequest> next_request() override {
    auto next = inner_->next_request();
    if (next)
      ++*count_;
    return next;
  }
  std::vector<Json> accept(SearchResult page) override { return inner_->accept(std::move(page)); }

 private:
  std::unique_ptr<SearchPaging> inner_;
  std::size_t* count_;
};

}  // namespace

// The checkpoint: everything updated at or before `settled` was handled; `seen` holds the
// (id, version) pairs handled after it (the overlap), with their updatedAt for pruning.
struct ChangeStream::State {
  std::optional<std::int64_t> settled;
  std::map<std::string, StreamSeen> seen;

  std::string encode(const std::string& object_key) const {
    Json seen_list = Json::array();
    for (const auto& [id, s] : seen)
      seen_list.push_back(Json::array({id, s.version, s.updated_ms}));
    Json doc = {{"format", kStreamCheckpointFormat},
                {"objectKey", object_key},
                {"settled", settled ? Json(*settled) : Json()},
                {"seen", std::move(seen_list)}};
    return doc.dump();
  }

  static State decode(const std::string& text, const ChangeStreamOptions& options) {
    auto bad = [&](const std::string& why) {
      ErrorContext context;
      context.operation = "change_stream.checkpoint";
      throw Error("the stored checkpoint of stream '" + options.stream + "' " + why +
                      "; nothing was read or changed. Restore the store from a backup, or "
                      "choose another stream name to start again from the beginning",
                  std::move(context));
    };
    const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object())
      bad("is not a change stream checkpoint (not a JSON object)");
    const auto format = doc.find("format");
    if (format == doc.end() || !format->is_number_integer() ||
        format->get<int>() != kStreamCheckpointFormat) {
      bad("has no format " + std::to_string(kStreamCheckpointFormat) +
          " marker (written by another program or a newer SDK)");
    }
    const std::string key = detail::string_at(doc, "objectKey");
    if (key != options.object_key) {
      bad("follows object key '" + key + "', not '" + options.object_key +
          "' (a stream name follows one object key)");
    }
    State state;
    const auto settled = doc.find("settled");
    if (settled == doc.end())
      bad("has no settled mark");
    if (settled->is_number_integer())
      state.settled = settled->get<std::int64_t>();
    else if (!settled->is_null())
      bad("has a settled mark that is not a number");
    const auto seen = doc.find("seen");
    if (seen == doc.end() || !seen->is_array())
      bad("has no list of records seen");
    for (const auto& entry : *seen) {
      if (!entry.is_array() || entry.size() != 3 || !entry[0].is_string() ||
          !entry[1].is_number_integer() || !entry[2].is_number_integer()) {
        bad("has an entry of its seen list that is not [id, version, updatedAt]");
      }
      state.seen[entry[0].get<std::string>()] =
          StreamSeen{entry[1].get<std::int64_t>(), entry[2].get<std::int64_t>()};
    }
    return state;
  }

  // Whether this (id, version) was handled already.
  bool handled(const StreamItem& item) const {
    if (settled && item.updated_ms <= *settled)
      return true;
    const auto it = seen.find(item.id);
    return it != seen.end() && it->second.version >= item.version;
  }

  void advance_settled(std::int64_t mark) {
    if (settled && mark <= *settled)
      return;
    settled = mark;
    for (auto it = seen.begin(); it != seen.end();)
      it = it->second.updated_ms <= mark ? seen.erase(it) : std::next(it);
  }
};

ChangeStream::ChangeStream(Client client, std::shared_ptr<CheckpointStore> store,
                           ChangeStreamOptions options)
    : client_(std::move(client)), store_(std::move(store)), options_(std::move(options)) {
  detail::require_non_empty(options_.object_key, "ChangeStreamOptions::object_key", kStreamOp);
  detail::require_non_empty(options_.stream, "ChangeStreamOptions::stream", kStreamOp);
  if (model::find_object(options_.object_key) == nullptr) {
    std::string known;
    for (const auto& spec : model::objects())
      known += (known.empty() ? "" : ", ") + spec.key;
    detail::invalid(kStreamOp, "unknown object key '" + options_.object_key +
                                   "' (the field catalog knows: " + known + ")");
  }
  if (!store_)
    detail::invalid(kStreamOp, "the checkpoint store must not be null");
  if (options_.page_size < 1 || options_.page_size > 1000) {
    detail::invalid(kStreamOp, "ChangeStreamOptions::page_size must be 1 to 1000, not " +
                                   std::to_string(options_.page_size));
  }
  if (options_.overlap.count() < 0 || options_.poll_interval.count() < 0)
    detail::invalid(kStreamOp,
                    "ChangeStreamOptions::overlap and poll_interval must not be negative");
}

ChangeStream::~ChangeStream() {
  if (!leased_)
    return;
  try {
    store_->release(options_.stream);
  } catch (...) {
    // A lease that cannot be given back frees itself when this consumer goes (store's rule).
  }
}

void ChangeStream::hint(std::string id) {
  if (id.empty())
    return;
  {
    std::lock_guard<std::mutex> lock(hints_mutex_);
    hints_.push_back(std::move(id));
  }
  hints_cv_.notify_all();
}

ChangeStreamSummary ChangeStream::run_once(const Handler& handler,
                                           const CancellationToken& cancellation) {
  if (!handler)
    detail::invalid(kStreamOp, "the handler must not be empty");
  if (!store_->try_acquire(options_.stream)) {
    ErrorContext context;
    context.operation = kStreamOp;
    throw Error("stream '" + options_.stream +
                    "' is being consumed by another worker (its lease is held); nothing was "
                    "read. Stop the other worker, or wait until its lease is free",
                std::move(context));
  }
  leased_ = true;
  const std::optional<std::string> stored = store_->load(options_.stream);
  State state = stored ? State::decode(*stored, options_) : State{};
  std::string committed = stored.value_or(std::string());

  ChangeStreamSummary summary;
  RequestOptions read;
  read.paths = options_.paths;
  read.cancellation = cancellation;
  const ObjectsApi api(client_);

  auto deliver = [&](const StreamItem& item) {
    auto tx = store_->begin(options_.stream);
    handler(item.record, *tx);
    state.seen[item.id] = StreamSeen{item.version, item.updated_ms};
    committed = state.encode(options_.object_key);
    tx->save(committed);
    tx->commit();
    ++summary.delivered;
  };

  // Hints first: a read by id is authoritative and the reason for a hint is latency.
  std::vector<std::string> hinted;
  {
    std::lock_guard<std::mutex> lock(hints_mutex_);
    hinted.swap(hints_);
  }
  for (std::size_t i = 0; i < hinted.size(); ++i) {
    if (cancellation.is_cancelled()) {
      // Not read: put back for the next pass.
      std::lock_guard<std::mutex> lock(hints_mutex_);
      hints_.insert(hints_.begin(), hinted.begin() + static_cast<std::ptrdiff_t>(i), hinted.end());
      summary.cancelled = true;
      return summary;
    }
    Json record;
    ++summary.requests;
    ++summary.hints;
    try {
      record = api.get(hinted[i], read);
    } catch (const NotFoundError&) {
      continue;  // deleted since: reconcile() reports deletions
    }
    if (detail::string_at(record, "objectKey") != options_.object_key &&
        record.contains("objectKey")) {
      continue;  // a record of another object key: not this stream's
    }
    const StreamItem item = stream_item_of(std::move(record));
    if (state.handled(item)) {
      ++summary.repeats_skipped;
      continue;
    }
    deliver(item);
  }

  if (options_.board_id.empty())
    options_.board_id = api.board_for(options_.object_key, read);
  const std::int64_t pass_start = stream_ms_of(client_.options().clock.system_now());
  const std::int64_t visible_mark = pass_start - options_.overlap.count();

  SearchRequest request;
  request.board_id = options_.board_id;
  request.object_key = options_.object_key;
  request.order_by_path = "updatedAt";
  request.order_by_direction = SortDirection::kDesc;
  request.paths = options_.paths;
  SearchAllOptions all;
  all.page_size = options_.page_size;
  std::size_t* count = &summary.requests;
  all.paging = [count](const SearchRequest& r, int page_size) -> std::unique_ptr<SearchPaging> {
    return std::make_unique<CountingPaging>(make_keyset_paging(r, page_size), count);
  };
  std::vector<StreamItem> found;
  for (auto& record : api.search_all(request, read, all)) {
    StreamItem item = stream_item_of(record);
    if (state.settled && item.updated_ms <= *state.settled)
      break;  // newest first: everything from here on was handled before
    found.push_back(std::move(item));
  }
  std::stable_sort(found.begin(), found.end(), [](const StreamItem& a, const StreamItem& b) {
    return a.updated_ms != b.updated_ms ? a.updated_ms < b.updated_ms : a.id < b.id;
  });

  for (const auto& item : found) {
    if (cancellation.is_cancelled()) {
      summary.cancelled = true;
      return summary;
    }
    if (state.handled(item)) {
      ++summary.repeats_skipped;
    } else {
      // Everything older than this record that the scan could see was handled before it, and
      // what it could not see yet is younger than the visible mark.
      state.advance_settled(std::min(item.updated_ms - 1, visible_mark));
      deliver(item);
    }
  }
  // Everything up to the visible mark was in this scan and is handled now.
  if (!found.empty() || !state.seen.empty()) {
    state.advance_settled(visible_mark);
    std::string text = state.encode(options_.object_key);
    if (text != committed) {
      auto tx = store_->begin(options_.stream);
      tx->save(text);
      tx->commit();
    }
  }
  return summary;
}

void ChangeStream::run(const Handler& handler, const CancellationToken& cancellation) {
  while (!cancellation.is_cancelled()) {
    try {
      run_once(handler, cancellation);
    } catch (const CancelledError&) {
      if (cancellation.is_cancelled())
        return;
      throw;
    } catch (const DeadlineExceededError&) {
      if (cancellation.is_cancelled())
        return;
      throw;
    }
    // Waits for the poll interval, a hint or the cancellation, whichever comes first.
    const auto until = std::chrono::steady_clock::now() + options_.poll_interval;
    std::unique_lock<std::mutex> lock(hints_mutex_);
    while (hints_.empty() && !cancellation.is_cancelled()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= until)
        break;
      hints_cv_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                                   until - now, std::chrono::milliseconds(50)));
    }
  }
}

std::vector<std::string> ChangeStream::reconcile(const std::vector<std::string>& held,
                                                 const CancellationToken& cancellation) {
  const ObjectsApi api(client_);
  RequestOptions read;
  read.cancellation = cancellation;
  if (options_.board_id.empty() && !held.empty())
    options_.board_id = api.board_for(options_.object_key, read);
  std::vector<std::string> gone;
  const auto step = static_cast<std::size_t>(options_.page_size);
  for (std::size_t start = 0; start < held.size(); start += step) {
    const auto end = std::min(held.size(), start + step);
    std::vector<std::string> batch(held.begin() + static_cast<std::ptrdiff_t>(start),
                                   held.begin() + static_cast<std::ptrdiff_t>(end));
    SearchRequest request;
    request.board_id = options_.board_id;
    request.object_key = options_.object_key;
    request.filters.push_back(SearchFilter::in("id", Json(batch)));
    request.limit = static_cast<int>(batch.size());
    std::vector<std::string> present;
    for (const auto& record : api.search(request, read).results)
      present.push_back(detail::string_at(record, "id"));
    std::sort(present.begin(), present.end());
    for (const auto& id : batch) {
      if (std::binary_search(present.begin(), present.end(), id))
        continue;
      // Not in the search: maybe only not indexed yet. A read by id decides.
      try {
        (void)api.get(id, read);
      } catch (const NotFoundError&) {
        gone.push_back(id);
      }
    }
  }
  return gone;
}

}  // namespace roserocket::sync
