#include "pacing.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "rr_emulator/pacing.hpp"

namespace rr_emulator::detail {

Pacing::Pacing(int latency_ms, double rate_limit_per_second) {
  set(latency_ms, rate_limit_per_second);
}

void Pacing::set(int latency_ms, double rate_limit_per_second) {
  std::lock_guard<std::mutex> lock(mutex_);
  latency_ms_ = std::max(0, latency_ms);
  rate_ = rate_limit_per_second > 0 ? rate_limit_per_second : 0.0;
  tokens_ = rate_;  // a full bucket: one second's worth
  refilled_ = std::chrono::steady_clock::now();
}

int Pacing::latency_ms() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latency_ms_;
}

double Pacing::rate_limit() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rate_;
}

int Pacing::admit() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (rate_ <= 0)
    return 0;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - refilled_).count();
  refilled_ = now;
  tokens_ = std::min(rate_, tokens_ + elapsed * rate_);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return 0;
  }
  // Retry-After counts whole seconds: round the wait for the next token up, at least 1.
  const double wait = (1.0 - tokens_) / rate_;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

}  // namespace rr_emulator::detail

namespace rr_emulator {

void set_pacing(const Emulator& emulator, int latency_ms, double rate_limit_per_second) {
  if (latency_ms < 0 || latency_ms > 600000 || !(rate_limit_per_second >= 0)) {
    throw std::invalid_argument(
        "set_pacing: latency must be 0 to 600000 ms and the rate at least 0");
  }
  httplib::Client client(emulator.options().host, emulator.port());
  client.set_connection_timeout(5);
  const nlohmann::json body{{"latencyMs", latency_ms},
                            {"rateLimitPerSecond", rate_limit_per_second}};
  const auto result = client.Put("/__emulator/pacing", body.dump(), "application/json");
  if (!result || result->status != 200)
    throw std::runtime_error("set_pacing: the emulator did not accept the pacing");
}

}  // namespace rr_emulator
