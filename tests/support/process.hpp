#pragma once

// Runs a program as a separate process through the shell, for tests of the example executables.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace rr_test {

/// What a finished process left: its exit code (-1 if it did not exit normally) and its output.
struct ProcessResult {
  int exit_code = -1;
  std::string output;
};

/// Runs @p command with `sh -c`, collecting stdout and stderr together.
inline ProcessResult run_command(const std::string& command) {
  ProcessResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr)
    return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr)
    result.output += buffer.data();
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace rr_test
