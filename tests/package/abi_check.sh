#!/usr/bin/env bash
# The shared library's ABI against the committed baseline of the last release
# (abi/libroserocket.abi.xz, made with abidw from 1.0.0): abidiff (Debian: abigail-tools) compares the types and symbols reachable from
# the public headers. Added functions and types are allowed; a removed or changed exported symbol
# or a changed layout of a public type fails, unless the SONAME's major differs from the
# baseline's (an incompatible release on purpose). ADR 0008 says how to update the baseline.
# Usage: abi_check.sh SHARED_BINARY_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
binary_dir="$1"
baseline_xz="$SOURCE_ROOT/abi/libroserocket.abi.xz"
command -v abidiff >/dev/null || fail "abidiff not found (Debian: abigail-tools)"
[ -f "$baseline_xz" ] || fail "no baseline at $baseline_xz"
# Committed compressed (14 MB of XML, 0.3 MB as xz).
baseline="$work/libroserocket.abi"
xz -dc "$baseline_xz" > "$baseline"

so="$(readlink -f "$binary_dir/src/libroserocket.so")"
soname="$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
baseline_soname="$(grep -o -m1 "soname='[^']*'" "$baseline" | cut -d"'" -f2)"
echo "comparing $(basename "$so") (SONAME $soname) with the baseline of $baseline_soname"

status=0
abidiff --no-added-syms --headers-dir2 "$SOURCE_ROOT/include" --no-show-locs \
  "$baseline" "$so" >"$work/abidiff.txt" 2>&1 || status=$?
# abidiff's status is a bit field: 1 an error of the tool, 2 a usage error, 4 an ABI change,
# 8 an incompatible one.
if [ $((status & 3)) -ne 0 ]; then
  cat "$work/abidiff.txt" >&2
  fail "abidiff could not compare (status $status)"
fi
if [ $((status & 12)) -ne 0 ]; then
  cat "$work/abidiff.txt"
  if [ "$soname" = "$baseline_soname" ]; then
    fail "the ABI changed but the SONAME is still $soname: keep the ABI, or raise the major version (ADR 0008)"
  fi
  echo "ABI changed with a new SONAME ($baseline_soname -> $soname): allowed; commit a new baseline"
  exit 0
fi
head -n 3 "$work/abidiff.txt"
echo "ABI compatible with the baseline ($baseline_soname)"
