#pragma once
/// @file
/// @brief Checkpoints in a PostgreSQL table and a lease per stream as an advisory lock, for
/// workers on many machines (library `roserocket::postgresql`, built when libpq is present).
///
/// See docs/postgresql-store.md. This header does not include libpq's; a program that calls libpq
/// itself on `PostgresTransaction::connection()` includes `<libpq-fe.h>`.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "roserocket/errors.hpp"
#include "roserocket/sync/checkpoint_store.hpp"

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(ROSEROCKET_BUILDING_POSTGRESQL)
/// @brief Exported from the `roserocket_postgresql` library (as `ROSEROCKET_API` is from the
/// SDK's).
#define ROSEROCKET_POSTGRESQL_API __declspec(dllexport)
#elif defined(ROSEROCKET_POSTGRESQL_SHARED)
#define ROSEROCKET_POSTGRESQL_API __declspec(dllimport)
#else
#define ROSEROCKET_POSTGRESQL_API
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define ROSEROCKET_POSTGRESQL_API __attribute__((visibility("default")))
#else
#define ROSEROCKET_POSTGRESQL_API
#endif

/// @cond LIBPQ
// libpq's connection handle, declared exactly as <libpq-fe.h> declares it.
typedef struct pg_conn PGconn;
/// @endcond

