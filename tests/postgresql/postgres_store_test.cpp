// roserocket::sync::PostgresCheckpointStore against a real PostgreSQL server: a throw-away cluster
// that a GoogleTest environment starts once for this program (pg_cluster.hpp) and removes at the
// end. Each test uses a table of its own, so that their streams' leases never meet.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pg_cluster.hpp"
#include "pg_paths.hpp"
#include "roserocket/sync/postgres_store.hpp"
#include "rr_emulator/emulator.hpp"
#include "support/build_paths.hpp"
#include "support/change_writer.hpp"
#include "support/child_process.hpp"
#include "support/emulator_demo_client.hpp"
#include "support/text_files.hpp"
#include "sync/soak_scenario.hpp"

namespace rsync = roserocket::sync;
using rsync::PostgresCheckpointStore;
using rsync::PostgresCheckpointStoreOptions;

namespace {

rr_pg_test::PgCluster* pg_cluster = nullptr;
// The test's own connection (one for the program, made on first use by `sql`).
PGconn* observer_connection = nullptr;

class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    try {
      cluster_ = std::make_unique<rr_pg_test::PgCluster>(rr_pg_test::pg_bindir);
      pg_cluster = cluster_.get();
    } catch (const std::exception& e) {
      FAIL() << "cannot start the test's PostgreSQL server: " << e.what();
    }
  }
  void TearDown() override {
    if (observer_connection != nullptr)
      PQfinish(observer_connection);
    observer_connection = nullptr;
    pg_cluster = nullptr;
    cluster_.reset();
  }

 private:
  std::unique_ptr<rr_pg_test::PgCluster> cluster_;
};

[[maybe_unused]] ::testing::Environment* const pg_environment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment);

std::string conninfo(const std::string& extra = "") {
  return pg_cluster->conninfo(extra);
}

// A table name of this test's own: "cp_" and the test's name, lower case.
std::string own_table(const std::string& suffix = "") {
  std::string name =
      std::string("cp_") + ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name.substr(0, 63);
}

PostgresCheckpointStoreOptions with_table(const std::string& table) {
  PostgresCheckpointStoreOptions options;
  options.table = table;
  return options;
}

PGconn* test_connection() {
  if (observer_connection != nullptr && PQstatus(observer_connection) == CONNECTION_OK)
    return observer_connection;
  if (observer_connection != nullptr)
    PQfinish(observer_connection);
  observer_connection = PQconnectdb(conninfo("application_name=rr_test_observer").c_str());
  return observer_connection;
}

// The test's own view of the database, through libpq directly: the first column of each row.
std::vector<std::string> sql(const std::string& statement) {
  PGconn* conn = test_connection();
  std::vector<std::string> out;
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "test connection: " << PQerrorMessage(conn);
    return out;
  }
  PGresult* res = PQexec(conn, statement.c_str());
  const auto status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    ADD_FAILURE() << statement << ": " << PQresultErrorMessage(res);
  if (status == PGRES_TUPLES_OK) {
    for (int r = 0; r < PQntuples(res); ++r)
      out.emplace_back(PQgetisnull(res, r, 0) ? "NULL" : PQgetvalue(res, r, 0));
  }
  PQclear(res);
  return out;
}

std::string sql_one(const std::string& statement) {
  const auto rows = sql(statement);
  return rows.empty() ? std::string("<no rows>") : rows.front();
}

// Ends the server session of every connection named @p application, and waits until they are gone.
void terminate_sessions(const std::string& application) {
  sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
      application + "'");
  for (int i = 0; i < 600; ++i) {
    if (sql_one("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application +
                "'") == "0")
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "the sessions of " << application << " did not end";
}

// A child process running the lease worker; its stdout is a pipe the test reads.
struct WorkerProcess {
  pid_t pid = -1;
  FILE* out = nullptr;

