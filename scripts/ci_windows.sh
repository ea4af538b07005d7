#!/usr/bin/env bash
# CI stage "windows": the SDK cross-built for 64-bit Windows with MinGW-w64 (posix threads), its
# tests run under Wine (README.md "Windows", docs/building.md "Windows"). Builds only what it runs:
# the library, unit_tests (GoogleTest compiled from /usr/src/googletest with the same toolchain),
# getting_started and bulk_upserts. The last two run under Wine against the Linux rr-emulator over
# loopback; the emulator comes from the Linux build in build/ (the gcc stage's), built if missing.
# As root it installs what is missing. Settings from the environment (all optional):
#   WINDOWS_BUILD_DIR  the cross build (default: build-windows/, beside build/, so ccache hits)
#   WINEPREFIX         Wine's prefix (default: the cross build's wine-prefix/)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# common.sh's mechanism, with this stage's packages added: the cross compiler and Wine.
PACKAGES+=(g++-mingw-w64-x86-64-posix wine64 python3)
install_missing_packages

WINDOWS_BUILD_DIR="${WINDOWS_BUILD_DIR:-$ROOT/build-windows}"
export WINEPREFIX="${WINEPREFIX:-$WINDOWS_BUILD_DIR/wine-prefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
# Wine is started without a display; it must never try to open one.
unset DISPLAY
JOBS="$(nproc)"
started=$SECONDS
step() { echo "--- windows: $1 ($((SECONDS - started)) s so far)"; }

step "the rule: no POSIX or Win32 header outside src/platform/"
cmake -DSOURCE_DIR="$ROOT" -P "$ROOT/cmake/check_platform_headers.cmake"

step "cross build (MinGW-w64 $(x86_64-w64-mingw32-g++-posix -dumpversion))"
t=$SECONDS
# Release at -O1 without debug information: nothing here reads a Windows debugger's symbols, and
# the cross build is the larger part of this stage (figures: docs/building.md). Set BUILD_TYPE
# to build otherwise.
cmake -S "$ROOT" -B "$WINDOWS_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" \
  -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchains/mingw-w64-x86_64.cmake" >/dev/null
cmake --build "$WINDOWS_BUILD_DIR" --parallel "$JOBS" --target unit_tests winhttp_transport_tests getting_started bulk_upserts
build_seconds=$((SECONDS - t))

step "the Linux rr-emulator"
if [ ! -x "$BUILD_DIR/emulator/rr-emulator" ]; then
  configure_and_build --target rr-emulator
fi

step "Wine prefix"
t=$SECONDS
wineboot --init >/dev/null 2>&1 || true
prefix_seconds=$((SECONDS - t))

step "unit tests under Wine"
t=$SECONDS
unit_status=0
(cd "$WINDOWS_BUILD_DIR" && ctest --output-on-failure -L windows --timeout 900 -V) \
  >"$WINDOWS_BUILD_DIR/unit_tests.log" 2>&1 || unit_status=$?
grep -E '\[ +(PASSED|FAILED) +\]|tests passed|tests failed out of|^Total Test' \
  "$WINDOWS_BUILD_DIR/unit_tests.log" || true
unit_seconds=$((SECONDS - t))
# Every GoogleTest program's count (unit_tests.exe and winhttp_transport_tests.exe), added up.
passed="$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) tests\{0,1\}\..*/\1/p' "$WINDOWS_BUILD_DIR/unit_tests.log" |
  awk '{ n += $1 } END { print n + 0 }')"
failed="$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) tests\{0,1\}, listed below.*/\1/p' "$WINDOWS_BUILD_DIR/unit_tests.log" |
  awk '{ n += $1 } END { print n + 0 }')"
if [ "$unit_status" -ne 0 ]; then
  tail -n 60 "$WINDOWS_BUILD_DIR/unit_tests.log"
  echo "windows: unit tests under Wine FAILED" >&2
  exit 1
fi

step "getting_started.exe and bulk_upserts.exe under Wine against the Linux rr-emulator"
t=$SECONDS
# under_wine_against_emulator PROGRAM.exe: a fresh emulator (demo credentials, which only unlock
# the local emulator) for one program run under Wine; a subshell, so its exit stops the emulator.
under_wine_against_emulator() (
  source "$ROOT/scripts/start_emulator.sh"
  start_emulator "$BUILD_DIR/emulator/rr-emulator"
  echo "emulator: $EMULATOR_URL; running $(basename "$1") under Wine"
  RR_BASE_URL="$EMULATOR_URL" RR_TOKEN_URL="$EMULATOR_URL/oauth/token" \
    RR_CLIENT_ID=demo-client-id RR_CLIENT_SECRET=demo-client-secret \
    "$ROOT/scripts/wine_run.sh" "$1"
)
under_wine_against_emulator "$WINDOWS_BUILD_DIR/examples/getting_started.exe"
under_wine_against_emulator "$WINDOWS_BUILD_DIR/tests/windows/bulk_upserts.exe"
programs_seconds=$((SECONDS - t))

echo "windows: unit_tests.exe and winhttp_transport_tests.exe under Wine: ${passed:-0} passed, ${failed:-0} failed;" \
     "excluded by name: $(grep -c -E '^[A-Za-z0-9_*]+\.' "$ROOT/tests/windows/excluded_tests.txt" || true)"
echo "windows: build ${build_seconds} s, Wine prefix ${prefix_seconds} s," \
     "unit tests ${unit_seconds} s, getting_started + bulk ${programs_seconds} s;" \
     "stage $((SECONDS - started)) s"
