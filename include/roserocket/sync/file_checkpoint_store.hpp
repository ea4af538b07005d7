#pragma once
/// @file
/// @brief `sync::FileCheckpointStore`: change stream checkpoints in one owner-only file, for one
/// process at a time (the default store; see docs/sync.md).
#include <memory>
#include <optional>
#include <string>

#include "roserocket/export.hpp"
#include "roserocket/sync/checkpoint_store.hpp"

namespace roserocket::sync {

/// @brief How a `FileCheckpointStore` writes.
struct FileCheckpointStoreOptions {
  /// Flush every commit to the disk (fsync of the file and of its directory) before it returns.
  /// Off, a commit survives a crash of the process but not a power cut or a kernel crash.
  bool fsync = true;
};

/// @brief The checkpoints of named streams in a JSON file `{format, streams: {name: text}}`.
///
/// Each commit replaces the file atomically (a temporary file beside it, created owner-only,
/// written, flushed, renamed over the old one), so after any crash it holds the old or the new
/// checkpoints, never a mix. The lease is an exclusive `flock` on `PATH.lock`, held by this
/// store object until every stream is released or the store is destroyed, and freed by the
/// kernel when the process dies: a second process (or a second store object on the same file)
/// cannot take any stream of the file meanwhile. Use one file per process.
///
/// Thread safety: every member may be called from any thread; a transaction is used by one
/// thread.
class ROSEROCKET_API FileCheckpointStore : public CheckpointStore {
 public:
  /// @brief A store at @p path (the file is created by the first commit).
  /// @throw InvalidArgumentError for an empty path.
  explicit FileCheckpointStore(std::string path, FileCheckpointStoreOptions options = {});
  /// @brief Releases the lease if held.
  ~FileCheckpointStore() override;
  FileCheckpointStore(const FileCheckpointStore&) = delete;
  FileCheckpointStore& operator=(const FileCheckpointStore&) = delete;

  /// @throw Error naming the file when it exists but cannot be read or is not a checkpoint file
  /// (a torn or foreign file); the file is left as it is.
  std::optional<std::string> load(const std::string& stream) override;
  /// @throw Error when this store does not hold the lease of @p stream.
  std::unique_ptr<CheckpointTransaction> begin(const std::string& stream) override;
  /// @throw Error when the lock file cannot be opened (a missing directory, no permission).
  bool try_acquire(const std::string& stream) override;
  void release(const std::string& stream) override;

  /// @brief The file's path.
  [[nodiscard]] const std::string& path() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace roserocket::sync
