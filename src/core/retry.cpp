#include "roserocket/retry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <string>
#include <thread>

#include "platform/platform.hpp"

namespace roserocket {

bool is_retryable_status(int status, Idempotency idempotency) noexcept {
  switch (status) {
    // The server refused before acting: safe to send again, even a create.
    case 408:
    case 429:
    case 503:
      return true;
    // The server may have acted: only requests that are safe to repeat.
    case 500:
    case 502:
    case 504:
      return idempotency == Idempotency::kIdempotent;
    default:
      return false;
  }
}

namespace {

// The longest delay a Retry-After is read as (about 31 years): far beyond any retry budget, yet
// small enough that adding it to a steady-clock time cannot overflow.
constexpr std::chrono::milliseconds kLongestRetryAfter{std::int64_t{999999999} * 1000};

// IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"), the form RFC 9110 requires senders to use.
std::optional<std::time_t> parse_http_date(std::string_view value) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (value.size() != 29 || value.substr(25) != " GMT" || value[3] != ',')
    return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> int {
    int n = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(value[i])))
        return -1;
      n = n * 10 + (value[i] - '0');
    }
    return n;
  };
  std::tm tm{};
  tm.tm_mday = number(5, 2);
  const std::string_view month = value.substr(8, 3);
  tm.tm_mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (month == kMonths[i])
      tm.tm_mon = i;
  }
  tm.tm_year = number(12, 4) - 1900;
  tm.tm_hour = number(17, 2);
  tm.tm_min = number(20, 2);
  tm.tm_sec = number(23, 2);
  if (tm.tm_mday < 1 || tm.tm_mon < 0 || tm.tm_year < 0 || tm.tm_hour < 0 || tm.tm_min < 0 ||
      tm.tm_sec < 0 || value[19] != ':' || value[22] != ':') {
    return std::nullopt;
  }
  const std::time_t seconds = detail::platform::utc_seconds(tm);
  if (seconds == static_cast<std::time_t>(-1))
    return std::nullopt;
  return seconds;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ')
    value.remove_suffix(1);
  if (value.empty())
    return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (value.size() > 9)
      return kLongestRetryAfter;
    return std::chrono::seconds(std::stol(std::string(value)));
  }
  auto when = parse_http_date(value);
  if (!when)
    return std::nullopt;
  // In whole seconds since the epoch, where no date up to 9999 overflows: time points in
  // nanoseconds end in 2262, and a later date once wrapped into the past (a 0 ms delay).
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::int64_t at_s = static_cast<std::int64_t>(*when);
  const std::int64_t now_s = now_ms / 1000 - (now_ms % 1000 < 0 ? 1 : 0);
  if (at_s <= now_s)
    return std::chrono::milliseconds(0);
  if (at_s - now_s > kLongestRetryAfter.count() / 1000)
    return kLongestRetryAfter;
  const std::int64_t delay_ms = at_s * 1000 - now_ms;
  return std::chrono::milliseconds(delay_ms > 0 ? delay_ms : 0);
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt,
                                        double unit_random) noexcept {
  const double base = static_cast<double>(policy.initial_backoff.count()) *
                      std::pow(policy.multiplier, std::max(0, attempt - 1));
  const double capped = std::min(base, static_cast<double>(policy.max_backoff.count()));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  // Keep (1 - jitter) of the delay fixed and draw the rest at random.
  const double delay = capped * (1.0 - jitter) + capped * jitter * r;
  return std::chrono::milliseconds(static_cast<std::int64_t>(delay));
}

Clock Clock::real() {
  Clock c;
  c.steady_now = [] { return std::chrono::steady_clock::now(); };
  c.system_now = [] { return std::chrono::system_clock::now(); };
  c.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  c.interruptible_sleep = [](std::chrono::milliseconds d, const CancellationToken& token) {
    return token.wait_for(d);
  };
  return c;
}

}  // namespace roserocket
