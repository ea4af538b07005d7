#include "roserocket/retry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <string>
#include <thread>

#include "core/civil_time.hpp"

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
  const int day = number(5, 2);
  const std::string_view month_name = value.substr(8, 3);
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (month_name == kMonths[i])
      month = i + 1;
  }
  const int year = number(12, 4);
  const int hour = number(17, 2);
  const int minute = number(20, 2);
  const int second = number(23, 2);
  if (day < 1 || month < 1 || year < 1900 || hour < 0 || minute < 0 || second < 0 ||
      value[19] != ':' || value[22] != ':') {
    return std::nullopt;
  }
  // Four digits of year at most: far inside time_t's range on every platform.
  return static_cast<std::time_t>(detail::days_from_civil(year, month, day) * 86400 + hour * 3600 +
                                  minute * 60 + second);
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
