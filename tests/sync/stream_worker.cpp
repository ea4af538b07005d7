// A change stream consumer run as a child process by the soak tests (tests/sync/soak_test.cpp), so
// that a test can SIGKILL it at any point:
//   stream_worker follow|once BASE_URL CHECKPOINT_FILE OUTPUT_FILE OVERLAP_MS
// runs a sync::ChangeStream of orders ("soak-orders") against the emulator at BASE_URL, with a
// FileCheckpointStore at CHECKPOINT_FILE (no fsync: the test kills processes, not the machine).
// Its handler appends "ID VERSION\n" to OUTPUT_FILE in one write(2) before it returns, so that a
// line is in the file before the checkpoint that covers it is committed.
// follow: polls every 100 ms until killed. once: one pass (run_once), then prints
// "delivered N skipped M requests R" and exits 0.
// Exit status 2 for bad arguments, 3 for an error (printed to stderr).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "roserocket/roserocket.hpp"
#include "support/emulator_demo_client.hpp"

namespace {

namespace sync = roserocket::sync;

// Appends @p line with one write(2): a kill lands before it or after it, never inside.
void append_line(int fd, const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0)
      throw std::runtime_error("cannot write the output file");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc != 6 || (mode != "follow" && mode != "once")) {
    std::fprintf(stderr,
                 "usage: stream_worker follow|once BASE_URL CHECKPOINT_FILE OUTPUT_FILE "
                 "OVERLAP_MS\n");
    return 2;
  }
  try {
    const int out = ::open(argv[4], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (out < 0)
      throw std::runtime_error(std::string("cannot open ") + argv[4]);
    sync::ChangeStreamOptions options;
    options.object_key = "order";
    options.stream = "soak-orders";
    options.overlap = std::chrono::milliseconds(std::stol(argv[5]));
    options.page_size = 1000;
    options.poll_interval = std::chrono::milliseconds(100);
    auto store = std::make_shared<sync::FileCheckpointStore>(
        argv[3], sync::FileCheckpointStoreOptions{/*fsync=*/false});
    sync::ChangeStream stream(rr_test::emulator_demo_client(argv[2]), store, options);
    const auto handler = [out](const nlohmann::json& record, sync::CheckpointTransaction&) {
      append_line(out, record.at("id").get<std::string>() + " " +
                           std::to_string(record.at("version").get<long long>()) + "\n");
    };
    if (mode == "once") {
      const auto summary = stream.run_once(handler);
      std::printf("delivered %zu skipped %zu requests %zu\n", summary.delivered,
                  summary.repeats_skipped, summary.requests);
      return 0;
    }
    roserocket::CancellationSource never;
    stream.run(handler, never.token());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stream_worker: %s\n", e.what());
    return 3;
  }
}
