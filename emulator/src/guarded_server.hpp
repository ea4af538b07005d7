#pragma once

// An httplib::Server that bounds what one connection may cost: the request head must arrive
// whole within a deadline and a size limit (a slow or endless head cannot hold a worker or fill
// memory), and each read of a request has a deadline too.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <httplib.h>

namespace rr_emulator::detail {

/// @brief The limits one connection lives under.
struct ConnectionLimits {
  /// Request line plus header fields, bytes.
  std::size_t max_head_bytes = 64 * 1024;
  /// Time for a whole request head to arrive.
  std::chrono::milliseconds head_deadline{5000};
  /// Bytes one request (head and body, with chunk framing) may take; reading stops past it.
  /// httplib limits a body with Content-Length itself, but not a chunked one.
  std::size_t max_request_bytes = 64 * 1024 + 16 * 1024 * 1024;
  /// Time for one whole request (head and body) to be read.
  std::chrono::milliseconds request_deadline{30000};
  /// Idle time allowed between kept-alive requests.
  std::chrono::milliseconds keep_alive_idle{5000};
  /// Requests served on one connection.
  std::size_t keep_alive_max = 100000;
};

/// @brief An httplib::Server serving every connection under @p limits; bodies are limited with
/// httplib's own set_payload_max_length. Thread safety as httplib::Server.
class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits) : limits_(limits) {}

  /// @brief Parses and answers @p request (raw HTTP/1.1 bytes) as a connection would, without
  /// a socket; returns the bytes written back. For the fuzz harness and tests.
  std::string serve_bytes(std::string_view request);

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits for the next request on a kept-alive connection: false when idle too long or stopping.
  bool wait_for_request(socket_t sock) const;

  ConnectionLimits limits_;
};

}  // namespace rr_emulator::detail
