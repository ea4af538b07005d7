#include "roserocket/webhooks/changes_feed.hpp"

#include <functional>
#include <limits>

#include "objects/request_util.hpp"
#include "platform/platform.hpp"

namespace roserocket {
namespace {

constexpr const char* kFeedOp = "changes_feed";

[[noreturn]] void feed_io_failure(const std::string& what, const std::string& path,
                                  const std::string& reason) {
  ErrorContext context;
  context.operation = "changes_feed.checkpoint";
  throw Error(what + " " + path + ": " + reason, std::move(context));
}

[[noreturn]] void corrupt(const std::string& path) {
  ErrorContext context;
  context.operation = "changes_feed.checkpoint";
  throw Error("the checkpoint file " + path + " is not a JSON object of strings",
              std::move(context));
}

}  // namespace

// --- InMemoryCheckpointStore ---

std::optional<std::string> InMemoryCheckpointStore::load(const std::string& feed) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = checkpoints_.find(feed);
  if (it == checkpoints_.end())
    return std::nullopt;
  return it->second;
}

void InMemoryCheckpointStore::save(const std::string& feed, const std::string& event_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  checkpoints_[feed] = event_id;
}

// --- FileCheckpointStore ---

FileCheckpointStore::FileCheckpointStore(std::string path) : path_(std::move(path)) {
  if (path_.empty())
    detail::invalid("changes_feed.checkpoint", "the path must not be empty");
}

std::map<std::string, std::string> FileCheckpointStore::read_all() const {
  std::map<std::string, std::string> out;
  std::string text;
  std::string error;
  switch (
      detail::platform::read_file(path_, std::numeric_limits<std::size_t>::max(), text, error)) {
    case detail::platform::ReadStatus::kOk:
      break;
    case detail::platform::ReadStatus::kMissing:
      return out;  // no checkpoint saved yet
    case detail::platform::ReadStatus::kTooLarge:
    case detail::platform::ReadStatus::kFailed:
      feed_io_failure("cannot read", path_, error);
  }
  const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object())
    corrupt(path_);
  for (const auto& item : doc.items()) {
    if (!item.value().is_string())
      corrupt(path_);
    out[item.key()] = item.value().get<std::string>();
  }
  return out;
}

std::optional<std::string> FileCheckpointStore::load(const std::string& feed) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto all = read_all();
  auto it = all.find(feed);
  if (it == all.end())
    return std::nullopt;
  return it->second;
}

void FileCheckpointStore::save(const std::string& feed, const std::string& event_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto all = read_all();
  all[feed] = event_id;
  const std::string data = Json(all).dump() + "\n";
  // A new file beside the old one, flushed, then renamed over it (and the rename flushed).
  std::string error;
  if (!detail::platform::write_file_atomically(path_, data, error))
    feed_io_failure("cannot write", path_, error);
}

// --- StopSignal ---

void StopSignal::request_stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
}

bool StopSignal::stop_requested() const noexcept {
  return stop_.load();
}

bool StopSignal::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [this] { return stop_.load(); });
}

// --- ChangesFeed ---

ChangesFeed::ChangesFeed(Client client, EventQuery query,
                         std::shared_ptr<CheckpointStore> checkpoints, ChangesFeedOptions options)
    : client_(std::move(client)),
      query_(std::move(query)),
      checkpoints_(std::move(checkpoints)),
      options_(std::move(options)) {
  detail::require_non_empty(query_.record_id, "record id", kFeedOp);
  detail::require_non_empty(query_.object_key, "object key", kFeedOp);
  detail::require_non_empty(options_.name, "feed name", kFeedOp);
  if (!checkpoints_)
    detail::invalid(kFeedOp, "a checkpoint store is required");
  if (options_.page_size < 1 || options_.page_size > 200)
    detail::invalid(kFeedOp, "the page size must be 1 to 200");
  if (options_.poll_interval.count() < 0)
    detail::invalid(kFeedOp, "the poll interval must not be negative");
  // The feed's own reading order: oldest first, pages counted from the checkpoint.
  query_.order_by = "createdAt";
  query_.order_by_direction = SortDirection::kAsc;
  query_.limit = options_.page_size;
  query_.bookmark.reset();
  query_.offset.reset();
}

std::optional<std::string> ChangesFeed::checkpoint() const {
  return checkpoints_->load(options_.name);
}

namespace {

// One pass of a feed, whichever way it is stopped: the events after the checkpoint, oldest first,
// each saved as the checkpoint once the handler returns; ends at a short page or when `stopped`.
std::size_t read_after_checkpoint(const Client& client, const EventQuery& query,
                                  CheckpointStore& checkpoints, const ChangesFeedOptions& options,
                                  const ChangesFeed::Handler& handler,
                                  const std::function<bool()>& stopped,
                                  const RequestOptions& request) {
  if (!handler)
    detail::invalid(kFeedOp, "the handler must not be empty");
  std::optional<std::string> last = checkpoints.load(options.name);
  std::size_t handled = 0;
  Events events(client);
  while (!stopped()) {
    EventQuery page_query = query;
    if (last) {
      // The checkpoint is the last event handled: start right after it.
      page_query.bookmark = *last;
      page_query.offset = 1;
    }
    EventPage page = events.list(page_query, request);
    for (const auto& event : page.results) {
      if (stopped())
        return handled;
      handler(event);
      checkpoints.save(options.name, event.id);
      last = event.id;
      ++handled;
    }
    if (static_cast<int>(page.results.size()) < options.page_size)
      break;
  }
  return handled;
}

}  // namespace

std::size_t ChangesFeed::run_once(const Handler& handler, const StopSignal* stop) {
  return read_after_checkpoint(
      client_, query_, *checkpoints_, options_, handler,
      [stop] { return stop != nullptr && stop->stop_requested(); }, RequestOptions{});
}

std::size_t ChangesFeed::run_once(const Handler& handler, const CancellationToken& cancellation) {
  RequestOptions request;
  request.cancellation = cancellation;
  return read_after_checkpoint(
      client_, query_, *checkpoints_, options_, handler,
      [&cancellation] { return cancellation.is_cancelled(); }, request);
}

void ChangesFeed::run(const Handler& handler, const CancellationToken& cancellation) {
  while (!cancellation.is_cancelled()) {
    std::size_t handled = 0;
    try {
      handled = run_once(handler, cancellation);
    } catch (const CancelledError&) {
      if (cancellation.is_cancelled())
        return;  // the cancellation ended a page request: what run waits for
      throw;
    } catch (const DeadlineExceededError&) {
      if (cancellation.deadline_exceeded())
        return;
      throw;
    }
    if (handled == 0)
      cancellation.wait_for(options_.poll_interval);
  }
}

void ChangesFeed::run(const Handler& handler, StopSignal& stop) {
  while (!stop.stop_requested()) {
    if (run_once(handler, &stop) == 0)
      stop.wait_for(options_.poll_interval);
  }
}

}  // namespace roserocket
