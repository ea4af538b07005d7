#pragma once

// A program run as a child process that a test can SIGKILL (POSIX only): fork, then exec at once.
// The argument vector is built before the fork, since a test process with threads (an in-process
// emulator) must not allocate in the child.

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace rr_test {

/// @brief One child process; killed (SIGKILL) and reaped when destroyed if still running.
class ChildProcess {
 public:
  /// @brief Starts @p program with @p args; its stdout and stderr are the test's.
  ChildProcess(const std::string& program, const std::vector<std::string>& args) {
    std::vector<std::string> all = {program};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : all)
      raw.push_back(a.data());
    raw.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execv(raw[0], raw.data());
      ::_exit(127);
    }
  }
  ~ChildProcess() { kill_hard(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// @brief The process id (-1 once reaped, or when the fork failed).
  [[nodiscard]] pid_t pid() const { return pid_; }

  /// @brief SIGKILL, then waits for it to be gone.
  void kill_hard() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  /// @brief The exit status once it ended within @p limit; -1 when it did not exit normally, -2
  /// when it was still running at the limit (it is killed then).
  int wait_exit(std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (pid_ > 0 && std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill_hard();
    return -2;
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace rr_test
