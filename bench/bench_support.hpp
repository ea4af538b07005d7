#pragma once

// What the benchmarks that talk to a separate process share: a child process (rr-emulator or
// nginx) and an rr-emulator started on a free port. Header-only; bench/ programs only.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bench {

// A child process, stopped with SIGTERM when this goes away.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv, const std::string& stdout_file = "") {
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!stdout_file.empty()) {
      posix_spawn_file_actions_addopen(&actions, 1, stdout_file.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    }
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
      throw std::runtime_error("cannot start " + argv[0]);
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  // Whether it is still running.
  bool alive() {
    int status = 0;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }

 private:
  pid_t pid_ = -1;
};

// rr-emulator running as a child process.
struct Emulator {
  std::unique_ptr<Child> child;
  std::string base_url;
};

// Starts rr-emulator (@p exe) on a free port with @p flags; its base URL is read from its first
// line of output.
inline Emulator start_emulator(const std::string& exe, const std::vector<std::string>& flags) {
  char dir_template[] = "/tmp/rr-bench-XXXXXX";
  const char* dir_made = mkdtemp(dir_template);
  if (dir_made == nullptr)
    throw std::runtime_error("cannot make a temporary directory");
  const std::string out = std::string(dir_made) + "/stdout";
  std::vector<std::string> argv{exe, "--port", "0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Emulator e;
  e.child = std::make_unique<Child>(argv, out);
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(out);
    std::string line;
    if (std::getline(in, line) && line.rfind("listening on ", 0) == 0) {
      e.base_url = line.substr(13);
      return e;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("rr-emulator did not start");
}

}  // namespace bench