  explicit WorkerProcess(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe(fds) != 0)
      return;
    pid = ::fork();
    if (pid == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<std::string> argv = {rr_pg_test::lease_worker};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> raw;
      for (auto& a : argv)
        raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(raw[0], raw.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out = ::fdopen(fds[0], "r");
  }
  ~WorkerProcess() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (out != nullptr)
      ::fclose(out);
  }
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  // The next line the worker printed ("" at its end).
  std::string line() const {
    char buffer[256];
    if (out == nullptr || std::fgets(buffer, sizeof buffer, out) == nullptr)
      return "";
    std::string text = buffer;
    if (!text.empty() && text.back() == '\n')
      text.pop_back();
    return text;
  }
  void kill_hard() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }
  // The exit status once it ended within @p limit (-1 when it did not exit normally, -2 when
  // it was still running: it is killed then).
  int wait_exit(std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < until) {
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_hard();
    return -2;
  }
};

// Polls @p store's try_acquire until it succeeds or @p limit passes (a bound, not a measurement).
bool acquire_within(PostgresCheckpointStore& store, const std::string& stream,
                    std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (store.try_acquire(stream))
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST(PostgresStore, CreatesItsTableAndLoadsNothingForANewStream) {
  const std::string table = own_table();
  PostgresCheckpointStore store(conninfo(), with_table(table));
  EXPECT_EQ(store.table(), table);
  EXPECT_EQ(sql_one("SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'"), "1");
  EXPECT_EQ(store.load("erp-orders"), std::nullopt);
  // A second store on the same table finds it there.
  PostgresCheckpointStore again(conninfo(), with_table(table));
  EXPECT_EQ(again.load("erp-orders"), std::nullopt);
}

TEST(PostgresStore, CommitMakesTheCheckpointDurableForEveryStore) {
  const std::string table = own_table();
  PostgresCheckpointStore store(conninfo(), with_table(table));
  ASSERT_TRUE(store.try_acquire("erp-orders"));
  {
    auto tx = store.begin("erp-orders");
    tx->save("cp-1");
    tx->commit();
  }
  EXPECT_EQ(store.load("erp-orders"), "cp-1");
  {
    auto tx = store.begin("erp-orders");
    tx->save("cp-2");
    tx->commit();
  }
  PostgresCheckpointStore reader(conninfo(), with_table(table));
  EXPECT_EQ(reader.load("erp-orders"), "cp-2");
  EXPECT_EQ(reader.load("other-stream"), std::nullopt);
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + table), "1");
  EXPECT_EQ(sql_one("SELECT updated_at > now() - interval '1 hour' FROM " + table), "t");
}

TEST(PostgresStore, TransactionDestroyedWithoutCommitRollsBack) {
  const std::string table = own_table();
  PostgresCheckpointStore store(conninfo(), with_table(table));
  ASSERT_TRUE(store.try_acquire("s"));
  {
    auto tx = store.begin("s");
    tx->save("first");
    tx->commit();
  }
  {
    auto tx = store.begin("s");
    tx->save("never");
  }
  EXPECT_EQ(store.load("s"), "first");
  // The store is usable afterwards: the rollback ended the transaction.
  auto tx = store.begin("s");
  tx->save("second");
  tx->commit();
  EXPECT_EQ(store.load("s"), "second");
}

TEST(PostgresStore, HandlerRowsCommitTogetherWithTheCheckpoint) {
  const std::string table = own_table();
  const std::string rows = table + "_rows";
  sql("CREATE TABLE " + rows + " (id text primary key, version int not null)");
  PostgresCheckpointStore store(conninfo(), with_table(table));
  ASSERT_TRUE(store.try_acquire("orders"));
  std::unique_ptr<rsync::CheckpointTransaction> tx = store.begin("orders");
  // A handler that was given the interface reaches the PostgreSQL transaction.
  auto& pg = rsync::PostgresTransaction::from(*tx);
  EXPECT_EQ(pg.stream(), "orders");
  const auto inserted =
      pg.exec("INSERT INTO " + rows + " (id, version) VALUES ($1, $2), ($3, $4)",
              {std::string("ord-1"), std::string("3"), std::string("ord-2"), std::string("1")});
  EXPECT_EQ(inserted.affected, 2u);
  const auto seen = pg.exec("SELECT id, version FROM " + rows + " ORDER BY id");
  ASSERT_EQ(seen.rows.size(), 2u);
  EXPECT_EQ(seen.columns, (std::vector<std::string>{"id", "version"}));
  EXPECT_EQ(seen.rows[0][0], "ord-1");
  EXPECT_EQ(seen.rows[0][1], "3");
  // Not visible outside the transaction before the commit.
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + rows), "0");
  tx->save("after-ord-2");
  EXPECT_NE(pg.connection(), nullptr);
  EXPECT_EQ(PQtransactionStatus(pg.connection()), PQTRANS_INTRANS);
  tx->commit();
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + rows), "2");
  EXPECT_EQ(store.load("orders"), "after-ord-2");
}

