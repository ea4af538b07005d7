// The PostgreSQL checkpoint and lease store (docs/postgresql-store.md, ADR 0025). Built into its
// own library, roserocket_postgresql, so that libroserocket never depends on libpq.
#include "roserocket/sync/postgres_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <utility>

namespace roserocket::sync {

// --- errors ---

namespace {

ErrorContext pg_context(const std::string& operation, const std::string& sqlstate) {
  ErrorContext context;
  context.operation = operation;
  context.error_code = sqlstate;
  return context;
}

}  // namespace

PostgresError::PostgresError(const std::string& summary, const std::string& operation,
                             std::string sqlstate)
    : Error(summary, pg_context(operation, sqlstate)), sqlstate_(std::move(sqlstate)) {}

PostgresConnectionError::PostgresConnectionError(const std::string& summary,
                                                 const std::string& operation)
    : PostgresError(summary, operation, "") {}

LeaseNotHeldError::LeaseNotHeldError(const std::string& stream, const std::string& operation)
    : PostgresError("this store does not hold the lease on stream '" + stream +
                        "' (never taken, released, or lost with the connection): take it with "
                        "try_acquire before beginning a transaction",
                    operation, "") {}

namespace {

[[noreturn]] void invalid(const std::string& operation, const std::string& why) {
  ErrorContext context;
  context.operation = operation;
  throw InvalidArgumentError(why, std::move(context));
}

// A valid SQL identifier we can use unquoted: a name, optionally schema-qualified.
bool valid_table_name(const std::string& name) {
  if (name.empty() || name.size() > 127)
    return false;
  bool start = true;
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      if (start || ++dots > 1)
        return false;
      start = true;
      continue;
    }
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && !start))
      return false;
    start = false;
  }
  return !start;
}

bool is_uri(const std::string& conninfo) {
  return conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
}

// The password as it is written in a URI's user info (user:password@host), percent-encoded or
// not; empty when there is none.
std::string uri_password(const std::string& conninfo) {
  const auto start = conninfo.find("://") + 3;
  auto end = conninfo.find_first_of("/?", start);
  if (end == std::string::npos)
    end = conninfo.size();
  const std::string authority = conninfo.substr(start, end - start);
  const auto at = authority.rfind('@');
  if (at == std::string::npos)
    return {};
  const std::string userinfo = authority.substr(0, at);
  const auto colon = userinfo.find(':');
  return colon == std::string::npos ? std::string() : userinfo.substr(colon + 1);
}

// What follows "password" and "=" in a text, up to white space, '&' or a quote's end: libpq's
// parser is not asked here, since it is what failed.
void add_keyword_passwords(const std::string& text, std::vector<std::string>& out) {
  for (auto at = text.find("password"); at != std::string::npos;
       at = text.find("password", at + 1)) {
    auto i = at + 8;
    while (i < text.size() && text[i] == ' ')
      ++i;
    if (i >= text.size() || text[i] != '=')
      continue;
    ++i;
    while (i < text.size() && text[i] == ' ')
      ++i;
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i)
        value += text[i];
    } else {
      for (; i < text.size() && text[i] != ' ' && text[i] != '&'; ++i)
        value += text[i];
    }
    if (!value.empty())
      out.push_back(value);
  }
}