namespace roserocket::sync {

namespace detail {
class PostgresSession;
}  // namespace detail

/// @brief A failure of the PostgreSQL store: an SQL statement the server refused, or a result the
/// store cannot use. `what()` names the store's operation; the connection string's password
/// never appears in it.
class ROSEROCKET_POSTGRESQL_API PostgresError : public Error {
 public:
  /// @brief A failure of @p operation (for example "postgres.load").
  /// @param summary what failed, with the server's message.
  /// @param operation the store's operation.
  /// @param sqlstate the server's five-character SQLSTATE, or "" when there is none.
  PostgresError(const std::string& summary, const std::string& operation, std::string sqlstate);
  /// @brief The server's SQLSTATE (for example "42P01", undefined table), or "" when none.
  [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

/// @brief No connection: the server could not be reached or refused the login, or an open
/// connection was lost. A lost connection ends every lease the store held (the server frees its
/// advisory locks) and rolls back an open transaction; the store connects again on its next call.
class ROSEROCKET_POSTGRESQL_API PostgresConnectionError : public PostgresError {
 public:
  /// @brief A connection failure of @p operation.
  /// @param summary what failed, with libpq's message.
  /// @param operation the store's operation.
  PostgresConnectionError(const std::string& summary, const std::string& operation);
};

/// @brief A transaction was asked of a stream whose lease this store does not hold (never taken,
/// released, or lost with the connection). Take it with `try_acquire` first.
class ROSEROCKET_POSTGRESQL_API LeaseNotHeldError : public PostgresError {
 public:
  /// @brief @p stream's lease is not held.
  /// @param stream the stream.
  /// @param operation the store's operation.
  LeaseNotHeldError(const std::string& stream, const std::string& operation);
};

/// @brief Settings of a `PostgresCheckpointStore`.
struct ROSEROCKET_POSTGRESQL_API PostgresCheckpointStoreOptions {
  /// @brief The checkpoints table, created when missing: a name, optionally schema-qualified
  /// (`sync.checkpoints`); letters, digits and `_`, not starting with a digit.
  std::string table = "roserocket_checkpoints";
  /// @brief How long a connection attempt may take (libpq's `connect_timeout`), unless the
  /// connection string sets one.
  std::chrono::seconds connect_timeout{10};
  /// @brief The server's TCP keepalive settings for the store's session (`tcp_keepalives_idle`,
  /// `_interval`, `_count`): a worker whose machine vanished without closing its connection loses
  /// its lease after about idle + interval × count. Zero leaves the server's setting. A worker
  /// that dies on a machine that keeps running frees its lease at once (its connection closes).
  std::chrono::seconds keepalive_idle{10};
  /// @brief See `keepalive_idle`.
  std::chrono::seconds keepalive_interval{5};
  /// @brief See `keepalive_idle`.
  int keepalive_count = 3;
};

/// @brief The rows an SQL statement returned: every value as text, as PostgreSQL sends it
/// (a missing value for SQL NULL).
struct ROSEROCKET_POSTGRESQL_API PostgresResult {
  /// @brief The columns' names, in order.
  std::vector<std::string> columns;
  /// @brief The rows; each holds one value per column.
  std::vector<std::vector<std::optional<std::string>>> rows;
  /// @brief Rows an INSERT, UPDATE or DELETE touched (0 for other statements).
  std::size_t affected = 0;
};

/// @brief One unit of progress of a `PostgresCheckpointStore`: an open SQL transaction on the
/// store's connection. `save()` writes the checkpoint row in it, the handler's own statements
/// (`exec`) go in it as well, and `commit()` makes all of them durable at once; destroyed without
/// a commit, it is rolled back, so that the handler's rows and the checkpoint never part.
///
/// A handler that received a `CheckpointTransaction&` reaches this class with `from()`.
class ROSEROCKET_POSTGRESQL_API PostgresTransaction : public CheckpointTransaction {
 public:
  ~PostgresTransaction() override;
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;

  /// @brief The PostgreSQL transaction behind @p transaction.
  /// @throw InvalidArgumentError when @p transaction belongs to another kind of store.
  static PostgresTransaction& from(CheckpointTransaction& transaction);

  /// @brief Writes @p checkpoint as the stream's row (insert or update) in this transaction.
  /// @throw PostgresError, PostgresConnectionError.
  void save(const std::string& checkpoint) override;
  /// @brief COMMIT: the checkpoint and every statement of `exec` become durable together.
  /// @throw PostgresError when the transaction was aborted by an earlier failed statement (it is
  /// rolled back then); PostgresConnectionError when the connection failed (before the server
  /// answered, the commit's outcome is unknown: `load()` tells after reconnecting).
  void commit() override;
  /// @brief Runs @p sql in this transaction, with `$1`, `$2`, ... bound to @p params (as text;
  /// a missing value is SQL NULL).
  /// @return the rows, for a statement that returns some.
  /// @throw PostgresError (the transaction is aborted then: `commit()` rolls it back).
  PostgresResult exec(const std::string& sql,
                      const std::vector<std::optional<std::string>>& params = {});
  /// @brief libpq's handle of the connection this transaction is open on, for statements `exec`
  /// cannot make (COPY, large objects, ...). It stays the store's: never close it, never end the
  /// transaction on it (COMMIT, ROLLBACK); valid while this transaction is.
  [[nodiscard]] PGconn* connection();
  /// @brief The stream this transaction advances.
  [[nodiscard]] const std::string& stream() const noexcept { return stream_; }

 private:
  friend class PostgresCheckpointStore;
  PostgresTransaction(std::shared_ptr<detail::PostgresSession> session, std::string stream,
                      std::uint64_t generation);
  void check_usable(const char* operation);

  std::shared_ptr<detail::PostgresSession> session_;
  std::string stream_;
  std::uint64_t generation_;
  bool finished_ = false;
};

/// @brief Checkpoints in a PostgreSQL table, and a lease per stream held as a session-level
/// advisory lock, for consumers of one stream on many machines.
///
/// The store owns one connection. The leases it takes and the transactions it opens share it, so
/// that a commit can only succeed while the lease is still held: when the connection ends (the
/// process died, or the network dropped it), the server frees the locks and rolls back the open
/// transaction at the same moment.
///
/// The table (created when missing):
/// `CREATE TABLE IF NOT EXISTS roserocket_checkpoints (stream text primary key, checkpoint text
/// not null, updated_at timestamptz not null default now())`.
///
/// Thread safety: members may be called from several threads (they take turns on the one
/// connection), but one transaction is open at a time; a consumer per thread takes a store each.
class ROSEROCKET_POSTGRESQL_API PostgresCheckpointStore : public CheckpointStore {
 public:
  /// @brief Connects with the libpq connection string @p conninfo (`host=... dbname=...` or a
  /// `postgresql://` URI) and creates the table when missing.
  /// @param conninfo libpq's connection string; its password never appears in an error text.
  /// @param options the table and the connection's settings.
  /// @throw InvalidArgumentError for a malformed @p conninfo or table name;
  /// PostgresConnectionError when the server cannot be reached or refuses the login;
  /// PostgresError when the table cannot be created.
  explicit PostgresCheckpointStore(const std::string& conninfo,
                                   PostgresCheckpointStoreOptions options = {});
  ~PostgresCheckpointStore() override;
  PostgresCheckpointStore(const PostgresCheckpointStore&) = delete;
  PostgresCheckpointStore& operator=(const PostgresCheckpointStore&) = delete;

  /// @brief The committed checkpoint of @p stream, or nothing for a stream never committed.
  /// @throw PostgresError, PostgresConnectionError (never "nothing" for a failed read).
  std::optional<std::string> load(const std::string& stream) override;
  /// @brief Opens a transaction on @p stream; the result is a `PostgresTransaction`.
  /// @throw LeaseNotHeldError when this store does not hold @p stream's lease;
  /// InvalidArgumentError while another transaction of this store is open.
  std::unique_ptr<CheckpointTransaction> begin(const std::string& stream) override;
  /// @brief `begin()`, typed: the transaction's `exec` and `connection` without a cast.
  /// @throw the same as `begin()`.
  std::unique_ptr<PostgresTransaction> begin_transaction(const std::string& stream);
  /// @brief Takes @p stream's lease (`pg_try_advisory_lock(lease_key(table, stream))`) when no
  /// other session holds it. Never waits.
  /// @return true when this store holds the lease now (also when it held it already).
  /// @throw PostgresConnectionError when the server cannot be reached; a store whose connection
  /// was lost connects again here.
  bool try_acquire(const std::string& stream) override;
  /// @brief Gives @p stream's lease up (no effect when not held).
  /// @throw PostgresError when the server refuses (never for a lost connection: the lease is
  /// gone then anyway).
  void release(const std::string& stream) override;
  /// @brief Asks the server whether this store's session holds @p stream's lease now.
  /// @return false when it does not, or when the connection is lost (the lease is then lost).
  /// @throw PostgresError when the server refuses the query.
  bool holds(const std::string& stream);
  /// @brief The advisory lock key of @p stream in @p table: the 64-bit FNV-1a hash of the bytes
  /// of `table + ":" + stream` (offset basis 14695981039346656037, prime 1099511628211), as a
  /// two's-complement signed value. The same on every machine and in every process.
  /// @param table the table name as configured (e.g. "roserocket_checkpoints").
  /// @param stream the stream name.
  static std::int64_t lease_key(const std::string& table, const std::string& stream);
  /// @brief The checkpoints table's name.
  [[nodiscard]] const std::string& table() const noexcept;

 private:
  std::shared_ptr<detail::PostgresSession> session_;
};

}  // namespace roserocket::sync
