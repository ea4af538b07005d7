# Shared by scripts/test.sh and scripts/demo.sh: install what is missing, configure, build.
# Settings from the environment (all optional):
#   BUILD_DIR   build directory (default: build/ at the top of the checkout)
#   BUILD_TYPE  CMake build type (default: RelWithDebInfo)
#   CXX         C++ compiler for a fresh build directory (e.g. clang++); CMake's default otherwise
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
PACKAGES=(g++ clang cmake ninja-build pkg-config libcurl4-openssl-dev nlohmann-json3-dev
          libgtest-dev libgmock-dev libcpp-httplib-dev libsqlite3-dev zlib1g-dev libssl-dev curl
          dpkg-dev file doxygen libcli11-dev abigail-tools xz-utils
          # The PostgreSQL store (libpq) and the server its tests start (docs/postgresql-store.md).
          libpq-dev postgresql)

install_missing_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

configure_and_build() {
  local compiler=()
  # Only a fresh build directory takes a compiler; CMake refuses to switch an existing one.
  if [ -n "${CXX:-}" ] && [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    compiler=(-DCMAKE_CXX_COMPILER="$CXX")
  fi
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    "${compiler[@]}" >/dev/null
  cmake --build "$BUILD_DIR" --parallel "$(nproc)" "$@"
}