TEST(PostgresStore, HandlerRowsRollBackTogetherWithTheCheckpoint) {
  const std::string table = own_table();
  const std::string rows = table + "_rows";
  sql("CREATE TABLE " + rows + " (id text primary key)");
  PostgresCheckpointStore store(conninfo(), with_table(table));
  ASSERT_TRUE(store.try_acquire("orders"));
  {
    auto tx = store.begin_transaction("orders");
    tx->exec("INSERT INTO " + rows + " (id) VALUES ($1)", {std::string("ord-1")});
    tx->save("after-ord-1");
    // Destroyed without a commit: a crash of the handler's code ends here too.
  }
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + rows), "0");
  EXPECT_EQ(store.load("orders"), std::nullopt);

  // A failed statement aborts the transaction: the commit says so, and nothing took effect.
  {
    auto tx = store.begin_transaction("orders");
    tx->exec("INSERT INTO " + rows + " (id) VALUES ($1)", {std::string("ord-2")});
    tx->save("after-ord-2");
    try {
      tx->exec("INSERT INTO " + rows + " (id) VALUES ($1)", {std::string("ord-2")});
      ADD_FAILURE() << "a duplicate key was accepted";
    } catch (const rsync::PostgresError& e) {
      EXPECT_EQ(e.sqlstate(), "23505");
      EXPECT_NE(std::string(e.what()).find("postgres.exec"), std::string::npos) << e.what();
    }
    try {
      tx->commit();
      ADD_FAILURE() << "an aborted transaction was reported committed";
    } catch (const rsync::PostgresError& e) {
      EXPECT_NE(std::string(e.what()).find("rolled back, not committed"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + rows), "0");
  EXPECT_EQ(store.load("orders"), std::nullopt);
}

TEST(PostgresStore, TransactionRulesAreEnforced) {
  const std::string table = own_table();
  PostgresCheckpointStore store(conninfo(), with_table(table));
  // No lease, no transaction.
  EXPECT_THROW(store.begin("s"), rsync::LeaseNotHeldError);
  ASSERT_TRUE(store.try_acquire("s"));
  auto tx = store.begin_transaction("s");
  // One open transaction per store.
  EXPECT_THROW(store.begin("s"), roserocket::InvalidArgumentError);
  tx->save("x");
  tx->commit();
  // A committed transaction is finished.
  EXPECT_THROW(tx->save("y"), roserocket::InvalidArgumentError);
  EXPECT_THROW(tx->commit(), roserocket::InvalidArgumentError);
  // After a release the lease is gone.
  store.release("s");
  EXPECT_THROW(store.begin("s"), rsync::LeaseNotHeldError);
  store.release("s");  // no effect when not held
  EXPECT_THROW(store.load(""), roserocket::InvalidArgumentError);
  EXPECT_THROW(store.try_acquire(""), roserocket::InvalidArgumentError);

  // A transaction of another kind of store is refused by name.
  struct OtherTransaction : rsync::CheckpointTransaction {
    void save(const std::string& /*checkpoint*/) override {}
    void commit() override {}
  } other;
  try {
    rsync::PostgresTransaction::from(other);
    ADD_FAILURE() << "another store's transaction was taken";
  } catch (const roserocket::InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("not a PostgresTransaction"), std::string::npos);
  }
}

