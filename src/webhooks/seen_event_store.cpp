#include "roserocket/webhooks/seen_event_store.hpp"

#include <limits>
#include <sstream>
#include <vector>

#include "platform/platform.hpp"
#include "roserocket/errors.hpp"

namespace roserocket {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

SeenClock or_system(SeenClock clock) {
  if (clock)
    return clock;
  return [] { return std::chrono::system_clock::now(); };
}

[[noreturn]] void store_invalid(const std::string& why) {
  ErrorContext context;
  context.operation = "webhooks.seen_store";
  throw InvalidArgumentError(why, std::move(context));
}

[[noreturn]] void store_io_failure(const std::string& what, const std::string& path,
                                   const std::string& reason) {
  ErrorContext context;
  context.operation = "webhooks.seen_store";
  throw Error(what + " " + path + ": " + reason, std::move(context));
}

long long to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(long long ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace

// --- InMemorySeenEventStore ---

InMemorySeenEventStore::InMemorySeenEventStore(std::chrono::seconds ttl, std::size_t max_entries,
                                               SeenClock clock)
    : ttl_(ttl), max_entries_(max_entries), clock_(or_system(std::move(clock))) {
  if (ttl_.count() <= 0)
    store_invalid("the ttl must be positive");
  if (max_entries_ == 0)
    store_invalid("max_entries must be at least 1");
}

void InMemorySeenEventStore::prune(TimePoint now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    auto it = expiry_.find(by_expiry_.begin()->second);
    if (it != expiry_.end() && it->second == by_expiry_.begin()->first)
      expiry_.erase(it);
    by_expiry_.erase(by_expiry_.begin());
  }
}

bool InMemorySeenEventStore::seen(const std::string& event_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  prune(clock_());
  return expiry_.count(event_id) != 0;
}

void InMemorySeenEventStore::mark_seen(const std::string& event_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimePoint now = clock_();
  prune(now);
  const TimePoint until = now + ttl_;
  expiry_[event_id] = until;
  by_expiry_.emplace(until, event_id);
  // Over capacity: forget the ids that expire first (the oldest).
  while (expiry_.size() > max_entries_ && !by_expiry_.empty()) {
    auto oldest = by_expiry_.begin();
    auto it = expiry_.find(oldest->second);
    if (it != expiry_.end() && it->second == oldest->first)
      expiry_.erase(it);
    by_expiry_.erase(oldest);
  }
}

std::size_t InMemorySeenEventStore::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  prune(clock_());
  return expiry_.size();
}

// --- FileSeenEventStore ---
//
// Format: one line per mark, "<expiry in ms since the epoch> <event id>\n". Later lines win.

FileSeenEventStore::FileSeenEventStore(std::string path, std::chrono::seconds ttl, SeenClock clock)
    : path_(std::move(path)), ttl_(ttl), clock_(or_system(std::move(clock))) {
  if (path_.empty())
    store_invalid("the path must not be empty");
  if (ttl_.count() <= 0)
    store_invalid("the ttl must be positive");
  const TimePoint now = clock_();
  std::string text;
  std::string error;
  if (detail::platform::read_file(path_, std::numeric_limits<std::size_t>::max(), text, error) ==
      detail::platform::ReadStatus::kOk) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof())
        break;  // no newline: a torn last line, written by a crash mid-append
      const auto space = line.find(' ');
      if (space == std::string::npos || space == 0 || space + 1 >= line.size())
        continue;
      long long ms = 0;
      try {
        ms = std::stoll(line.substr(0, space));
      } catch (const std::exception&) {
        continue;
      }
      ++lines_;
      const TimePoint until = from_ms(ms);
      if (until > now)
        expiry_[line.substr(space + 1)] = until;
      else
        expiry_.erase(line.substr(space + 1));
    }
  }
  compact(now);
}

FileSeenEventStore::~FileSeenEventStore() {
  if (file_ != nullptr)
    std::fclose(file_);
}

void FileSeenEventStore::open_for_append() {
  if (file_ != nullptr)
    std::fclose(file_);
  std::string error;
  file_ = detail::platform::open_for_append(path_, error);
  if (file_ == nullptr)
    store_io_failure("cannot open", path_, error);
}

void FileSeenEventStore::compact(TimePoint now) {
  for (auto it = expiry_.begin(); it != expiry_.end();) {
    if (it->second <= now)
      it = expiry_.erase(it);
    else
      ++it;
  }
  std::ostringstream out;
  for (const auto& [id, until] : expiry_)
    out << to_ms(until) << ' ' << id << '\n';
  // The append stream is closed first: Windows cannot rename over a file that is open.
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  std::string error;
  if (!detail::platform::write_file_atomically(path_, out.str(), error)) {
    std::string reopen_error;
    file_ = detail::platform::open_for_append(path_, reopen_error);  // the old file goes on
    store_io_failure("cannot write", path_, error);
  }
  lines_ = expiry_.size();
  open_for_append();
}

bool FileSeenEventStore::seen(const std::string& event_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = expiry_.find(event_id);
  if (it == expiry_.end())
    return false;
  if (it->second <= clock_()) {
    expiry_.erase(it);
    return false;
  }
  return true;
}

void FileSeenEventStore::mark_seen(const std::string& event_id) {
  if (event_id.empty() || event_id.find('\n') != std::string::npos) {
    store_invalid("an event id must be non-empty and on one line");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const TimePoint now = clock_();
  const TimePoint until = now + ttl_;
  const std::string line = std::to_string(to_ms(until)) + ' ' + event_id + '\n';
  if (file_ == nullptr)
    open_for_append();  // a failed rewrite could not reopen it
  std::string error = "short write";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
      !detail::platform::sync_file(file_, error)) {
    store_io_failure("cannot append to", path_, error);
  }
  expiry_[event_id] = until;
  ++lines_;
  // Expired ids stay in the map until a rewrite drops them, so besides "mostly overwritten
  // lines" the file is also rewritten each time its line count reaches a power of two.
  if (lines_ > 64 && (lines_ > 2 * expiry_.size() || (lines_ & (lines_ - 1)) == 0))
    compact(now);
}

std::size_t FileSeenEventStore::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimePoint now = clock_();
  std::size_t n = 0;
  for (const auto& [id, until] : expiry_) {
    if (until > now)
      ++n;
  }
  return n;
}

}  // namespace roserocket
