#include "roserocket/version.hpp"

#include <string>

#include "platform/platform.hpp"

namespace roserocket {

std::string version() {
  return ROSEROCKET_VERSION_STRING;
}

std::string default_user_agent() {
  static const std::string agent = [] {
    const std::string os = detail::platform::os_description();
#if defined(__clang__)
    const std::string compiler =
        "clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__);
#elif defined(__GNUC__)
    const std::string compiler =
        "gcc " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__);
#elif defined(_MSC_VER)
    const std::string compiler = "msvc " + std::to_string(_MSC_VER);
#else
    const std::string compiler = "unknown-compiler";
#endif
    return "roserocket-cpp/" + version() + " (" + os + "; " + compiler + ")";
  }();
  return agent;
}

}  // namespace roserocket
