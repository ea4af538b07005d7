#!/usr/bin/env bash
# Builds WinHttpTransport (src/http/winhttp_transport.cpp) and tests/windows/
# winhttp_transport_test.cpp with MinGW-w64 and runs them under Wine against a loopback Python
# HTTP server on the Linux side (tests/windows/winhttp_server.py).
#
#   tests/windows/winhttp_transport.sh [work-dir]   (default: /tmp/roserocket-winhttp)
#
# Shares its GoogleTest objects and layout with crypto_vectors.sh. Until the MinGW toolchain
# build of the whole library (issue 26) exists, this compiles the few sources it needs directly.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/roserocket-winhttp}"
cxx="${MINGW_CXX:-x86_64-w64-mingw32-g++-posix}"
gtest=/usr/src/googletest/googletest
mkdir -p "$work/obj" "$work/inc" "$work/generated/roserocket"
ln -sfn /usr/include/nlohmann "$work/inc/nlohmann"
if [[ ! -f "$work/generated/roserocket/version_config.hpp" ]]; then
  sed -e 's/@PROJECT_VERSION_MAJOR@/1/; s/@PROJECT_VERSION_MINOR@/0/; s/@PROJECT_VERSION_PATCH@/0/' \
      -e 's/@PROJECT_VERSION@/1.0.0/' "$here/cmake/version_config.hpp.in" \
      > "$work/generated/roserocket/version_config.hpp"
fi
flags=(-std=c++17 -O1 -Wall -Wextra -Wpedantic -Werror -I "$here/include" -I "$here/src"
       -I "$work/inc" -I "$work/generated" -I "$gtest/include")

start=$(date +%s)
if [[ ! -f "$work/gtest-all.o" ]]; then
  nice -n 10 "$cxx" -std=c++17 -O1 -I "$gtest/include" -I "$gtest" -c "$gtest/src/gtest-all.cc" \
    -o "$work/gtest-all.o"
  nice -n 10 "$cxx" -std=c++17 -O1 -I "$gtest/include" -c "$gtest/src/gtest_main.cc" \
    -o "$work/gtest_main.o"
fi
sources=(src/http/winhttp_transport.cpp src/http/headers.cpp src/http/url.cpp
         src/core/cancellation.cpp src/core/errors.cpp src/core/redaction.cpp
         tests/windows/crypto_vectors_link.cpp tests/windows/winhttp_transport_test.cpp)
objects=()
for source in "${sources[@]}"; do
  object="$work/obj/$(basename "$source" .cpp).o"
  nice -n 10 "$cxx" "${flags[@]}" -c "$here/$source" -o "$object"
  objects+=("$object")
done
# errors.cpp's redaction needs crypto.cpp's base64; see crypto_vectors.sh for the shim.
nice -n 10 "$cxx" "${flags[@]}" -I "$here/tests/windows/shim" -c "$here/src/auth/crypto.cpp" \
  -o "$work/obj/crypto.o"
objects+=("$work/obj/crypto.o")
nice -n 10 "$cxx" -o "$work/winhttp_transport_test.exe" "${objects[@]}" "$work/gtest-all.o" \
  "$work/gtest_main.o" -static -lwinhttp -lbcrypt
built=$(date +%s)

# The server prints its port, then serves until killed (by id, below).
coproc SERVER { exec python3 "$here/tests/windows/winhttp_server.py"; }
server_pid=$SERVER_PID
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
read -r port <&"${SERVER[0]}"
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

export WINEPREFIX="${WINEPREFIX:-$work/wineprefix}" WINEDEBUG="${WINEDEBUG:--all}"
export RR_WINHTTP_TEST_URL="http://127.0.0.1:$port" RR_WINHTTP_CLOSED_URL="http://127.0.0.1:$closed_port"
status=0
nice -n 10 wine "$work/winhttp_transport_test.exe" || status=$?
echo "winhttp_transport: build $((built - start)) s, wine run $(($(date +%s) - built)) s, exit $status"
exit "$status"