TEST(PostgresStore, LeaseIsExclusiveBetweenTwoStores) {
  const std::string table = own_table();
  PostgresCheckpointStore a(conninfo(), with_table(table));
  PostgresCheckpointStore b(conninfo(), with_table(table));
  EXPECT_TRUE(a.try_acquire("erp-orders"));
  EXPECT_TRUE(a.try_acquire("erp-orders"));  // held already: still true
  EXPECT_TRUE(a.holds("erp-orders"));
  EXPECT_FALSE(b.try_acquire("erp-orders"));
  EXPECT_FALSE(b.holds("erp-orders"));
  EXPECT_THROW(b.begin("erp-orders"), rsync::LeaseNotHeldError);
  // Other streams are other leases.
  EXPECT_TRUE(b.try_acquire("erp-invoices"));
  EXPECT_FALSE(a.try_acquire("erp-invoices"));
  // Taken twice by a, released once: free (a lease is not counted).
  a.release("erp-orders");
  EXPECT_FALSE(a.holds("erp-orders"));
  EXPECT_TRUE(b.try_acquire("erp-orders"));
  EXPECT_FALSE(a.try_acquire("erp-orders"));
  // The lock is the stated key, seen by the server as held by b's session.
  const std::int64_t key = PostgresCheckpointStore::lease_key(table, "erp-orders");
  EXPECT_EQ(sql_one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                    "AND ((classid::bigint << 32) | objid::bigint) = " +
                    std::to_string(key)),
            "1");
}

TEST(PostgresStore, LeaseKeyIsFnv1aOfTableAndStream) {
  // FNV-1a 64 of "roserocket_checkpoints:erp-orders" as a signed 64-bit value (computed apart).
  EXPECT_EQ(PostgresCheckpointStore::lease_key("roserocket_checkpoints", "erp-orders"),
            -8079426998979445691LL);
  EXPECT_NE(PostgresCheckpointStore::lease_key("a", "b"),
            PostgresCheckpointStore::lease_key("b", "a"));
}

TEST(PostgresStore, LeaseIsFreedWhenTheHolderIsKilled) {
  const std::string table = own_table();
  PostgresCheckpointStore setup(conninfo(), with_table(table));
  WorkerProcess holder({"hold", conninfo(), table, "erp-orders"});
  ASSERT_GT(holder.pid, 0);
  ASSERT_EQ(holder.line(), "held");
  PostgresCheckpointStore other(conninfo(), with_table(table));
  EXPECT_FALSE(other.try_acquire("erp-orders"));
  holder.kill_hard();
  // The server frees the lock when it sees the dead process's connection close.
  EXPECT_TRUE(acquire_within(other, "erp-orders", std::chrono::seconds(60)));
  EXPECT_TRUE(other.holds("erp-orders"));
}

TEST(PostgresStore, LostConnectionIsAClearErrorAndTheLeaseIsLost) {
  const std::string table = own_table();
  PostgresCheckpointStore victim(conninfo("application_name=rr_victim_1"), with_table(table));
  PostgresCheckpointStore other(conninfo(), with_table(table));
  ASSERT_TRUE(victim.try_acquire("erp-orders"));
  terminate_sessions("rr_victim_1");
  // holds() asks the server: false, never a stale true.
  EXPECT_FALSE(victim.holds("erp-orders"));
  EXPECT_THROW(victim.begin("erp-orders"), rsync::LeaseNotHeldError);
  EXPECT_TRUE(acquire_within(other, "erp-orders", std::chrono::seconds(60)));
  // The victim connects again on its next call and finds the lease taken.
  EXPECT_FALSE(victim.try_acquire("erp-orders"));
  EXPECT_EQ(victim.load("erp-orders"), std::nullopt);

  // Lost between calls: the next call says so, naming the lease.
  PostgresCheckpointStore second(conninfo("application_name=rr_victim_2"), with_table(table));
  ASSERT_TRUE(second.try_acquire("erp-invoices"));
  terminate_sessions("rr_victim_2");
  try {
    second.load("erp-invoices");
    ADD_FAILURE() << "a lost connection went unnoticed";
  } catch (const rsync::PostgresConnectionError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("connection to PostgreSQL was lost"), std::string::npos) << what;
    EXPECT_NE(what.find("lease on 'erp-invoices' is lost"), std::string::npos) << what;
    EXPECT_EQ(what.find(rr_pg_test::kPassword), std::string::npos) << what;
  }
  EXPECT_FALSE(second.holds("erp-invoices"));
  EXPECT_TRUE(second.try_acquire("erp-invoices"));  // free: nobody took it meanwhile
}

