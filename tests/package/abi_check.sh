#!/usr/bin/env bash
# The shared library's ABI against the committed baseline of the last release
# (abi/libroserocket.abi.xz, made with abidw from 1.0.0): abidiff (Debian: abigail-tools) compares
# the exported symbols and the types reachable from them. Added functions and types pass; a
# removed or changed exported symbol or a changed layout of a type they reach fails, unless the
# SONAME's major differs from the baseline's (an incompatible release on purpose). ADR 0008 says
# how to update the baseline.
# Usage: abi_check.sh SHARED_BINARY_DIR
#        abi_check.sh --self-test   (the rule above on two small libraries made here: an added
#                                    function passes, a changed layout and a removal fail)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v abidiff >/dev/null || fail "abidiff not found (Debian: abigail-tools)"

# compare BASELINE_ABI LIBRARY: 0 when compatible (or the SONAME's major changed), 1 otherwise.
compare() {
  local baseline="$1" so="$2" status=0 soname baseline_soname
  soname="$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
  baseline_soname="$(grep -o -m1 "soname='[^']*'" "$baseline" | cut -d"'" -f2)"
  echo "comparing $(basename "$so") (SONAME $soname) with the baseline of $baseline_soname"
  abidiff --no-added-syms --no-show-locs --suppressions "$SOURCE_ROOT/abi/suppressions.ini" \
    "$baseline" "$so" >"$work/abidiff.txt" 2>&1 || status=$?
  # abidiff's status is a bit field: 1 an error of the tool, 2 a usage error, 4 an ABI change,
  # 8 an incompatible one.
  if [ $((status & 3)) -ne 0 ]; then
    cat "$work/abidiff.txt" >&2
    fail "abidiff could not compare (status $status)"
  fi
  if [ $((status & 12)) -ne 0 ]; then
    cat "$work/abidiff.txt"
    # A member added in a struct's tail padding keeps its size, alignment and every old member's
    # offset: a 1.0 program reads what it always read. That alone (and nothing removed, resized,
    # moved, renamed or retyped) is compatible; anything else in the report is not.
    if [ $((status & 8)) -eq 0 ] && grep -q "data member insertion" "$work/abidiff.txt" &&
       ! grep -q -E "type size changed|offset changed|deletion|[1-9][0-9]* Removed|removed|name changed|alignment changed|enumerator|vtable|virtual|changed from|changed to" \
         "$work/abidiff.txt"; then
      echo "only members added in tail padding (sizes and offsets unchanged): compatible"
      return 0
    fi
    if [ "$soname" = "$baseline_soname" ]; then
      echo "the ABI changed but the SONAME is still $soname: keep the ABI, or raise the major" \
           "version (ADR 0008)"
      return 1
    fi
    echo "the ABI changed with a new SONAME ($baseline_soname -> $soname): allowed"
    return 0
  fi
  head -n 2 "$work/abidiff.txt"
  echo "ABI compatible with the baseline ($baseline_soname)"
}

# make_lib NAME SONAME HEADER SOURCE: a small shared library with debug information.
make_lib() {
  mkdir -p "$work/$1/include"
  printf '%s\n' "$3" > "$work/$1/include/api.hpp"
  printf '#include "api.hpp"\n%s\n' "$4" > "$work/$1/api.cpp"
  c++ -g -shared -fPIC -I"$work/$1/include" -Wl,-soname,"$2" "$work/$1/api.cpp" -o "$work/$1/lib.so"
}

if [ "${1:-}" = "--self-test" ]; then
  v='__attribute__((visibility("default")))'
  make_lib v1 libx.so.1 "struct $v S { int a; bool b; }; $v int f(S s);" "int f(S s) { return s.a; }"
  abidw --headers-dir "$work/v1/include" --drop-private-types --no-show-locs "$work/v1/lib.so" \
    > "$work/v1.abi"
  make_lib added libx.so.1 "struct $v S { int a; bool b; }; $v int f(S s); $v int g();" \
    "int f(S s) { return s.a; } int g() { return 1; }"
  make_lib layout libx.so.1 "struct $v S { int a; bool b; double d; }; $v int f(S s);" \
    "int f(S s) { return s.a; }"
  make_lib removed libx.so.1 "$v int g();" "int g() { return 1; }"
  make_lib padding libx.so.1 "struct $v S { int a; bool b; bool c; }; $v int f(S s);" \
    "int f(S s) { return s.a; }"
  make_lib grown libx.so.1 "struct $v S { int a; bool b; bool c; long d; }; $v int f(S s);" \
    "int f(S s) { return s.a; }"
  make_lib retyped libx.so.1 "struct $v S { float a; bool b; }; $v int f(S s);" \
    "int f(S s) { return static_cast<int>(s.a); }"
  make_lib major libx.so.2 "struct $v S { int a; bool b; double d; }; $v int f(S s);" \
    "int f(S s) { return s.a; }"
  compare "$work/v1.abi" "$work/added/lib.so" || fail "an added function was refused"
  ! compare "$work/v1.abi" "$work/layout/lib.so" || fail "a changed layout passed"
  ! compare "$work/v1.abi" "$work/removed/lib.so" || fail "a removed function passed"
  compare "$work/v1.abi" "$work/padding/lib.so" || fail "a member added in tail padding was refused"
  ! compare "$work/v1.abi" "$work/grown/lib.so" || fail "a grown struct passed"
  ! compare "$work/v1.abi" "$work/retyped/lib.so" || fail "a retyped member passed"
  compare "$work/v1.abi" "$work/major/lib.so" || fail "a changed layout with a new SONAME was refused"
  echo "self-test: additions (functions, members in tail padding) pass; a grown struct, a retyped"
  echo "member and a removal fail; a new major passes"
  exit 0
fi

binary_dir="$1"
baseline_xz="$SOURCE_ROOT/abi/libroserocket.abi.xz"
[ -f "$baseline_xz" ] || fail "no baseline at $baseline_xz"
# Committed compressed (14 MB of XML, 0.3 MB as xz).
xz -dc "$baseline_xz" > "$work/libroserocket.abi"
compare "$work/libroserocket.abi" "$(readlink -f "$binary_dir/src/libroserocket.so")" ||
  fail "the shared library's ABI is not compatible with the baseline"
