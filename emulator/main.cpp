// rr-emulator: runs the local Rose Rocket emulator until SIGINT or SIGTERM.

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <pthread.h>

#include "rr_emulator/emulator.hpp"
#include "rr_emulator/pacing.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: rr-emulator [options]\n"
         "  --host HOST            address to listen on (default 127.0.0.1)\n"
         "  --port PORT            port to listen on; 0 picks a free one (default 0)\n"
         "  --client-id ID         OAuth client id (default "
      << rr_emulator::kDemoClientId
      << ")\n"
         "  --client-secret SECRET OAuth client secret (default "
      << rr_emulator::kDemoClientSecret
      << ")\n"
         "  --client-public-key FILE  PEM public key of the client: allows private_key_jwt\n"
         "  --token-ttl SECONDS    access token lifetime (default 3600)\n"
         "  --data FILE            keep records in FILE across restarts\n"
         "  --latency-ms MS        add MS milliseconds to every /api request (default 0)\n"
         "  --rate-limit N         at most N /api requests a second, 429 + Retry-After beyond\n"
         "                         (default 0: no limit)\n"
         "  --help                 show this help\n"
         "Prints 'listening on http://HOST:PORT' once ready; stops on SIGINT or SIGTERM.\n";
}

bool parse_int(const std::string& text, long min, long max, long& out) {
  try {
    std::size_t used = 0;
    out = std::stol(text, &used);
    return used == text.size() && out >= min && out <= max;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  rr_emulator::Options options;
  int latency_ms = 0;
  double rate_limit = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "rr-emulator: " << arg
                << (arg.rfind("--", 0) == 0 ? " needs a value\n" : ": unknown argument\n");
      usage(std::cerr);
      return 2;
    }
    const std::string value = argv[++i];
    long number = 0;
    if (arg == "--host") {
      options.host = value;
    } else if (arg == "--port") {
      if (!parse_int(value, 0, 65535, number)) {
        std::cerr << "rr-emulator: --port must be a number from 0 to 65535\n";
        return 2;
      }
      options.port = static_cast<int>(number);
    } else if (arg == "--client-id") {
      options.client_id = value;
    } else if (arg == "--client-secret") {
      options.client_secret = value;
    } else if (arg == "--client-public-key") {
      std::ifstream in(value);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in || text.str().empty()) {
        std::cerr << "rr-emulator: cannot read --client-public-key " << value << "\n";
        return 2;
      }
      options.client_public_key_pem = text.str();
    } else if (arg == "--token-ttl") {
      if (!parse_int(value, 1, 365L * 24 * 3600, number)) {
        std::cerr << "rr-emulator: --token-ttl must be a positive number of seconds\n";
        return 2;
      }
      options.token_ttl = std::chrono::seconds(number);
    } else if (arg == "--latency-ms") {
      if (!parse_int(value, 0, 600000, number)) {
        std::cerr << "rr-emulator: --latency-ms must be a number from 0 to 600000\n";
        return 2;
      }
      latency_ms = static_cast<int>(number);
    } else if (arg == "--rate-limit") {
      if (!parse_int(value, 0, 1000000, number)) {
        std::cerr << "rr-emulator: --rate-limit must be a number of requests per second\n";
        return 2;
      }
      rate_limit = static_cast<double>(number);
    } else if (arg == "--data") {
      options.data_file = value;
    } else {
      std::cerr << "rr-emulator: unknown option " << arg << "\n";
      usage(std::cerr);
      return 2;
    }
  }

  // Block the stop signals before any thread starts, then wait for them synchronously: no
  // async-signal-safety concerns, and every server thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // A client that hangs up mid-answer must not kill the emulator.
  std::signal(SIGPIPE, SIG_IGN);

  rr_emulator::Emulator emulator(options);
  try {
    emulator.start();
    if (latency_ms > 0 || rate_limit > 0)
      rr_emulator::set_pacing(emulator, latency_ms, rate_limit);
  } catch (const std::exception& e) {
    std::cerr << "rr-emulator: " << e.what() << "\n";
    return 1;
  }
  std::cout << "listening on " << emulator.base_url() << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  emulator.stop();
  return 0;
}