TEST(PostgresStore, LostConnectionDuringATransactionCommitsNothing) {
  const std::string table = own_table();
  const std::string rows = table + "_rows";
  sql("CREATE TABLE " + rows + " (id text primary key)");
  PostgresCheckpointStore store(conninfo("application_name=rr_victim_3"), with_table(table));
  ASSERT_TRUE(store.try_acquire("s"));
  auto tx = store.begin_transaction("s");
  tx->exec("INSERT INTO " + rows + " (id) VALUES ('ord-1')");
  tx->save("after-ord-1");
  terminate_sessions("rr_victim_3");
  EXPECT_THROW(tx->commit(), rsync::PostgresConnectionError);
  // The transaction object stays refused; the store connects again.
  EXPECT_THROW(tx->save("again"), roserocket::InvalidArgumentError);
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + rows), "0");
  EXPECT_EQ(store.load("s"), std::nullopt);
  EXPECT_THROW(store.begin("s"), rsync::LeaseNotHeldError);
  EXPECT_TRUE(store.try_acquire("s"));
  tx.reset();  // its destructor leaves the new connection alone
  auto next = store.begin_transaction("s");
  next->save("after-reconnect");
  next->commit();
  EXPECT_EQ(store.load("s"), "after-reconnect");
}

TEST(PostgresStore, BadConnectionStringsAreClearErrorsWithoutThePassword) {
  const std::string secret = "Wr0ng-Secret-9931";
  // Unreadable: libpq's own message repeats the whole URI; the password is masked in it.
  try {
    PostgresCheckpointStore store("postgresql://rr_test:" + secret + "@[::1/postgres");
    ADD_FAILURE() << "a malformed URI was accepted";
  } catch (const roserocket::InvalidArgumentError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("connection string cannot be read"), std::string::npos) << what;
    EXPECT_NE(what.find("IPv6"), std::string::npos) << what;
    EXPECT_EQ(what.find(secret), std::string::npos) << what;
  }
  try {
    PostgresCheckpointStore store("host=/tmp password=" + secret + " bogus_option=1");
    ADD_FAILURE() << "an unknown option was accepted";
  } catch (const roserocket::InvalidArgumentError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bogus_option"), std::string::npos) << what;
    EXPECT_EQ(what.find(secret), std::string::npos) << what;
  }
  // The wrong password: the server refuses the login.
  try {
    PostgresCheckpointStore store("host=" + pg_cluster->dir() +
                                  " port=5432 dbname=postgres user=rr_test password=" + secret);
    ADD_FAILURE() << "a wrong password was accepted";
  } catch (const rsync::PostgresConnectionError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("password authentication failed"), std::string::npos) << what;
    EXPECT_EQ(what.find(secret), std::string::npos) << what;
  }
  // Nobody listening.
  try {
    PostgresCheckpointStore store("postgresql://rr_test:" + secret +
                                  "@/postgres?host=/nonexistent-rr-dir&connect_timeout=5");
    ADD_FAILURE() << "a missing server was reached";
  } catch (const rsync::PostgresConnectionError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot connect to PostgreSQL"), std::string::npos) << what;
    EXPECT_NE(what.find("/nonexistent-rr-dir"), std::string::npos) << what;
    EXPECT_EQ(what.find(secret), std::string::npos) << what;
  }
  // A table name that is not a plain identifier.
  try {
    PostgresCheckpointStore store(conninfo(), with_table("cp; DROP TABLE x"));
    ADD_FAILURE() << "an unusable table name was accepted";
  } catch (const roserocket::InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("table name"), std::string::npos) << e.what();
  }
  // A URI with the password is used as it is when right.
  PostgresCheckpointStore ok(std::string("postgresql://rr_test:") + rr_pg_test::kPassword +
                                 "@/postgres?host=" + pg_cluster->dir(),
                             with_table(own_table()));
  EXPECT_EQ(ok.load("s"), std::nullopt);
}

TEST(PostgresStore, SchemaQualifiedTable) {
  sql("CREATE SCHEMA IF NOT EXISTS rr_sync");
  PostgresCheckpointStore store(conninfo(), with_table("rr_sync.checkpoints"));
  ASSERT_TRUE(store.try_acquire("s"));
  auto tx = store.begin("s");
  tx->save("v");
  tx->commit();
  EXPECT_EQ(sql_one("SELECT checkpoint FROM rr_sync.checkpoints WHERE stream = 's'"), "v");
}

