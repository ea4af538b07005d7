#pragma once
/// @file
/// @brief Where a change stream keeps its durable position, and who may consume a stream.
///
/// A checkpoint is opaque text that the stream writes and reads back; a store only keeps it.
/// Implementations: a file per process (the default) and PostgreSQL for workers on many machines
/// (an optional component, built when libpq is present).
#include <memory>
#include <optional>
#include <string>

#include "roserocket/export.hpp"

namespace roserocket::sync {

/// @brief One unit of progress: the new checkpoint and, for stores that have them, whatever the
/// handler wrote in the same transaction. Nothing takes effect before `commit()`; a transaction
/// destroyed without a commit is rolled back.
class ROSEROCKET_API CheckpointTransaction {
 public:
  virtual ~CheckpointTransaction() = default;
  /// @brief Sets the checkpoint that `commit()` makes durable.
  virtual void save(const std::string& checkpoint) = 0;
  /// @brief Makes the saved checkpoint (and the handler's writes, where the store has any)
  /// durable together. On return a crash of this process no longer loses it.
  /// @throw Error when it cannot be made durable; nothing took effect then.
  virtual void commit() = 0;
};

/// @brief The checkpoints of named streams, and a lease per stream so that one consumer at a
/// time advances it.
///
/// A stream name is chosen by the caller (for example "erp-orders"); it is the unit of ownership.
class ROSEROCKET_API CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  /// @brief The last committed checkpoint of @p stream, or nothing for a stream never committed.
  /// @throw Error when the store cannot be read (never "nothing" for a store that failed).
  virtual std::optional<std::string> load(const std::string& stream) = 0;
  /// @brief Starts a unit of progress on @p stream (this consumer must hold its lease).
  virtual std::unique_ptr<CheckpointTransaction> begin(const std::string& stream) = 0;
  /// @brief Takes the lease on @p stream when nobody else holds it.
  /// @return true when this consumer holds the lease now (also when it held it already).
  /// A lease held by a consumer that died is free again (how soon depends on the store).
  virtual bool try_acquire(const std::string& stream) = 0;
  /// @brief Gives the lease on @p stream up (no effect when not held).
  virtual void release(const std::string& stream) = 0;
};

}  // namespace roserocket::sync