// Every form of the connection string's password that a message could hold.
std::vector<std::string> conninfo_secrets(const std::string& conninfo, bool parsed_ok,
                                          PQconninfoOption* options) {
  std::vector<std::string> secrets;
  if (options != nullptr) {
    for (auto* o = options; o->keyword != nullptr; ++o) {
      if (o->val != nullptr && o->val[0] != '\0' && std::string(o->keyword) == "password")
        secrets.emplace_back(o->val);
    }
  }
  if (is_uri(conninfo)) {
    const std::string raw = uri_password(conninfo);
    if (!raw.empty())
      secrets.push_back(raw);
  }
  if (!parsed_ok)
    add_keyword_passwords(conninfo, secrets);
  // Longest first, so that a secret inside another is never left half shown.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return secrets;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
      text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

std::string quoted_list(const std::set<std::string>& streams) {
  std::string out;
  for (const auto& s : streams)
    out += (out.empty() ? "'" : ", '") + s + "'";
  return out;
}

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

// --- the session: one connection, the leases on it, the transaction open on it ---

namespace detail {

class PostgresSession {
 public:
  PostgresSession(const std::string& conninfo, PostgresCheckpointStoreOptions options)
      : conninfo_(conninfo), options_(std::move(options)) {}
  ~PostgresSession() { disconnect(); }
  PostgresSession(const PostgresSession&) = delete;
  PostgresSession& operator=(const PostgresSession&) = delete;

  std::mutex mutex;
  std::set<std::string> held;
  bool transaction_open = false;

  void set_secrets(std::vector<std::string> secrets) { secrets_ = std::move(secrets); }
  const PostgresCheckpointStoreOptions& options() const { return options_; }
  PGconn* connection() const { return conn_; }
  std::uint64_t generation() const { return generation_; }
  std::string scrubbed(const std::string& text) const { return scrub(text, secrets_); }

  // Connects when there is no connection (the first call, or after one was lost).
  void ensure_connected(const std::string& operation) {
    if (conn_ != nullptr)
      return;
    const std::string timeout = std::to_string(options_.connect_timeout.count());
    // Processed in order: the connection string (dbname, expanded) overrides the defaults before
    // it.
    const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), "roserocket", conninfo_.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    if (conn == nullptr)
      throw PostgresConnectionError("cannot connect to PostgreSQL: out of memory", operation);
    if (PQstatus(conn) != CONNECTION_OK) {
      const std::string message = trimmed(PQerrorMessage(conn));
      PQfinish(conn);
      throw PostgresConnectionError(
          "cannot connect to PostgreSQL: " + scrubbed(message) +
              " (check the connection string's host, port, dbname, user and password)",
          operation);
    }
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    conn_ = conn;
    ++generation_;
    held.clear();
    transaction_open = false;
    // The server's keepalive for this session: how soon a vanished machine's lease frees.
    std::string settings;
    if (options_.keepalive_idle.count() > 0)
      settings +=
          "SET tcp_keepalives_idle = " + std::to_string(options_.keepalive_idle.count()) + ";";
    if (options_.keepalive_interval.count() > 0)
      settings +=
          "SET tcp_keepalives_interval = " + std::to_string(options_.keepalive_interval.count()) +
          ";";
    if (options_.keepalive_count > 0)
      settings += "SET tcp_keepalives_count = " + std::to_string(options_.keepalive_count) + ";";
    if (!settings.empty())
      exec(operation, settings, {});
  }

  // Runs @p sql; throws PostgresError for a refused statement and, after marking the connection
  // lost, PostgresConnectionError when the connection failed.
  PostgresResult exec(const std::string& operation, const std::string& sql,
                      const std::vector<std::optional<std::string>>& params,
                      const char* unknown_outcome = nullptr) {
    if (conn_ == nullptr)
      throw PostgresConnectionError("not connected to PostgreSQL", operation);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
      values.push_back(p ? p->c_str() : nullptr);
    PGresult* res = params.empty()
                        ? PQexec(conn_, sql.c_str())
                        : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                       values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      PostgresResult out = read(res);
      last_command_ = PQcmdStatus(res);
      PQclear(res);
      return out;
    }
    std::string message =
        trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (message.empty())
      message = trimmed(PQerrorMessage(conn_));
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state != nullptr ? state : "";
    PQclear(res);
    // Class 57P (operator intervention: the backend was terminated) and 08 (connection
    // exception) end the session as surely as a closed socket does.
    if (PQstatus(conn_) == CONNECTION_BAD || sqlstate.rfind("57P", 0) == 0 ||
        sqlstate.rfind("08", 0) == 0)
      lost(operation, message, unknown_outcome);
    throw PostgresError("PostgreSQL refused the statement: " + scrubbed(message), operation,
                        sqlstate);
  }

  // Whether the last successful command's tag was @p tag (COMMIT answers "ROLLBACK" for a
  // transaction an earlier statement aborted).
  bool last_command_was(const char* tag) const { return last_command_ == tag; }

  // The connection is gone: every lease with it, and any open transaction.
  [[noreturn]] void lost(const std::string& operation, const std::string& message,
                         const char* unknown_outcome) {
    const std::set<std::string> leases = held;
    disconnect();
    std::string summary = "the connection to PostgreSQL was lost (" + scrubbed(message) + ")";
    if (unknown_outcome != nullptr)
      summary += std::string("; ") + unknown_outcome;
    if (!leases.empty())
      summary += "; the lease on " + quoted_list(leases) +
                 " is lost with it (another worker may hold it now): take it again with "
                 "try_acquire before going on";
    throw PostgresConnectionError(summary, operation);
  }

  void disconnect() noexcept {
    if (conn_ != nullptr)
      PQfinish(conn_);
    conn_ = nullptr;
    held.clear();
    transaction_open = false;
  }

 private:
  static PostgresResult read(PGresult* res) {
    PostgresResult out;
    const int columns = PQnfields(res);
    for (int c = 0; c < columns; ++c)
      out.columns.emplace_back(PQfname(res, c));
    const int rows = PQntuples(res);
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<std::optional<std::string>> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c))
          row.emplace_back(std::nullopt);
        else
          row.emplace_back(
              std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
      }
      out.rows.push_back(std::move(row));
    }
    const char* tuples = PQcmdTuples(res);
    if (tuples != nullptr && tuples[0] != '\0')
      out.affected = static_cast<std::size_t>(std::stoull(tuples));
    return out;
  }

  std::string conninfo_;
  PostgresCheckpointStoreOptions options_;
  std::vector<std::string> secrets_;
  PGconn* conn_ = nullptr;
  std::uint64_t generation_ = 0;
  std::string last_command_;
};

}  // namespace detail