TEST(PostgresStore, WorksWithRightsOnTheTableAlone) {
  // A worker's role that may not create tables (PostgreSQL 15: nobody but the owner creates in
  // the public schema) uses a table made for it.
  const std::string table = own_table();
  sql("CREATE TABLE " + table +
      " (stream text primary key, checkpoint text not null, updated_at timestamptz not null "
      "default now())");
  sql("CREATE ROLE rr_table_only LOGIN PASSWORD 'Table-Only-Pass-55'");
  sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  sql("GRANT SELECT, INSERT, UPDATE ON " + table + " TO rr_table_only");
  PostgresCheckpointStore store("host=" + pg_cluster->dir() +
                                    " port=5432 dbname=postgres user=rr_table_only "
                                    "password=Table-Only-Pass-55",
                                with_table(table));
  ASSERT_TRUE(store.try_acquire("s"));
  auto tx = store.begin("s");
  tx->save("one");
  tx->commit();
  EXPECT_EQ(store.load("s"), "one");
  EXPECT_TRUE(store.holds("s"));
}

// The ```cpp blocks of docs/postgresql-store.md, compiled here and run below.

// One worker of several: the lease makes it the only consumer of "erp-orders" until it stops.
void sync_orders_once(const std::string& conninfo) {
  roserocket::sync::PostgresCheckpointStore store(conninfo);
  if (!store.try_acquire("erp-orders"))
    return;  // another worker consumes the stream; try again later
  const std::string resume_after = store.load("erp-orders").value_or("");  // "" at the start
  auto tx = store.begin_transaction("erp-orders");
  tx->exec("INSERT INTO erp_orders (id, version) VALUES ($1, $2)", {"ord-1", "3"});
  tx->save(resume_after + "after ord-1 v3");
  tx->commit();  // the row and the checkpoint become durable together, or neither does
}

// A handler that was given the stream's transaction as the interface writes its rows in it.
void write_order(const std::string& id, roserocket::sync::CheckpointTransaction& transaction) {
  auto& tx = roserocket::sync::PostgresTransaction::from(transaction);
  tx.exec("INSERT INTO erp_orders (id, version) VALUES ($1, 1)", {id});
}

TEST(PostgresStore, DocsSnippetsAreHereAndRun) {
  const std::string root = ROSEROCKET_SOURCE_DIR;
  const std::string self = rr_test::squash_spaces(
      rr_test::read_text(root + "/tests/postgresql/postgres_store_test.cpp"));
  const std::string guide = rr_test::read_text(root + "/docs/postgresql-store.md");
  ASSERT_FALSE(guide.empty());
  int blocks = 0;
  for (const std::string& block : rr_test::fenced_blocks(guide, "cpp")) {
    ++blocks;
    EXPECT_NE(self.find(rr_test::squash_spaces(block)), std::string::npos)
        << "docs/postgresql-store.md block " << blocks << " is not in this file";
  }
  EXPECT_GE(blocks, 2);

  sql("CREATE TABLE IF NOT EXISTS erp_orders (id text primary key, version int not null)");
  sync_orders_once(conninfo());
  EXPECT_EQ(sql_one("SELECT version FROM erp_orders WHERE id = 'ord-1'"), "3");
  PostgresCheckpointStore store(conninfo());
  EXPECT_EQ(store.load("erp-orders"), "after ord-1 v3");
  ASSERT_TRUE(store.try_acquire("erp-orders"));
  auto tx = store.begin("erp-orders");
  write_order("ord-2", *tx);
  tx->save("after ord-2 v1");
  tx->commit();
  EXPECT_EQ(sql_one("SELECT count(*) FROM erp_orders"), "2");
}

