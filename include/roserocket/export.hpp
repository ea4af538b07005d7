#pragma once

/// @file
/// @brief `ROSEROCKET_API`: marks the declarations the SDK's shared library exports.
///
/// The library is compiled with hidden visibility by default (`-fvisibility=hidden
/// -fvisibility-inlines-hidden`), so only classes and functions marked `ROSEROCKET_API` are part
/// of `libroserocket.so`'s ABI. With a static library the macro changes nothing. Users never need
/// to define anything: the CMake target and the pkg-config file carry what is needed.

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(ROSEROCKET_BUILDING_LIBRARY)
/// @brief Exported from the SDK's library (dllexport while it is built, dllimport by users).
#define ROSEROCKET_API __declspec(dllexport)
#elif defined(ROSEROCKET_SHARED)
#define ROSEROCKET_API __declspec(dllimport)
#else
#define ROSEROCKET_API
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define ROSEROCKET_API __attribute__((visibility("default")))
#else
#define ROSEROCKET_API
#endif
