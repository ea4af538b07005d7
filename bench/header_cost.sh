#!/usr/bin/env bash
# What including the SDK costs a user's translation unit, against nlohmann/json alone (which every
# SDK header needs). Compiles three one-line translation units N times each, interleaved, and prints
# the median compiler CPU time (user + system) and preprocessed line count of each, and the ratios:
#   json      #include <nlohmann/json.hpp>
#   umbrella  #include <roserocket/roserocket.hpp>
#   client    #include <roserocket/client.hpp>
# With --each, also every public header on its own (what a header adds over json).
# With gcc, also the memory the compiler allocates for each (-ftime-report's GGC total), which,
# unlike the time, does not depend on the machine's load. Builds nothing else.
# With --instructions, also the instructions the compiler executes for each translation unit (all
# its processes, counted once under valgrind's cachegrind, about 15x slower than a compile): like
# the memory, and unlike the time, the same on every run and under any load, for gcc and clang.
# With --what-if, also three rows that measure what the 1.x API holds (ADR 0032):
#   std floor    json plus the standard headers the public API needs and json does not include
#                (<atomic> <chrono> <condition_variable> <future> <mutex> <optional> <set>
#                <shared_mutex>)
#   json+future  json plus <future> alone, which BulkEngine::submit's return type needs: while it
#                is there, the other standard headers of the floor add almost nothing
#   no <future>  the umbrella from a copy of include/ whose bulk.hpp declares std::future instead
#                of including <future> (a measurement only: the declaration is libstdc++'s, not
#                portable, and a caller of BulkEngine::submit needs <future> anyway)
#
# Usage: bench/header_cost.sh [--each] [--what-if] [--instructions] [-n N] [BUILD_DIR]
#   BUILD_DIR  a configured build of this tree (its generated version header is used), default build
#   CXX        the compiler (default c++); CXXFLAGS  extra flags (default -O0, as a debug build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
each=0
what_if=0
instructions=0
runs=5
build_dir="$root/build"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --each) each=1 ;;
    --what-if) what_if=1 ;;
    --instructions) instructions=1 ;;
    -n) shift; runs="$1" ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) build_dir="$1" ;;
  esac
  shift
done
generated="$build_dir/roserocket_generated/include"
if [[ ! -f $generated/roserocket/version_config.hpp ]]; then
  echo "$generated/roserocket/version_config.hpp not found: configure $build_dir first" >&2
  exit 1
fi
cxx="${CXX:-c++}"
if [[ $instructions -eq 1 ]] && ! command -v valgrind >/dev/null; then
  echo "--instructions needs valgrind (apt-get install valgrind)" >&2
  exit 1
fi
read -r -a flags <<<"${CXXFLAGS:--O0}"
flags+=(-std=c++17 -I"$root/include" -I"$generated")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# cpu_seconds I: the compiler's CPU time for translation unit I, to the millisecond.
cpu_seconds() {
  # bash's `times` reports the CPU time of this shell's finished children: run it before and after
  # in this shell, into files (in a pipeline or $(...) it would run in a subshell without them).
  local before after tu
  mapfile -t tu <"$work/flags$1"
  times >"$work/times.before"
  "$cxx" "${tu[@]}" -c "$work/tu$1.cpp" -o "$work/out.o"
  times >"$work/times.after"
  before="$(tail -n 1 "$work/times.before")"
  after="$(tail -n 1 "$work/times.after")"
  awk -v b="$before" -v a="$after" 'function s(t,   m, r) {
      # "0m1.234s 0m0.100s": user and system of the children
      split(t, f, " "); r = 0
      for (i = 1; i <= 2; i++) { m = f[i]; sub(/s$/, "", m); split(m, p, "m"); r += p[1] * 60 + p[2] }
      return r }
    BEGIN { printf "%.3f\n", s(a) - s(b) }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

names=(json umbrella client)
includes=("nlohmann/json.hpp" "roserocket/roserocket.hpp" "roserocket/client.hpp")
# Lines of each translation unit, when it is more than one #include of includes[i].
declare -A sources=()
# An include directory searched before the tree's, per translation unit.
declare -A shadows=()
if [[ $what_if -eq 1 ]]; then
  names+=("std floor")
  includes+=("json + standard headers the API needs")
  sources["std floor"]="$(printf '#include <%s>\n' nlohmann/json.hpp atomic chrono condition_variable \
    future mutex optional set shared_mutex)"
  names+=("json+future")
  includes+=("json + <future>")
  sources["json+future"]="$(printf '#include <%s>\n' nlohmann/json.hpp future)"
  mkdir -p "$work/no-future"
  cp -R "$root/include" "$work/no-future/"
  sed -i 's|^#include <future>$|namespace std { template <class> class future; }|' \
    "$work/no-future/include/roserocket/bulk.hpp"
  names+=("no <future>")
  includes+=("roserocket/roserocket.hpp without <future>")
  sources["no <future>"]="#include <roserocket/roserocket.hpp>"
  shadows["no <future>"]="$work/no-future/include"
