# Shared by the package tests (tests/package/*.sh and tests/consumer/run.sh): a scratch folder
# removed on exit, and quiet commands whose output is shown only when they fail.
set -euo pipefail
PACKAGE_TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE_ROOT="$(cd "$PACKAGE_TESTS_DIR/../.." && pwd)"
# A fixed scratch folder when ctest names one (same paths every run, so ccache hits), kept when the
# test fails for a look; a temporary one otherwise.
if [ -n "${PACKAGE_TEST_WORK:-}" ]; then
  work="$PACKAGE_TEST_WORK"
  rm -rf "$work"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
fi
trap 'status=$?; [ $status -ne 0 ] || rm -rf "$work"' EXIT

# quietly LOG COMMAND...: runs COMMAND with its output in $work/LOG, printed if it fails.
quietly() {
  local log="$work/$1"; shift
  if ! "$@" >"$log" 2>&1; then
    echo "failed: $*" >&2
    cat "$log" >&2
    exit 1
  fi
}

fail() { echo "FAIL: $*" >&2; exit 1; }
