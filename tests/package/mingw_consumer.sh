#!/usr/bin/env bash
# Installs the MinGW build of the SDK into a temporary prefix, configures tests/consumer against it
# with the same toolchain file (find_package(roserocket 1)), builds the consumer program, and runs
# it under Wine when Wine is there.
# Usage: mingw_consumer.sh WINDOWS_BUILD_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_dir="$1"
quietly install.log cmake --install "$build_dir" --prefix "$work/prefix"
[ -f "$work/prefix/lib/cmake/roserocket/roserocketConfig.cmake" ] ||
  fail "no CMake package in the installed prefix"
quietly configure.log cmake -S "$SOURCE_ROOT/tests/consumer" -B "$work/build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/cmake/toolchains/mingw-w64-x86_64.cmake" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_FIND_ROOT_PATH="$work/prefix"
quietly build.log cmake --build "$work/build" --target consumer
if grep -q -- "-Werror" "$work/build/build.ninja"; then
  fail "consumer build inherited -Werror"
fi
file "$work/build/consumer.exe" | grep -q 'PE32+ executable' || fail "consumer.exe is not a PE32+ program"
if wine="$(command -v wine64 || command -v wine)"; then
  WINEDEBUG=-all "$wine" "$work/build/consumer.exe"
else
  echo "wine not installed: consumer.exe built, not run"
fi
