#pragma once

/// @file
/// @brief The SDK's version: compile-time macros (`ROSEROCKET_VERSION_MAJOR`, `_MINOR`, `_PATCH`,
/// `ROSEROCKET_VERSION_STRING`) and the version compiled into the library.
///
/// Compare `ROSEROCKET_VERSION_STRING` (the headers you compile with) with `version()` (the
/// library you run with) to detect a mismatched shared library.

#include <string>

#include "roserocket/export.hpp"
#include "roserocket/version_config.hpp"

namespace roserocket {

/// @brief The version of the library linked in, e.g. "1.0.0".
/// @return The library's version string. Safe to call from any thread.
ROSEROCKET_API std::string version();

/// @brief The user agent the SDK sends: `roserocket-cpp/<version> (<os>; <compiler>)`.
/// @return The user agent string. Safe to call from any thread.
ROSEROCKET_API std::string default_user_agent();

}  // namespace roserocket
