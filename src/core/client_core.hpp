#pragma once

// Private: what every call of a client needs besides the request (options, URL prefix, user
// agent, jitter, the one place log records and observer events leave), shared by Client (its
// Impl is one) and the bulk engine (which builds its own from `Client::options()`).

#include <mutex>
#include <random>
#include <string>

#include "roserocket/client.hpp"

namespace roserocket::detail {

class ClientCore {
 public:
  // @p options must be normalised already (as `Client::options()` returns them).
  explicit ClientCore(ClientOptions options);

  ClientOptions options;
  std::string url_prefix;  // base_url + api_prefix
  std::string user_agent;

  double unit_random() const;
  // Sends one log record to the logger: the one place log records leave the client.
  void emit(LogRecord&& record) const;
  // Tells the observer that an attempt starts or ends.
  void observe(AttemptPhase phase, const RequestFields& fields) const;

 private:
  mutable std::mutex rng_mutex_;
  mutable std::mt19937_64 rng_;
};

}  // namespace roserocket::detail
