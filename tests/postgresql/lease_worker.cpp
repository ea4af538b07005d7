// A worker of the PostgreSQL store's tests, run as a child process (so that a test can SIGKILL it).
//   lease_worker hold CONNINFO TABLE STREAM
//     takes STREAM's lease (waiting for it), prints "held", then sleeps until killed.
//   lease_worker consume CONNINFO TABLE STREAM ITEMS_TABLE N DELAY_MS
//     takes STREAM's lease (waiting for it), prints "held", then consumes the items after the
//     checkpoint up to N: for each, in one transaction, a row (item, this process's id) in
//     ITEMS_TABLE and the checkpoint = the item; DELAY_MS between items. Exits 0 at N.
// Exit status 2 for bad arguments, 3 for an error (printed to stderr).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include "roserocket/sync/postgres_store.hpp"

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

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!((mode == "hold" && argc == 5) || (mode == "consume" && argc == 8))) {
    std::fprintf(stderr,
                 "usage: lease_worker hold CONNINFO TABLE STREAM\n"
                 "       lease_worker consume CONNINFO TABLE STREAM ITEMS_TABLE N DELAY_MS\n");
    return 2;
  }
  try {
    sync::PostgresCheckpointStoreOptions options;
    options.table = argv[3];
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
