#!/usr/bin/env bash
# Installs a build of the SDK into a temporary prefix and builds tests/consumer against it with
# find_package(roserocket COMPONENTS emulator), with the flags a consumer would use (no -Werror
# inherited from the SDK's own build), then runs both consumer programs.
# Usage: run.sh BUILD_DIR CXX_COMPILER static|shared
source "$(dirname "${BASH_SOURCE[0]}")/../package/common.sh"
build_dir="$1"; compiler="$2"; kind="$3"
quietly install.log cmake --install "$build_dir" --prefix "$work/prefix"
quietly configure.log cmake -S "$SOURCE_ROOT/tests/consumer" -B "$work/build" -G Ninja \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_PREFIX_PATH="$work/prefix" -DWITH_EMULATOR=ON
quietly build.log cmake --build "$work/build"
if grep -q -- "-Werror" "$work/build/build.ninja"; then
  fail "consumer build inherited -Werror"
fi
if [ "$kind" = shared ]; then
  readelf -d "$work/build/consumer" | grep 'NEEDED.*\[libroserocket\.so\.[1-9]' >/dev/null ||
    fail "consumer is not linked to libroserocket.so.<major>"
  ldd "$work/build/consumer" | grep "$work/prefix/.*libroserocket\.so" >/dev/null ||
    fail "consumer does not load the installed libroserocket.so"
else
  ! readelf -d "$work/build/consumer" | grep 'NEEDED.*libroserocket' >/dev/null ||
    fail "static install, but the consumer needs libroserocket.so"
fi
"$work/build/consumer"
"$work/build/consumer_emulator"
