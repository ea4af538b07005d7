// Calendar arithmetic without the C library: the proleptic Gregorian calendar for any year, the
// same on every platform (timegm is POSIX-only; Windows' _mkgmtime refuses years after 3000).
#pragma once

#include <cstdint>

namespace roserocket::detail {

/// Days from 1970-01-01 to the civil date @p y-@p m-@p d (month 1..12; H. Hinnant's algorithm).
/// A day past the month's end counts on into the next month, as timegm does.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);

}  // namespace roserocket::detail