namespace {

void check_stream(const std::string& stream, const char* operation) {
  if (stream.empty())
    invalid(operation, "the stream name is empty: name the stream (for example \"erp-orders\")");
}

std::string key_text(const std::string& table, const std::string& stream) {
  return std::to_string(PostgresCheckpointStore::lease_key(table, stream));
}

// Whether the session holds the advisory lock on @p key (pg_locks shows a bigint key as its high
// and low halves in classid and objid, with objsubid 1).
constexpr const char* kHoldsSql =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
    "AND granted AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = "
    "current_database()) AND classid = (($1::bigint >> 32) & 4294967295)::oid "
    "AND objid = ($1::bigint & 4294967295)::oid";

}  // namespace

// --- PostgresTransaction ---

PostgresTransaction::PostgresTransaction(std::shared_ptr<detail::PostgresSession> session,
                                         std::string stream, std::uint64_t generation)
    : session_(std::move(session)), stream_(std::move(stream)), generation_(generation) {}

PostgresTransaction::~PostgresTransaction() {
  if (finished_)
    return;
  try {
    std::lock_guard<std::mutex> lock(session_->mutex);
    if (session_->connection() != nullptr && session_->generation() == generation_) {
      session_->transaction_open = false;
      PQclear(PQexec(session_->connection(), "ROLLBACK"));
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor rolls back or leaves it be.
  }
}

PostgresTransaction& PostgresTransaction::from(CheckpointTransaction& transaction) {
  auto* pg = dynamic_cast<PostgresTransaction*>(&transaction);
  if (pg == nullptr)
    invalid("postgres.transaction",
            "this checkpoint transaction is not a PostgresTransaction: the stream was given "
            "another store; construct it with a PostgresCheckpointStore to write rows in its "
            "transaction");
  return *pg;
}

void PostgresTransaction::check_usable(const char* operation) {
  if (finished_)
    invalid(operation, "this transaction is finished (committed or failed); begin a new one");
  if (session_->connection() == nullptr || session_->generation() != generation_)
    throw PostgresConnectionError(
        "the connection of this transaction was lost, so it was rolled back: nothing of it was "
        "committed; take the lease again and begin a new transaction",
        operation);
}

void PostgresTransaction::save(const std::string& checkpoint) {
  std::lock_guard<std::mutex> lock(session_->mutex);
  check_usable("postgres.save");
  const std::string& table = session_->options().table;
  session_->exec("postgres.save",
                 "INSERT INTO " + table +
                     " (stream, checkpoint, updated_at) VALUES ($1, $2, now()) ON CONFLICT "
                     "(stream) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()",
                 {stream_, checkpoint});
}

void PostgresTransaction::commit() {
  std::lock_guard<std::mutex> lock(session_->mutex);
  check_usable("postgres.commit");
  finished_ = true;
  session_->transaction_open = false;
  session_->exec("postgres.commit", "COMMIT", {},
                 "the commit's outcome is unknown: load() tells whether the checkpoint (and the "
                 "rows written with it) were committed");
  if (session_->last_command_was("ROLLBACK"))
    throw PostgresError(
        "the transaction was rolled back, not committed: a statement in it failed earlier "
        "(see that statement's error); neither the checkpoint nor the rows written with it "
        "took effect",
        "postgres.commit", "25P02");
}

PostgresResult PostgresTransaction::exec(const std::string& sql,
                                         const std::vector<std::optional<std::string>>& params) {
  std::lock_guard<std::mutex> lock(session_->mutex);
  check_usable("postgres.exec");
  return session_->exec("postgres.exec", sql, params);
}

PGconn* PostgresTransaction::connection() {
  std::lock_guard<std::mutex> lock(session_->mutex);
  check_usable("postgres.connection");
  return session_->connection();
}

// --- PostgresCheckpointStore ---

PostgresCheckpointStore::PostgresCheckpointStore(const std::string& conninfo,
                                                 PostgresCheckpointStoreOptions options) {
  const char* operation = "postgres.connect";
  if (!valid_table_name(options.table))
    invalid(operation, "the checkpoints table name '" + options.table +
                           "' is not usable: use letters, digits and '_' (not starting with a "
                           "digit), optionally schema-qualified (\"sync.checkpoints\")");
  if (options.connect_timeout.count() < 0 || options.keepalive_idle.count() < 0 ||
      options.keepalive_interval.count() < 0 || options.keepalive_count < 0)
    invalid(operation,
            "PostgresCheckpointStoreOptions: the timeouts and keepalive_count must "
            "not be negative (0 leaves the default)");
  session_ = std::make_shared<detail::PostgresSession>(conninfo, options);
  // A plain database name has no "=" and is no URI: libpq takes it as dbname, with no password.
  if (conninfo.find('=') != std::string::npos || is_uri(conninfo)) {
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
    session_->set_secrets(conninfo_secrets(conninfo, parsed != nullptr, parsed));
    if (parsed == nullptr) {
      std::string message = error != nullptr ? trimmed(error) : "out of memory";
      PQfreemem(error);
      invalid(operation,
              "the PostgreSQL connection string cannot be read: " + session_->scrubbed(message) +
                  " (libpq's form: \"host=... dbname=... user=...\" or "
                  "\"postgresql://user@host/dbname\")");
    }
    PQconninfoFree(parsed);
  }
  std::lock_guard<std::mutex> lock(session_->mutex);
  session_->ensure_connected(operation);
  // Two workers starting at once must not both create the table (CREATE TABLE IF NOT EXISTS
  // races on the catalog): they take turns under a transaction-scoped advisory lock.
  const std::string& table = options.table;
  session_->exec(operation, "BEGIN", {});
  try {
    session_->exec(operation, "SELECT pg_advisory_xact_lock($1::bigint)",
                   {std::to_string(lease_key(table, ""))});
    // Looked up first: CREATE TABLE IF NOT EXISTS needs the CREATE privilege on the schema even
    // when the table is there, and a worker's role often has rights on the table alone.
    const auto found = session_->exec(operation, "SELECT to_regclass($1) IS NOT NULL", {table});
    if (found.rows.front().front().value_or("f") != "t")
      session_->exec(operation,
                     "CREATE TABLE IF NOT EXISTS " + table +
                         " (stream text primary key, checkpoint text not null, "
                         "updated_at timestamptz not null default now())",
                     {});
    session_->exec(operation, "COMMIT", {});
  } catch (const PostgresConnectionError&) {
    throw;
  } catch (const PostgresError&) {
    PQclear(PQexec(session_->connection(), "ROLLBACK"));
    throw;
  }
}

PostgresCheckpointStore::~PostgresCheckpointStore() {
  // Closing the connection frees every lease and rolls back an open transaction on the server.
  std::lock_guard<std::mutex> lock(session_->mutex);
  session_->disconnect();
}

const std::string& PostgresCheckpointStore::table() const noexcept {
  return session_->options().table;
}

std::int64_t PostgresCheckpointStore::lease_key(const std::string& table,
                                                const std::string& stream) {
  std::uint64_t hash = 14695981039346656037ULL;
  const std::string text = table + ":" + stream;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  // Two's complement: the unsigned value's bits, as PostgreSQL's bigint holds them.
  std::int64_t key = 0;
  static_assert(sizeof key == sizeof hash);
  std::copy_n(reinterpret_cast<const unsigned char*>(&hash), sizeof hash,
              reinterpret_cast<unsigned char*>(&key));
  return key;
}

std::optional<std::string> PostgresCheckpointStore::load(const std::string& stream) {
  check_stream(stream, "postgres.load");
  std::lock_guard<std::mutex> lock(session_->mutex);
  session_->ensure_connected("postgres.load");
  const auto result = session_->exec(
      "postgres.load", "SELECT checkpoint FROM " + table() + " WHERE stream = $1", {stream});
  if (result.rows.empty())
    return std::nullopt;
  return result.rows.front().front();
}

std::unique_ptr<CheckpointTransaction> PostgresCheckpointStore::begin(const std::string& stream) {
  return begin_transaction(stream);
}

std::unique_ptr<PostgresTransaction> PostgresCheckpointStore::begin_transaction(
    const std::string& stream) {
  const char* operation = "postgres.begin";
  check_stream(stream, operation);
  std::lock_guard<std::mutex> lock(session_->mutex);
  if (session_->transaction_open)
    invalid(operation,
            "a transaction of this store is still open: commit it or destroy it before beginning "
            "the next (use one store per thread)");
  // A lost connection took the lease with it: held is empty then, and the check below refuses.
  if (session_->connection() == nullptr || session_->held.count(stream) == 0)
    throw LeaseNotHeldError(stream, operation);
  session_->exec(operation, "BEGIN", {});
  session_->transaction_open = true;
  return std::unique_ptr<PostgresTransaction>(
      new PostgresTransaction(session_, stream, session_->generation()));
}

bool PostgresCheckpointStore::try_acquire(const std::string& stream) {
  const char* operation = "postgres.try_acquire";
  check_stream(stream, operation);
  std::lock_guard<std::mutex> lock(session_->mutex);
  session_->ensure_connected(operation);
  const std::string key = key_text(table(), stream);
  if (session_->held.count(stream) != 0) {
    // Held already: asked of the server (a round trip that also finds a dead connection), not
    // answered from memory.
    const auto result = session_->exec(operation, kHoldsSql, {key});
    if (result.rows.front().front().value_or("0") != "0")
      return true;
    session_->held.erase(stream);
  }
  const auto result = session_->exec(operation, "SELECT pg_try_advisory_lock($1::bigint)", {key});
  const bool taken = result.rows.front().front().value_or("f") == "t";
  if (taken)
    session_->held.insert(stream);
  return taken;
}

void PostgresCheckpointStore::release(const std::string& stream) {
  const char* operation = "postgres.release";
  check_stream(stream, operation);
  std::lock_guard<std::mutex> lock(session_->mutex);
  if (session_->held.count(stream) == 0 || session_->connection() == nullptr)
    return;
  session_->held.erase(stream);
  try {
    session_->exec(operation, "SELECT pg_advisory_unlock($1::bigint)", {key_text(table(), stream)});
  } catch (const PostgresConnectionError&) {
    // The connection ended: the server freed the lock with it.
  }
}

bool PostgresCheckpointStore::holds(const std::string& stream) {
  const char* operation = "postgres.holds";
  check_stream(stream, operation);
  std::lock_guard<std::mutex> lock(session_->mutex);
  if (session_->connection() == nullptr)
    return false;
  try {
    const auto result = session_->exec(operation, kHoldsSql, {key_text(table(), stream)});
    const bool held = result.rows.front().front().value_or("0") != "0";
    if (!held)
      session_->held.erase(stream);
    return held;
  } catch (const PostgresConnectionError&) {
    return false;
  }
}

}  // namespace roserocket::sync
