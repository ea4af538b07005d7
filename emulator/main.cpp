// rr-emulator: runs the local Rose Rocket emulator until SIGINT or SIGTERM. The options and the
// start-and-wait loop live in the library (rr_emulator/command_line.hpp), shared with `rr
// emulator`.

#include <string>
#include <vector>

#include "rr_emulator/command_line.hpp"

int main(int argc, char** argv) {
  return rr_emulator::run_command_line(std::vector<std::string>(argv + 1, argv + argc),
                                       "rr-emulator");
}
