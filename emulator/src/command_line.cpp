// The emulator's command line, shared by rr-emulator and `rr emulator`.

#include "rr_emulator/command_line.hpp"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <pthread.h>

#include "rr_emulator/emulator.hpp"
#include "rr_emulator/pacing.hpp"

namespace rr_emulator {
namespace {

void usage(std::ostream& out, const std::string& program) {
  out << "usage: " << program
      << " [options]\n"
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
         "  --search-lag-ms MS     writes reach the search MS milliseconds after they happen\n"
         "                         (a GET by id sees them at once; default 0)\n"
         "  --timestamp-resolution-ms MS  round every createdAt/updatedAt down to a multiple\n"
         "                         of MS, so that writes close together share one (default 1)\n"
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

void print_command_line_usage(std::ostream& out, const std::string& program) {
  usage(out, program);
}

int run_command_line(const std::vector<std::string>& args, const std::string& program,
                     const std::string& error_prefix) {
  // One line per mistake, naming it; the usage is one --help away.
  const std::string prefix = error_prefix.empty() ? program + ": " : error_prefix;
  const std::string hint = " (" + program + " --help lists the options)\n";
  rr_emulator::Options options;
  int latency_ms = 0;
  double rate_limit = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      usage(std::cout, program);
      return 0;
    }
    static const char* const kTakesValue[] = {"--host",
                                              "--port",
                                              "--client-id",
                                              "--client-secret",
                                              "--client-public-key",
                                              "--token-ttl",
                                              "--data",
                                              "--latency-ms",
                                              "--rate-limit",
                                              "--search-lag-ms",
                                              "--timestamp-resolution-ms"};
    bool known = false;
    for (const char* name : kTakesValue)
      known = known || arg == name;
    if (!known) {
      std::cerr << prefix
                << (arg.rfind("-", 0) == 0 ? "unknown option " + arg
                                           : "unexpected argument '" + arg + "'")
                << hint;
      return 2;
    }
    if (i + 1 >= args.size()) {
      std::cerr << prefix << arg << " needs a value" << hint;
      return 2;
    }
    const std::string& value = args[++i];
    long number = 0;
    // Reads a number flag's value into `number`; says what it must be when it is not.
    const auto number_in = [&](long min, long max, const char* must_be) {
      if (parse_int(value, min, max, number))
        return true;
      std::cerr << prefix << arg << " must be " << must_be << "\n";
      return false;
    };
    if (arg == "--host") {
      options.host = value;
    } else if (arg == "--port") {
      if (!number_in(0, 65535, "a number from 0 to 65535"))
        return 2;
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
        std::cerr << prefix << "cannot read --client-public-key " << value << "\n";
        return 2;
      }
      options.client_public_key_pem = text.str();
    } else if (arg == "--token-ttl") {
      if (!number_in(1, 365L * 24 * 3600, "a positive number of seconds"))
        return 2;
      options.token_ttl = std::chrono::seconds(number);
    } else if (arg == "--latency-ms") {
      if (!number_in(0, 600000, "a number from 0 to 600000"))
        return 2;
      latency_ms = static_cast<int>(number);
    } else if (arg == "--rate-limit") {
      if (!number_in(0, 1000000, "a number of requests per second"))
        return 2;
      rate_limit = static_cast<double>(number);
    } else if (arg == "--search-lag-ms") {
      if (!number_in(0, 600000, "a number from 0 to 600000"))
        return 2;
      options.search_lag = std::chrono::milliseconds(number);
    } else if (arg == "--timestamp-resolution-ms") {
      if (!number_in(1, 3600000, "a number from 1 to 3600000"))
        return 2;
      options.timestamp_resolution = std::chrono::milliseconds(number);
    } else if (arg == "--data") {
      options.data_file = value;
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
    std::cerr << prefix << e.what() << "\n";
    return 1;
  }
  std::cout << "listening on " << emulator.base_url() << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  emulator.stop();
  return 0;
}

}  // namespace rr_emulator
