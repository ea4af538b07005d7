#!/usr/bin/env bash
# Builds tests/consumer/main.cpp with nothing but `pkg-config --cflags --libs roserocket` on a plain
# compiler command line (no CMake) against a prefix install, and runs it.
# Usage: pkg_config_consumer.sh BUILD_DIR CXX_COMPILER static|shared
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_dir="$1"; compiler="$2"; kind="$3"
quietly install.log cmake --install "$build_dir" --prefix "$work/prefix"
pc="$(find "$work/prefix" -name roserocket.pc)"
[ -n "$pc" ] || fail "roserocket.pc not installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
static=()
[ "$kind" = static ] && static=(--static)
flags="$(pkg-config "${static[@]}" --cflags --libs roserocket)"
echo "pkg-config ${static[*]} --cflags --libs roserocket: $flags"
# shellcheck disable=SC2086 # the flags are words
quietly compile.log "$compiler" -std=c++17 "$SOURCE_ROOT/tests/consumer/main.cpp" -o "$work/consumer" $flags
if [ "$kind" = shared ]; then
  export LD_LIBRARY_PATH="$(pkg-config --variable=libdir roserocket)"
fi
"$work/consumer"
