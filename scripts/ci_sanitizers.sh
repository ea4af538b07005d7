#!/usr/bin/env bash
# CI (issue 9): every test that runs SDK or emulator code (unit, integration, examples, seeds)
# under AddressSanitizer + UndefinedBehaviorSanitizer built with clang 14 (so this is also the
# clang build), then the threaded tests under ThreadSanitizer. Any sanitizer report fails the
# run (-fno-sanitize-recover=all, halt_on_error).
# The ASan build also carries libFuzzer's coverage instrumentation (fuzzer-no-link) and the
# harnesses of fuzz/, so that scripts/ci_fuzz.sh can fuzz from it without a build of its own:
#   FUZZ_BUILD_DIR=build-asan ./scripts/ci_fuzz.sh
# The package, compile and docs checks build consumers and documents rather than run SDK code;
# they run in the plain builds of scripts/test.sh (a consumer of an ASan-built library would
# need the sanitizer runtime too).
#   ./scripts/ci_sanitizers.sh            both stages
#   ./scripts/ci_sanitizers.sh asan|tsan  one stage
# As root it installs what it needs (clang-14, libclang-rt-14-dev) through common.sh.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PACKAGES+=(clang-14 libclang-rt-14-dev)
install_missing_packages

stage="${1:-all}"
jobs="$(nproc)"
# The tests that start threads (or serve many connections at once, like the bulk engine):
# TSan runs only these. Their files form the threaded_tests program (tests/CMakeLists.txt reads
# this line and refuses a matching test in any other file), so the TSan stage builds nothing else.
THREADED_TESTS='Bulk|Threads|Concurren|Parallel|Redaction|LoopbackReceiver|HostileServer|EmulatorHostile|EmulatorLifecycle|Emulator.*Stop'

step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - start)) s"
}

# The flags go in through the environment, so that every CMake project configured below (the
# SDK, and the consumer that ctest builds against the installed SDK) gets the same ones.
configure() {
  local dir="$1" flags="$2"
  CC=clang-14 CXX=clang++-14 CFLAGS="$flags" CXXFLAGS="$flags" LDFLAGS="$flags" \
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DROSEROCKET_BUILD_BENCH=OFF "${@:3}" >/dev/null
}

run_asan() {
  local dir="$ROOT/build-asan"
  local flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all"
  flags+=" -fno-omit-frame-pointer"
  step "asan+ubsan: configure" configure "$dir" "$flags" -DROSEROCKET_BUILD_FUZZERS=ON
  step "asan+ubsan: build" cmake --build "$dir" --parallel "$jobs"
  export CC=clang-14 CXX=clang++-14 CFLAGS="$flags" CXXFLAGS="$flags" LDFLAGS="$flags"
  # The soak tests (label soak: the change stream's kill-and-restart runs of 10,000 orders, file
  # store and PostgreSQL) are left to the gcc stage: measured under ASan on the 2-core machine
  # (2026-12-05, other builds running) they took 126 s and 209 s, against 12-35 s in the gcc
  # build, which would lengthen this stage by minutes; a clean ASan run of both found nothing.
  step "asan+ubsan: ctest (all but package, compile, docs, soak)" env \
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure --parallel "$jobs" --timeout 600 \
    -LE '^(package|compile|docs|soak)$'
  unset CC CXX CFLAGS CXXFLAGS LDFLAGS
}

run_tsan() {
  local dir="$ROOT/build-tsan"
  local flags="-fsanitize=thread -fno-omit-frame-pointer"
  step "tsan: configure" configure "$dir" "$flags"
  step "tsan: build (the library, the emulator and threaded_tests)" \
    cmake --build "$dir" --parallel "$jobs" --target threaded_tests
  step "tsan: ctest -L threaded -R \$THREADED_TESTS" env TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/scripts/tsan-suppressions.txt" \
    ctest --test-dir "$dir" --output-on-failure --parallel "$jobs" --timeout 600 \
    -L '^threaded$' -R "$THREADED_TESTS"
}

total=$SECONDS
case "$stage" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  all)
    run_asan
    run_tsan
    ;;
  *)
    echo "usage: $0 [asan|tsan|all]" >&2
    exit 2
    ;;
esac
echo "== ci_sanitizers.sh ($stage): $((SECONDS - total)) s"
