#!/usr/bin/env bash
# Fixture of the package tests: a shared-library build of the SDK, the emulator and rr only (no
# tests, examples, tools or benchmarks), configured for /usr as the Debian packages need it.
# It is compiled with the main build's type and flags (RelWithDebInfo; position-independent, hidden
# visibility and the same defines on ELF), so that with ccache (cmake/build_speed.cmake) every
# object comes from the cache the main build filled: the SDK is compiled once per configuration.
# Keep BINARY_DIR one level below the source tree, as the main build is, for the cache to match.
# Usage: build_shared.sh BINARY_DIR CXX_COMPILER
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
binary_dir="$1"; compiler="$2"
quietly configure.log cmake -S "$SOURCE_ROOT" -B "$binary_dir" -G Ninja \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DBUILD_SHARED_LIBS=ON -DROSEROCKET_BUILD_EMULATOR=ON -DROSEROCKET_BUILD_CLI=ON -DROSEROCKET_BUILD_TESTS=OFF \
  -DROSEROCKET_BUILD_EXAMPLES=OFF -DROSEROCKET_BUILD_BENCH=OFF -DROSEROCKET_BUILD_TOOLS=OFF
quietly build.log cmake --build "$binary_dir"

so="$(readlink -f "$binary_dir/src/libroserocket.so")"
soname="$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
echo "built $(basename "$so"), SONAME $soname"
[[ "$soname" =~ ^libroserocket\.so\.[1-9][0-9]*$ ]] || fail "SONAME '$soname' has no real major"
# What the library exports: the SDK's API (ROSEROCKET_API), not nlohmann/json's instantiations.
nm -D --defined-only "$so" > "$work/exported"
# Demangled names only (no address or type letter); "typeinfo for std::..." counts as std.
nm -D -C --defined-only "$so" | cut -d' ' -f3- | sed -E 's/^(typeinfo|typeinfo name|vtable|VTT|guard variable) for //' \
  > "$work/names"
total=$(wc -l < "$work/exported")
json=$(grep -c -E '^(\S+ )?nlohmann::' "$work/names" || true)
std=$(grep -c -E '^(\S+ )?std::' "$work/names" || true)
echo "exported symbols: $total, of which nlohmann: $json, std: $std"
# Standard containers of the SDK's exported types stay exported (libstdc++ declares std visible);
# nlohmann/json's instantiations must all be hidden.
[ "$json" -eq 0 ] || { grep -E '^(\S+ )?nlohmann::' "$work/names" | head; fail "nlohmann symbols exported"; }
