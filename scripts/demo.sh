#!/usr/bin/env bash
# The main job: build the emulator and the getting-started example, start the emulator on a free
# loopback port, run the example against it, stop the emulator. As root it installs missing
# Debian packages first.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
configure_and_build --target rr-emulator getting_started

log="$(mktemp)"
"$BUILD_DIR/emulator/rr-emulator" --port 0 >"$log" 2>&1 &
emulator_pid=$!
cleanup() {
  kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT

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
  "$BUILD_DIR/examples/getting_started"
echo "emulator stopped; demo finished"
