#pragma once

/// @file
/// @brief The SDK's version, as compiled into the library.

#include <string>

namespace roserocket {

/// @brief The SDK version, e.g. "0.1.0".
std::string version();

/// @brief The user agent the SDK sends: `roserocket-cpp/<version> (<os>; <compiler>)`.
std::string default_user_agent();

}  // namespace roserocket
