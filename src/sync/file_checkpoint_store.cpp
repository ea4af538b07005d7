// The default checkpoint store: one JSON file replaced atomically, a flock'ed lock file beside it.

#include "roserocket/sync/file_checkpoint_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "roserocket/errors.hpp"

namespace roserocket::sync {
namespace {

constexpr const char* kFileStoreOp = "file_checkpoint_store";
constexpr int kFileStoreFormat = 1;

[[noreturn]] void file_store_fail(const std::string& why) {
  ErrorContext context;
  context.operation = kFileStoreOp;
  throw Error(why, std::move(context));
}

[[noreturn]] void file_store_errno(const std::string& step, const std::string& path, int err) {
  file_store_fail(step + " '" + path + "' failed: " + std::strerror(err));
}

std::string file_store_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

struct FileCheckpointStore::Impl {
  std::string path;
  FileCheckpointStoreOptions options;
  std::mutex mutex;
  int lock_fd = -1;
  std::set<std::string> held;
  // While the lock is held nobody else writes the file: what this store wrote last is current.
  std::optional<std::map<std::string, std::string>> cache;

  // Every stream's checkpoint; empty when the file does not exist yet.
  std::map<std::string, std::string> read_all() const {
    std::map<std::string, std::string> out;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT)
        return out;
      file_store_errno("reading the checkpoint file", path, errno);
    }
    std::string text;
    char buffer[8192];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        file_store_errno("reading the checkpoint file", path, err);
      }
      if (n == 0)
        break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
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
    std::string temp = path + ".XXXXXX";
    // mkstemp creates the file 0600: checkpoints name records, so others may not read them.
    const int fd = ::mkstemp(temp.data());
    if (fd < 0)
      file_store_errno("creating a file beside", path, errno);
    auto fail = [&](const char* step) {
      const int err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      file_store_errno(step, path, err);
    };
    if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0)
      fail("setting the mode of the file beside");
    std::size_t written = 0;
    while (written < data.size()) {
      const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        fail("writing the file beside");
      }
      written += static_cast<std::size_t>(n);
    }
    if (options.fsync && ::fsync(fd) != 0)
      fail("flushing the file beside");
    if (::close(fd) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      file_store_errno("closing the file beside", path, err);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      file_store_errno("replacing", path, err);
    }
    if (options.fsync) {
      // The rename itself must survive a power cut too.
      const int dir =
          ::open(file_store_directory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
      }
    }
  }

  void unlock_if_unused() {
    if (held.empty() && lock_fd >= 0) {
      ::flock(lock_fd, LOCK_UN);
      ::close(lock_fd);
      lock_fd = -1;
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
  if (impl_->lock_fd < 0) {
    const std::string lock_path = impl_->path + ".lock";
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      file_store_errno("opening the lock file", lock_path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK)
        return false;
      file_store_errno("locking", lock_path, err);
    }
    impl_->lock_fd = fd;
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
