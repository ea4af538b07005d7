#!/usr/bin/env bash
# Installs the built SDK into a temporary prefix and builds tests/consumer against it, with the
# flags a consumer would use (no -Werror inherited from the SDK's own build).
set -euo pipefail
build_dir="$1"; source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
if grep -q -- "-Werror" "$work/build/build.ninja"; then
  echo "consumer build inherited -Werror" >&2
  exit 1
fi
"$work/build/consumer"
