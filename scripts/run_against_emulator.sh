#!/usr/bin/env bash
# Starts the rr-emulator executable on a free loopback port, runs one example against it as a
# separate server (RR_BASE_URL, client-credentials grant with the demo client), stops the
# emulator. Used by scripts/demo.sh and by ctest.
#   usage: run_against_emulator.sh RR_EMULATOR_EXE EXAMPLE_EXE
set -euo pipefail
emulator_exe="$1"
example_exe="$2"

log="$(mktemp)"
"$emulator_exe" --port 0 >"$log" 2>&1 &
emulator_pid=$!
cleanup() {
  kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT

# Wait for the emulator's "listening on URL" line (or for it to die), at most 10 s.
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$log" && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
base_url="$(sed -n 's/^listening on //p' "$log" | head -n 1)"
[ -n "$base_url" ] || { echo "the emulator did not start" >&2; cat "$log" >&2; exit 1; }
echo "emulator: $base_url (demo credentials)"

# The demo client id and secret only unlock the local emulator.
RR_BASE_URL="$base_url" \
RR_TOKEN_URL="$base_url/oauth/token" \
RR_CLIENT_ID=demo-client-id \
RR_CLIENT_SECRET=demo-client-secret \
  "$example_exe"
