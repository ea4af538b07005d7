#pragma once

// Runs the real rr executable as a child process (stdout and stderr apart, a chosen environment)
// for the command line's tests.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace rr_cli_test {

/// What a finished rr left: its exit code (-1 if killed) and its two outputs.
struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

/// The child's environment: PATH and the sanitizers' settings only, plus @p vars (so a
/// developer's RR_* never leak in).
inline std::vector<std::string> environment(const std::map<std::string, std::string>& vars) {
  std::vector<std::string> env;
  for (const char* name : {"PATH", "LD_LIBRARY_PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                           "LSAN_OPTIONS", "TSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name))
      env.push_back(std::string(name) + "=" + value);
  }
  for (const auto& [name, value] : vars)
    env.push_back(name + "=" + value);
  return env;
}

/// A started child with pipes to its stdin, stdout and stderr.
struct Child {
  pid_t pid = -1;
  int in = -1;
  int out = -1;
  int err = -1;
};

inline Child spawn(const std::string& exe, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& vars) {
  int in[2], out[2], err[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0)
    return {};
  std::vector<std::string> argv_strings{exe};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = environment(vars);
  std::vector<char*> argv, envp;
  for (auto& a : argv_strings)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
      ::close(fd);
    ::execve(exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  child.in = in[1];
  child.out = out[0];
  child.err = err[0];
  return child;
}

/// Runs @p exe with @p args to its end, feeding @p input on stdin.
inline RunResult run(const std::string& exe, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& vars,
                     const std::string& input = "") {
  RunResult result;
  Child child = spawn(exe, args, vars);
  if (child.pid <= 0)
    return result;
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = ::write(child.in, input.data() + written, input.size() - written);
    if (n <= 0)
      break;
    written += static_cast<std::size_t>(n);
  }
  ::close(child.in);
  pollfd fds[2] = {{child.out, POLLIN, 0}, {child.err, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  char buffer[65536];
  while (open > 0 && ::poll(fds, 2, -1) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

/// Ends a long-running child with SIGTERM, waits for it and closes its pipes (stdin must be closed
/// already). Its exit code, or -1 if a signal ended it.
inline int terminate(Child& child) {
  ::kill(child.pid, SIGTERM);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  ::close(child.out);
  ::close(child.err);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Reads one line of the child's stdout, waiting at most 20 s for it.
inline std::string read_line(int fd) {
  std::string line;
  char c = 0;
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 20000) > 0 && ::read(fd, &c, 1) == 1 && c != '\n')
    line += c;
  return line;
}

}  // namespace rr_cli_test
