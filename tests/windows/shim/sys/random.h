#pragma once
// Test-only stand-in for <sys/random.h> in the MinGW crypto test program
// (tests/windows/crypto_vectors.sh): until the platform layer (issue 26, item 1) gives
// auth/crypto.cpp its Windows random source, getrandom() here draws from BCryptGenRandom.
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>
#include <sys/types.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0  // the /dev/urandom fallback is never reached: getrandom() succeeds
#endif

inline ssize_t getrandom(void* buffer, size_t length, unsigned int) {
  if (BCryptGenRandom(nullptr, static_cast<PUCHAR>(buffer), static_cast<ULONG>(length),
                      BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
    return -1;
  }
  return static_cast<ssize_t>(length);
}
