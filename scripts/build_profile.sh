#!/usr/bin/env bash
# Where a build spends its time: configures a build directory, builds it, and prints the wall time
# of each phase, then for each target its wall span (ninja's log) and the CPU seconds of its
# compiles, and the slowest translation units by CPU seconds (scripts/compile_timer.sh records
# them; CPU time hardly changes with other load on the machine, wall time does).
# docs/building.md keeps the figures it printed before and after changes.
#   scripts/build_profile.sh [BUILD_DIR] [-- extra cmake arguments]
# Settings from the environment (all optional):
#   PROFILE_CACHE=off   (default) a cold build: the build directory is removed first and ccache is
#                       bypassed (CCACHE_DISABLE=1), so every translation unit is really compiled
#   PROFILE_CACHE=on    use ccache as the build would (a warm measure when the cache is filled)
#   PROFILE_TOP=15      how many translation units to list
#   CXX                 compiler for the fresh build directory
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="${1:-$ROOT/build-profile}"
shift || true
[ "${1:-}" = "--" ] && shift
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
top="${PROFILE_TOP:-15}"
rm -rf "$dir"
mkdir -p "$dir"
cpu_log="$dir/compile-cpu.tsv"
launcher="$ROOT/scripts/compile_timer.sh;$cpu_log"
if [ "${PROFILE_CACHE:-off}" = "on" ] && command -v ccache >/dev/null; then
  launcher+=";env;CCACHE_BASEDIR=$ROOT;CCACHE_NOHASHDIR=1"
  launcher+=";CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;ccache"
fi

compiler=()
[ -n "${CXX:-}" ] && compiler=(-DCMAKE_CXX_COMPILER="$CXX")
start=$SECONDS
cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" "${compiler[@]}" "$@" >/dev/null
configure_s=$((SECONDS - start))
start=$SECONDS
cmake --build "$dir" --parallel "$(nproc)" >"$dir/build-profile.log" 2>&1 ||
  { tail -n 40 "$dir/build-profile.log"; exit 1; }
build_s=$((SECONDS - start))

echo "== phases (wall)"
printf '  %-10s %6d s\n' configure "$configure_s" build "$build_s"

# ninja's log (v5): start and end in ms since the build began, then the output. A step that was
# restarted appears twice; the last line wins.
log="$dir/.ninja_log"
awk -F'\t' '!/^#/ { start[$4] = $1; end[$4] = $2 }
  END { for (o in start) printf "%d\t%d\t%s\n", start[o], end[o], o }' "$log" > "$dir/steps.tsv"

# target_of OUTPUT: the CMake target a ninja output belongs to (objects: CMakeFiles/NAME.dir/).
target_of='function target_of(o, t) { t = o
  if (match(o, /CMakeFiles\/[^\/]+\.dir\//)) return substr(o, RSTART + 11, RLENGTH - 16)
  sub(/.*\//, "", t); return t " (link)" }'

echo "== targets: wall span (first step start to last step end) and CPU seconds of their compiles"
awk -F'\t' "$target_of"'
  FNR == NR { t = target_of($2); cpu[t] += $1; next }
  { t = target_of($3)
    if (!(t in first) || $1 < first[t]) first[t] = $1
    if ($2 > last[t]) last[t] = $2
    n[t]++ }
  END { for (t in n) printf "%8.1f s wall %8.1f s CPU %4d steps  %s\n",
                            (last[t] - first[t]) / 1000, cpu[t], n[t], t }' \
  "$cpu_log" "$dir/steps.tsv" | sort -k4,4nr | head -n 40

echo "== the $top slowest translation units (CPU seconds)"
sort -t$'\t' -k1,1nr "$cpu_log" | head -n "$top" | awk -F'\t' '{ printf "%8.1f s  %s\n", $1, $2 }'

awk -F'\t' '{ n++; s += $1 } END {
  printf "== %d compiles (translation units and precompiled headers), %.1f CPU seconds\n", n, s }' \
  "$cpu_log"
