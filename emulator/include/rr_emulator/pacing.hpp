#pragma once

/// @file
/// @brief Pacing of a running emulator: latency on every API request and a rate limit.

#include "rr_emulator/emulator.hpp"

namespace rr_emulator {

/// @brief Sets the pacing of the running @p emulator, as `PUT /__emulator/pacing` does:
/// @p latency_ms is added to every platform API request (`/api/...`) before it is handled, and
/// beyond @p rate_limit_per_second requests a second (a token bucket holding one second's worth)
/// the answer is 429 with `Retry-After` in whole seconds. 0 turns each off; setting the rate
/// refills the bucket. Thread-safe; the rr-emulator flags `--latency-ms` and `--rate-limit` use it.
/// @throw std::invalid_argument for a latency outside 0..600000 or a negative rate;
/// std::runtime_error when the emulator does not answer.
void set_pacing(const Emulator& emulator, int latency_ms, double rate_limit_per_second);

}  // namespace rr_emulator
