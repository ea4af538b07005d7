#!/usr/bin/env bash
# A host project consumes this source tree through FetchContent (URL = a local tarball of the
# tree: no network), configured with an empty build type and built with the host's own
# -Wall -Wextra -Wshadow -Wconversion, and checks that nothing of the SDK's leaked into it:
# no build type, no tools/tests/examples/emulator/benchmarks, no -Werror, nothing installed,
# only roserocket-prefixed targets; and that the SDK's headers compile warning-free there.
# Usage: fetchcontent.sh CXX_COMPILER
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
compiler="$1"
# The tree as a release tarball would hold it (tracked and new files, no build folders).
tar -C "$SOURCE_ROOT" --exclude='./build*' --exclude=./.git -czf "$work/roserocket.tar.gz" .
# The host compiles through ccache when the machine has it (the host's own choice, as a team's
# build might make it), with the scratch folder as base directory so that later runs hit.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="env;CCACHE_BASEDIR=$work;CCACHE_NOHASHDIR=1;ccache")
fi
quietly configure.log cmake -S "$PACKAGE_TESTS_DIR/fetchcontent_host" -B "$work/build" -G Ninja \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE= "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wshadow -Wconversion" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DROSEROCKET_SOURCE_URL="file://$work/roserocket.tar.gz"
grep -q "every SDK target is prefixed" "$work/configure.log" || fail "target check did not run"

build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$work/build/CMakeCache.txt")"
[ -z "$build_type" ] || fail "CMAKE_BUILD_TYPE is '$build_type' in the host's cache"

quietly build.log cmake --build "$work/build" --verbose
# Nothing but the library and the host program was built.
for t in catalog_docs rr-emulator unit_tests integration_tests getting_started bench_server; do
  if ninja -C "$work/build" -t targets all | grep -E "(^|/)$t(:| )" >/dev/null; then
    fail "the host's build has the SDK's '$t'"
  fi
done
# No -Werror anywhere in the host's compile commands (its own sources or the SDK's).
if grep -q -- "-Werror" "$work/build/compile_commands.json"; then
  fail "-Werror reached the host's compile commands"
fi
# No precompiled header, unity batch or compiler launcher of the SDK's own build (ADR 0018).
if grep -q -E "cmake_pch|unity_[0-9]+_cxx|CCACHE_SLOPPINESS" "$work/build/compile_commands.json"; then
  fail "the SDK's build-speed settings reached the host's compile commands"
fi
# The SDK's headers are clean under the host's flags (warnings in the SDK's own .cpp files are
# the host's choice of flags and not checked).
header_warnings="$(grep -E "warning:" "$work/build.log" | grep -E "include/(roserocket|rr_emulator)/" || true)"
if [ -n "$header_warnings" ]; then
  echo "$header_warnings" >&2
  fail "the SDK's headers warn under the host's -Wshadow -Wconversion"
fi
"$work/build/host"

# The host's install installs the host's program and nothing of the SDK's.
quietly install.log cmake --install "$work/build" --prefix "$work/prefix"
installed="$(cd "$work/prefix" && find . -type f | sort)"
[ "$installed" = "./bin/host" ] || fail "the host's install holds more than bin/host: $installed"
echo "host: nothing leaked"
