#!/usr/bin/env bash
# CI (issue 9): builds the libFuzzer harnesses in fuzz/ with clang 14
# (-fsanitize=fuzzer,address,undefined; the library with fuzzer-no-link coverage) and runs each
# for a bounded time from a copy of its checked-in seed corpus. A crash, leak, sanitizer report
# or timeout fails the script. Prints the executions of each harness. The harnesses run side by
# side, as many at a time as there are cores (FUZZ_JOBS), each for its full FUZZ_SECONDS.
#   FUZZ_SECONDS=20 ./scripts/ci_fuzz.sh [harness...]
#   FUZZ_BUILD_DIR=DIR  fuzz from an existing build directory that was configured with the
#                       flags above and ROSEROCKET_BUILD_FUZZERS=ON (scripts/ci_sanitizers.sh
#                       asan makes build-asan so); default: its own build-fuzz.
# As root it installs what it needs (clang-14, libclang-rt-14-dev) through common.sh.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PACKAGES+=(clang-14 libclang-rt-14-dev)
install_missing_packages

seconds="${FUZZ_SECONDS:-20}"
dir="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
case "$dir" in /*) ;; *) dir="$ROOT/$dir" ;; esac
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(fuzz_error_body fuzz_retry_after fuzz_token_response fuzz_token_file fuzz_record
             fuzz_event_page fuzz_client fuzz_emulator fuzz_jose)
fi

total=$SECONDS
start=$SECONDS
if [ ! -f "$dir/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 CFLAGS="$flags" CXXFLAGS="$flags" \
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DROSEROCKET_BUILD_FUZZERS=ON -DROSEROCKET_BUILD_TESTS=OFF -DROSEROCKET_BUILD_EXAMPLES=OFF \
    -DROSEROCKET_BUILD_BENCH=OFF >/dev/null
elif ! grep -q '^ROSEROCKET_BUILD_FUZZERS:BOOL=ON' "$dir/CMakeCache.txt"; then
  echo "$dir was not configured with ROSEROCKET_BUILD_FUZZERS=ON" >&2
  exit 2
fi
cmake --build "$dir" --parallel "$(nproc)" --target "${harnesses[@]}"
echo "== build: $((SECONDS - start)) s"

findings="$dir/fuzz-findings"
mkdir -p "$findings"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# fuzz_one HARNESS: one libFuzzer run from a copy of the seeds; its line goes to $work/HARNESS.line.
fuzz_one() {
  local h="$1" start=$SECONDS status corpus="$work/$1" log="$work/$1.log" execs
  mkdir -p "$corpus"
  cp "$ROOT/fuzz/corpus/$h"/* "$corpus/"  # the checked-in seeds stay untouched
  mkdir -p "$work/$h.cwd"
  if (cd "$work/$h.cwd" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "$dir/fuzz/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/$h-" "$corpus" \
      >"$log" 2>&1); then
    status=ok
  else
    status=FAILED
  fi
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  echo "$h: ${execs:-?} executions in $((SECONDS - start)) s ($status)" > "$work/$h.line"
}

jobs="${FUZZ_JOBS:-$(nproc)}"
running=0
for h in "${harnesses[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  fuzz_one "$h" &
  running=$((running + 1))
done
wait

failed=()
summary=()
for h in "${harnesses[@]}"; do
  line="$(cat "$work/$h.line" 2>/dev/null || echo "$h: did not finish (FAILED)")"
  summary+=("$line")
  echo "== $line"
  if [[ "$line" == *FAILED* ]]; then
    failed+=("$h")
    tail -n 60 "$work/$h.log" 2>/dev/null || true
  fi
done

echo "== fuzzing summary"
printf '  %s\n' "${summary[@]}"
echo "== ci_fuzz.sh: $((SECONDS - total)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "findings in: ${failed[*]} (inputs saved in $findings)" >&2
  exit 1
fi