// Issue 25, item 5 (the PostgreSQL half, on a synthetic sequence until the change stream is
// merged): two workers share one lease; the one consuming is SIGKILLed at a random point; the
// other takes over, and the user's table holds every item exactly once.
TEST(PostgresTwoWorkers, HolderKilledTheOtherTakesOverAndEachItemIsWrittenOnce) {
  const std::string table = own_table();
  const std::string items = table + "_items";
  const long n = 400;
  sql("CREATE TABLE " + items + " (item int not null, worker int not null)");
  PostgresCheckpointStore observer(conninfo(), with_table(table));

  std::random_device seed_source;
  const unsigned seed = seed_source();
  std::mt19937 random(seed);
  const long kill_after = std::uniform_int_distribution<long>(20, n / 2)(random);
  std::printf("seed %u: the holder is killed once the checkpoint reaches %ld of %ld\n", seed,
              kill_after, n);

  const std::vector<std::string> args = {"consume", conninfo(),        table, "erp-orders",
                                         items,     std::to_string(n), "3"};
  WorkerProcess a(args);
  WorkerProcess b(args);
  ASSERT_GT(a.pid, 0);
  ASSERT_GT(b.pid, 0);

  // Wait for the checkpoint to pass the kill point (bounded), then kill whichever consumes.
  long checkpoint = 0;
  for (int i = 0; i < 6000 && checkpoint < kill_after; ++i) {
    const auto saved = observer.load("erp-orders");
    checkpoint = saved ? std::stol(*saved) : 0;
    if (checkpoint < kill_after)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_GE(checkpoint, kill_after) << "the workers did not get that far";
  ASSERT_LT(checkpoint, n) << "the run ended before the kill; raise n";
  const std::string holder_pid =
      sql_one("SELECT worker FROM " + items + " ORDER BY item DESC LIMIT 1");
  WorkerProcess& holder = std::to_string(a.pid) == holder_pid ? a : b;
  WorkerProcess& survivor = &holder == &a ? b : a;
  ASSERT_EQ(std::to_string(holder.pid), holder_pid);
  const pid_t survivor_pid = survivor.pid;
  holder.kill_hard();

  EXPECT_EQ(survivor.wait_exit(std::chrono::seconds(120)), 0);
  const std::string last_of_holder =
      sql_one("SELECT max(item) FROM " + items + " WHERE worker = " + holder_pid);
  std::printf("the killed holder's last committed item: %s\n", last_of_holder.c_str());
  EXPECT_EQ(observer.load("erp-orders"), std::to_string(n));
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + items), std::to_string(n));
  EXPECT_EQ(sql_one("SELECT count(DISTINCT item) FROM " + items), std::to_string(n));
  EXPECT_EQ(sql_one("SELECT min(item) || '-' || max(item) FROM " + items),
            "1-" + std::to_string(n));
  // The survivor wrote the rest, from right after the killed holder's last commit.
  EXPECT_EQ(
      sql_one("SELECT min(item) FROM " + items + " WHERE worker = " + std::to_string(survivor_pid)),
      std::to_string(std::stol(last_of_holder) + 1));
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + items + " WHERE worker NOT IN (" + holder_pid + ", " +
                    std::to_string(survivor_pid) + ")"),
            "0");
}

