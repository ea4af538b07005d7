#!/usr/bin/env bash
# Makes the Debian packages with `cpack -G DEB` from the shared build (build_shared.sh), checks
# their names and dependencies, extracts them with `dpkg-deb -x` into a temporary root, and builds
# and runs tests/consumer (SDK, testing and emulator component) and rr-emulator from that root.
# Usage: debian_packages.sh SHARED_BINARY_DIR CXX_COMPILER
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
binary_dir="$1"; compiler="$2"
major="$(sed -n 's/^CMAKE_PROJECT_VERSION_MAJOR:[A-Z]*=//p' "$binary_dir/CMakeCache.txt")"
quietly cpack.log cpack -G DEB -B "$work/debs" --config "$binary_dir/CPackConfig.cmake"

deb() {
  local f
  f="$(find "$work/debs" -maxdepth 1 -name "$1_*.deb" | head -1)"
  [ -n "$f" ] || fail "no package $1 (made: $(cd "$work/debs" && ls ./*.deb))"
  echo "$f"
}
runtime="$(deb "libroserocket$major")"
dev="$(deb libroserocket-dev)"
emulator="$(deb rr-emulator)"
emulator_dev="$(deb libroserocket-emulator-dev)"
cli="$(deb roserocket-cli)"
for f in "$runtime" "$dev" "$emulator" "$emulator_dev" "$cli"; do
  echo "$(dpkg-deb -f "$f" Package) $(dpkg-deb -f "$f" Version): Depends: $(dpkg-deb -f "$f" Depends)"
done
# Dependencies on the Debian packages the binaries and headers need.
dpkg-deb -f "$runtime" Depends | grep libcurl4 >/dev/null || fail "the runtime package does not depend on libcurl4"
dpkg-deb -f "$dev" Depends | grep "libroserocket$major (= " >/dev/null || fail "-dev does not depend on the runtime"
dpkg-deb -f "$dev" Depends | grep nlohmann-json3-dev >/dev/null || fail "-dev does not depend on nlohmann-json3-dev"
dpkg-deb -f "$emulator" Depends | grep "libroserocket$major" >/dev/null || fail "rr-emulator does not depend on the runtime"
dpkg-deb -f "$emulator" Depends | grep libcpp-httplib >/dev/null || fail "rr-emulator does not depend on cpp-httplib"
dpkg-deb -f "$cli" Depends | grep "libroserocket$major (= " >/dev/null || fail "roserocket-cli does not depend on the runtime"
dpkg-deb -c "$cli" | grep "usr/share/bash-completion/completions/rr\$" >/dev/null ||
  fail "roserocket-cli has no bash completion"
dpkg-deb -c "$runtime" | grep "libroserocket\.so\.$major\$\|libroserocket\.so\.$major " >/dev/null ||
  fail "the runtime package has no libroserocket.so.$major"

for f in "$runtime" "$dev" "$emulator" "$emulator_dev" "$cli"; do
  dpkg-deb -x "$f" "$work/root"
done
libdir="$(dirname "$(find "$work/root" -name "libroserocket.so.$major" | head -1)")"
export LD_LIBRARY_PATH="$libdir"
quietly configure.log cmake -S "$SOURCE_ROOT/tests/consumer" -B "$work/build" -G Ninja \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_PREFIX_PATH="$work/root/usr" -DWITH_EMULATOR=ON \
  -DCMAKE_SKIP_RPATH=ON
quietly build.log cmake --build "$work/build"
ldd "$work/build/consumer" | grep "$libdir/libroserocket.so.$major" >/dev/null ||
  fail "the consumer does not load libroserocket from the extracted packages"
"$work/build/consumer"
"$work/build/consumer_emulator"
# The packaged executable starts and answers its usage.
"$work/root/usr/bin/rr-emulator" --help > "$work/help.txt" 2>&1 || fail "rr-emulator --help failed"
grep -q -i "port" "$work/help.txt" || fail "rr-emulator --help does not show its options"
# The packaged rr runs from the extracted root and names its version.
"$work/root/usr/bin/rr" --version > "$work/rr-version.txt" 2>&1 || fail "rr --version failed"
grep -q "^rr [0-9]" "$work/rr-version.txt" || fail "rr --version printed: $(cat "$work/rr-version.txt")"
echo "Debian packages: installed from $(cd "$work/debs" && ls ./*.deb | tr '\n' ' ')"
