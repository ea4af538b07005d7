// Retry-After: any value parses to nothing or a non-negative delay, for any "now".
#include <chrono>
#include <cstdint>
#include <string_view>

#include "roserocket/retry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::int64_t seconds = 1700000000;
  if (size >= 4) {
    seconds = static_cast<std::int64_t>(data[0]) << 24 | data[1] << 16 | data[2] << 8 | data[3];
    data += 4;
    size -= 4;
  }
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
  const auto delay = roserocket::parse_retry_after(
      std::string_view(reinterpret_cast<const char*>(data), size), now);
  if (delay && delay->count() < 0)
    __builtin_trap();
  return 0;
}
