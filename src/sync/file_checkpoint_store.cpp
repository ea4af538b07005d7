// The default checkpoint store: one JSON file replaced atomically, a flock'ed lock file beside it.

#include "roserocket/sync/file_checkpoint_store.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "platform/platform.hpp"
#include "roserocket/errors.hpp"

namespace roserocket::sync {
namespace platform = ::roserocket::detail::platform;
namespace {

constexpr const char* kFileStoreOp = "file_checkpoint_store";
constexpr int kFileStoreFormat = 1;

[[noreturn]] void file_store_fail(const std::string& why) {
  ErrorContext context;
  context.operation = kFileStoreOp;
  throw Error(why, std::move(context));
}

[[noreturn]] void file_store_step_failed(const std::string& step, const std::string& path,
                                         const std::string& why) {
  file_store_fail(step + " '" + path + "' failed: " + why);
}

// The largest checkpoint file read back: a file this size is not one this store wrote.
constexpr std::size_t kFileStoreMaxBytes = std::size_t{256} << 20;

}  // namespace

struct FileCheckpointStore::Impl {
  std::string path;
  FileCheckpointStoreOptions options;
  std::mutex mutex;
  platform::FileLock lock = platform::kNoFileLock;
  std::set<std::string> held;
  // While the lock is held nobody else writes the file: what this store wrote last is current.
  std::optional<std::map<std::string, std::string>> cache;

  // Every stream's checkpoint; empty when the file does not exist yet.
  std::map<std::string, std::string> read_all() const {
    std::map<std::string, std::string> out;
    std::string text;
    std::string why;
    switch (platform::read_file(path, kFileStoreMaxBytes, text, why)) {
      case platform::ReadStatus::kOk:
        break;
      case platform::ReadStatus::kMissing:
        return out;
      case platform::ReadStatus::kTooLarge:
        file_store_step_failed("reading the checkpoint file", path,
                               "it is larger than any checkpoint file");
      case platform::ReadStatus::kFailed:
        file_store_step_failed("reading the checkpoint file", path, why);
    }
    auto corrupt = [&](const std::string& why) {
      file_store_fail("the checkpoint file '" + path + "' is damaged or not a checkpoint file (" +
                      why +
                      "); it was left as it is. Restore it from a backup, or move it away to "
                      "start its streams again from the beginning");
    };
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object())
      corrupt(text.empty() ? "it is empty" : "it is not JSON");
    const auto format = doc.find("format");
    if (format == doc.end() || !format->is_number_integer() ||
        format->get<int>() != kFileStoreFormat) {
      corrupt("no format " + std::to_string(kFileStoreFormat) + " marker");
    }
    const auto streams = doc.find("streams");
    if (streams == doc.end() || !streams->is_object())
      corrupt("no streams object");
    for (const auto& item : streams->items()) {
      if (!item.value().is_string())
        corrupt("stream '" + item.key() + "' is not text");
      out[item.key()] = item.value().get<std::string>();
    }
    return out;
  }

  void write_all(const std::map<std::string, std::string>& all) const {
    nlohmann::json streams = nlohmann::json::object();
    for (const auto& [name, text] : all)
      streams[name] = text;
    const std::string data =
        nlohmann::json{{"format", kFileStoreFormat}, {"streams", std::move(streams)}}.dump() + "\n";
    // Owner-only from its creation: checkpoints name records, so others may not read them.
    std::string why;
    if (!platform::write_file_atomically(path, data, options.fsync, why))
      file_store_step_failed("replacing", path, why);
  }

  void unlock_if_unused() {
    if (held.empty() && lock != platform::kNoFileLock) {
      platform::unlock_file(lock);
      lock = platform::kNoFileLock;
      cache.reset();
    }
  }

  class Transaction : public CheckpointTransaction {
   public:
    Transaction(std::shared_ptr<Impl> impl, std::string stream)
        : impl_(std::move(impl)), stream_(std::move(stream)) {}

    void save(const std::string& checkpoint) override { pending_ = checkpoint; }

    void commit() override {
      if (!pending_)
        return;
      std::lock_guard<std::mutex> lock(impl_->mutex);
      if (impl_->held.count(stream_) == 0) {
        file_store_fail("stream '" + stream_ + "' of '" + impl_->path +
                        "' is not leased by this store any more; the checkpoint was not saved");
      }
      auto all = impl_->cache ? *impl_->cache : impl_->read_all();
      all[stream_] = *pending_;
      impl_->write_all(all);
      impl_->cache = std::move(all);
      pending_.reset();
    }

   private:
    std::shared_ptr<Impl> impl_;
    std::string stream_;
    std::optional<std::string> pending_;
  };
};

FileCheckpointStore::FileCheckpointStore(std::string path, FileCheckpointStoreOptions options)
    : impl_(std::make_shared<Impl>()) {
  if (path.empty()) {
    ErrorContext context;
    context.operation = kFileStoreOp;
    throw InvalidArgumentError("the checkpoint file's path must not be empty", std::move(context));
  }
  impl_->path = std::move(path);
  impl_->options = options;
}

FileCheckpointStore::~FileCheckpointStore() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->held.clear();
  impl_->unlock_if_unused();
}

const std::string& FileCheckpointStore::path() const noexcept {
  return impl_->path;
}

std::optional<std::string> FileCheckpointStore::load(const std::string& stream) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto all = impl_->read_all();
  const auto it = all.find(stream);
  if (it == all.end())
    return std::nullopt;
  return it->second;
}

std::unique_ptr<CheckpointTransaction> FileCheckpointStore::begin(const std::string& stream) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->held.count(stream) == 0) {
    file_store_fail("stream '" + stream + "' of '" + impl_->path +
                    "' is not leased by this store: call try_acquire first");
  }
  return std::make_unique<Impl::Transaction>(impl_, stream);
}

bool FileCheckpointStore::try_acquire(const std::string& stream) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->lock == platform::kNoFileLock) {
    const std::string lock_path = impl_->path + ".lock";
    std::string why;
    switch (platform::lock_file(lock_path, impl_->lock, why)) {
      case platform::LockStatus::kLocked:
        break;
      case platform::LockStatus::kHeldElsewhere:
        return false;
      case platform::LockStatus::kFailed:
        file_store_step_failed("locking", lock_path, why);
    }
  }
  impl_->held.insert(stream);
  return true;
}

void FileCheckpointStore::release(const std::string& stream) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->held.erase(stream);
  impl_->unlock_if_unused();
}

}  // namespace roserocket::sync