// Issue 25, item 5, second half: two workers (lease_worker stream) follow one real change stream
// of orders against the emulator, sharing one lease; while a writer changes 1,000 of 10,000
// orders behind a 2 s search lag, the one holding the lease is killed with SIGKILL at a random
// point. The handler's row (id, version, worker) commits with the checkpoint, so the table must
// end with every order and every changed order's final version exactly once, the survivor's rows
// all after the killed holder's.
TEST(PostgresStreamSoak, TwoWorkersShareALeaseTheHolderIsKilledEachVersionIsWrittenOnce) {
  const auto started = std::chrono::steady_clock::now();
  const unsigned seed = rr_soak::run_seed();
  std::mt19937 random(seed);
  const long kill_at = std::uniform_int_distribution<long>(200, 9000)(random);
  std::printf(
      "seed %u (RR_SOAK_SEED=%u replays the choices): the holder is killed after %ld rows\n", seed,
      seed, kill_at);
  // Short names of its own (own_table() would be cut at 63 characters, the rows table with it).
  const std::string table = "cp_stream_soak";
  const std::string rows = "stream_soak_rows";
  sql("CREATE TABLE " + rows +
      " (n bigserial PRIMARY KEY, id text NOT NULL, version bigint NOT NULL, worker int NOT NULL)");

  rr_emulator::Emulator emulator(rr_soak::emulator_options());
  emulator.start();
  const auto ids = rr_soak::seed_orders(emulator);
  rr_test::ChangeWriter writer(rr_test::emulator_demo_client(emulator.base_url()), ids,
                               rr_soak::writer_options(seed));
  writer.start();

  const std::vector<std::string> args = {"stream",
                                         conninfo(),
                                         table,
                                         "soak-orders",
                                         rows,
                                         emulator.base_url(),
                                         std::to_string(rr_soak::kOverlap.count())};
  rr_test::ChildProcess a(rr_pg_test::lease_worker, args);
  rr_test::ChildProcess b(rr_pg_test::lease_worker, args);
  ASSERT_GT(a.pid(), 0);
  ASSERT_GT(b.pid(), 0);
  auto count_rows = [&] { return std::stol(sql_one("SELECT count(*) FROM " + rows)); };
  for (int i = 0; i < 12000 && count_rows() < kill_at; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(count_rows(), kill_at) << "the workers did not get that far";
  const std::string holder_pid = sql_one("SELECT worker FROM " + rows + " ORDER BY n DESC LIMIT 1");
  rr_test::ChildProcess& holder = std::to_string(a.pid()) == holder_pid ? a : b;
  rr_test::ChildProcess& survivor = &holder == &a ? b : a;
  ASSERT_EQ(std::to_string(holder.pid()), holder_pid);
  const std::string survivor_pid = std::to_string(survivor.pid());
  holder.kill_hard();
  std::printf("killed the holder after %s rows, %zu updates made\n",
              sql_one("SELECT count(*) FROM " + rows).c_str(), writer.updates_made());

  writer.wait();
  // Everything written is searchable once the lag has passed; the survivor's polls catch up.
  std::this_thread::sleep_for(rr_soak::kSearchLag + std::chrono::milliseconds(500));
  const auto finals = writer.final_versions();
  std::set<std::string> missing;
  for (int i = 0; i < 600; ++i) {
    std::set<std::string> written;
    for (const auto& line : sql("SELECT id || ' ' || version FROM " + rows))
      written.insert(line);
    std::set<std::string> written_ids;
    for (const auto& line : written)
      written_ids.insert(line.substr(0, line.find(' ')));
    missing.clear();
    for (const auto& id : ids) {
      if (written_ids.count(id) == 0)
        missing.insert("order " + id);
    }
    for (const auto& [id, version] : finals) {
      if (written.count(id + " " + std::to_string(version)) == 0)
        missing.insert("order " + id + " at its final version " + std::to_string(version));
    }
    if (missing.empty())
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " missing, the first: " << *missing.begin();
  survivor.kill_hard();

  // Exactly once per (id, version): the row commits with the checkpoint.
  EXPECT_EQ(sql_one("SELECT count(*) - count(DISTINCT (id, version)) FROM " + rows), "0");
  // The survivor took over, after the holder's last commit; nobody else wrote.
  EXPECT_NE(sql_one("SELECT count(*) FROM " + rows + " WHERE worker = " + survivor_pid), "0");
  EXPECT_EQ(sql_one("SELECT (SELECT max(n) FROM " + rows + " WHERE worker = " + holder_pid +
                    ") < (SELECT min(n) FROM " + rows + " WHERE worker = " + survivor_pid + ")"),
            "t");
  EXPECT_EQ(sql_one("SELECT count(*) FROM " + rows + " WHERE worker NOT IN (" + holder_pid + ", " +
                    survivor_pid + ")"),
            "0");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "soak (PostgreSQL store): %d orders, %zu updates of %zu orders (%zu several times), search "
      "lag %lld ms, overlap %lld ms, 2 workers, 1 kill, %s rows (%s by the killed holder), %s "
      "repeats, %.1f s\n",
      rr_soak::kOrders, writer.updates_made(), finals.size(), writer.changed_several_times(),
      static_cast<long long>(rr_soak::kSearchLag.count()),
      static_cast<long long>(rr_soak::kOverlap.count()),
      sql_one("SELECT count(*) FROM " + rows).c_str(),
      sql_one("SELECT count(*) FROM " + rows + " WHERE worker = " + holder_pid).c_str(),
      sql_one("SELECT count(*) - count(DISTINCT (id, version)) FROM " + rows).c_str(), seconds);
  emulator.stop();
}
