// A worker of the PostgreSQL store's tests, run as a child process (so that a test can SIGKILL it).
//   lease_worker hold CONNINFO TABLE STREAM
//     takes STREAM's lease (waiting for it), prints "held", then sleeps until killed.
//   lease_worker consume CONNINFO TABLE STREAM ITEMS_TABLE N DELAY_MS
//     takes STREAM's lease (waiting for it), prints "held", then consumes the items after the
//     checkpoint up to N: for each, in one transaction, a row (item, this process's id) in
//     ITEMS_TABLE and the checkpoint = the item; DELAY_MS between items. Exits 0 at N.
//   lease_worker stream CONNINFO TABLE STREAM ROWS_TABLE BASE_URL OVERLAP_MS
//     takes STREAM's lease (waiting for it), prints "held", then follows a real
//     sync::ChangeStream of orders against the emulator at BASE_URL (polling every 100 ms) until
//     killed; its handler inserts a row (id, version, this process's id) into ROWS_TABLE in the
//     transaction that commits the checkpoint.
// Exit status 2 for bad arguments, 3 for an error (printed to stderr).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>

#include "roserocket/roserocket.hpp"
#include "roserocket/sync/postgres_store.hpp"
#include "support/emulator_demo_client.hpp"

namespace {

namespace sync = roserocket::sync;

void take_lease(sync::PostgresCheckpointStore& store, const std::string& stream) {
  while (!store.try_acquire(stream))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::printf("held\n");
  std::fflush(stdout);
}

int consume(sync::PostgresCheckpointStore& store, const std::string& stream,
            const std::string& items, long n, long delay_ms) {
  take_lease(store, stream);
  const auto checkpoint = store.load(stream);
  const std::string me = std::to_string(::getpid());
  for (long item = checkpoint ? std::stol(*checkpoint) + 1 : 1; item <= n; ++item) {
    auto tx = store.begin_transaction(stream);
    tx->exec("INSERT INTO " + items + " (item, worker) VALUES ($1, $2)",
             {std::to_string(item), me});
    tx->save(std::to_string(item));
    tx->commit();
    if (delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  }
  return 0;
}

// The handler's row and the checkpoint commit together: a record is in ROWS_TABLE exactly when
// the checkpoint says it was handled, whenever this process is killed.
int stream(const std::shared_ptr<sync::PostgresCheckpointStore>& store, const std::string& name,
           const std::string& rows, const std::string& base_url, long overlap_ms) {
  take_lease(*store, name);
  sync::ChangeStreamOptions options;
  options.object_key = "order";
  options.stream = name;
  options.overlap = std::chrono::milliseconds(overlap_ms);
  options.page_size = 1000;
  options.poll_interval = std::chrono::milliseconds(100);
  sync::ChangeStream changes(rr_test::emulator_demo_client(base_url), store, options);
  const std::string me = std::to_string(::getpid());
  const std::string insert = "INSERT INTO " + rows + " (id, version, worker) VALUES ($1, $2, $3)";
  roserocket::CancellationSource never;
  changes.run(
      [&](const nlohmann::json& record, sync::CheckpointTransaction& tx) {
        sync::PostgresTransaction::from(tx).exec(
            insert, {record.at("id").get<std::string>(),
                     std::to_string(record.at("version").get<long long>()), me});
      },
      never.token());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!((mode == "hold" && argc == 5) || (mode == "consume" && argc == 8) ||
        (mode == "stream" && argc == 8))) {
    std::fprintf(stderr,
                 "usage: lease_worker hold CONNINFO TABLE STREAM\n"
                 "       lease_worker consume CONNINFO TABLE STREAM ITEMS_TABLE N DELAY_MS\n"
                 "       lease_worker stream CONNINFO TABLE STREAM ROWS_TABLE BASE_URL "
                 "OVERLAP_MS\n");
    return 2;
  }
  try {
    sync::PostgresCheckpointStoreOptions options;
    options.table = argv[3];
    if (mode == "stream") {
      auto shared = std::make_shared<sync::PostgresCheckpointStore>(argv[2], options);
      return stream(shared, argv[4], argv[5], argv[6], std::stol(argv[7]));
    }
    sync::PostgresCheckpointStore store(argv[2], options);
    if (mode == "hold") {
      take_lease(store, argv[4]);
      for (;;)
        ::pause();
    }
    return consume(store, argv[4], argv[5], std::stol(argv[6]), std::stol(argv[7]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lease_worker: %s\n", e.what());
    return 3;
  }
}