fi
if [[ $each -eq 1 ]]; then
  while IFS= read -r header; do
    rel="${header#"$root/include/"}"
    [[ $rel == roserocket/roserocket.hpp || $rel == roserocket/client.hpp ]] && continue
    names+=("$rel")
    includes+=("$rel")
  done < <(find "$root/include/roserocket" -name '*.hpp' | sort)
fi

gcc=0
"$cxx" --version | grep -q 'Free Software Foundation' && gcc=1
# tu_flags I: the compiler flags of translation unit I (its shadow include directory first).
tu_flags() {
  local name="${names[$1]}"
  if [[ -n ${shadows[$name]:-} ]]; then
    printf '%s\n' "-I${shadows[$name]}"
  fi
  printf '%s\n' "${flags[@]}"
}
for i in "${!names[@]}"; do
  if [[ -n ${sources[${names[$i]}]:-} ]]; then
    printf '%s\n' "${sources[${names[$i]}]}" >"$work/tu$i.cpp"
  else
    printf '#include <%s>\n' "${includes[$i]}" >"$work/tu$i.cpp"
  fi
  mapfile -t tu <<<"$(tu_flags "$i")"
  printf '%s\n' "${tu[@]}" >"$work/flags$i"
  "$cxx" "${tu[@]}" -E "$work/tu$i.cpp" | wc -l >"$work/lines$i"
  echo - >"$work/memory$i"
  if [[ $gcc -eq 1 ]]; then
    # The last column of " TOTAL : ... 265M" is what gcc's garbage-collected heap allocated.
    "$cxx" "${tu[@]}" -ftime-report -c "$work/tu$i.cpp" -o "$work/out.o" 2>&1 |
      awk '$1 == "TOTAL" { print $NF }' >"$work/memory$i"
  fi
  echo - >"$work/instructions$i"
  if [[ $instructions -eq 1 ]]; then
    # cachegrind prints "==PID== I   refs:      4,731,823,586" for the driver and each process it
    # starts (cc1plus or clang -cc1, the assembler): their sum is the compile's instruction count.
    valgrind --tool=cachegrind --cache-sim=no --trace-children=yes --cachegrind-out-file=/dev/null \
      "$cxx" "${tu[@]}" -c "$work/tu$i.cpp" -o "$work/out.o" 2>&1 |
      awk '$2 == "I" && $3 == "refs:" { gsub(",", "", $4); n += $4 } END { printf "%.0f\n", n }' \
        >"$work/instructions$i"
  fi
  : >"$work/times$i"
done
# Interleaved, so that a change of machine load spreads over every translation unit alike.
for _ in $(seq 1 "$runs"); do
  for i in "${!names[@]}"; do
    cpu_seconds "$i" >>"$work/times$i"
  done
done

echo "compiler: $("$cxx" --version | head -n 1); flags: ${CXXFLAGS:--O0}; median of $runs runs"
json_seconds="$(median <"$work/times0")"
json_instructions="$(cat "$work/instructions0")"
printf '%-44s %10s %12s %8s %8s %8s %8s\n' "translation unit includes" "CPU s" "lines" "x json" \
  "gcc mem" "G instr" "x json"
for i in "${!names[@]}"; do
  seconds="$(median <"$work/times$i")"
  read -r giga instr_ratio < <(awk -v n="$(cat "$work/instructions$i")" -v j="$json_instructions" \
    'BEGIN { if (n == "-") print "- -"; else printf "%.2f %.3f\n", n / 1e9, n / j }')
  printf '%-44s %10.3f %12d %8.2f %8s %8s %8s\n' "${includes[$i]}" "$seconds" \
    "$(cat "$work/lines$i")" "$(awk -v s="$seconds" -v j="$json_seconds" 'BEGIN { print s / j }')" \
    "$(cat "$work/memory$i")" "$giga" "$instr_ratio"
done
