# Sourced, not run: start_emulator EXE starts rr-emulator on a free loopback port, waits for its
# "listening on URL" line (at most 10 s), sets EMULATOR_URL, and stops it when the shell exits.

start_emulator() {
  local exe="$1"
  _emulator_log="$(mktemp)"
  "$exe" --port 0 >"$_emulator_log" 2>&1 &
  _emulator_pid=$!
  trap '_stop_emulator' EXIT
  for _ in $(seq 1 100); do
    grep -q '^listening on ' "$_emulator_log" && break
    kill -0 "$_emulator_pid" 2>/dev/null || { cat "$_emulator_log" >&2; exit 1; }
    sleep 0.1
  done
  EMULATOR_URL="$(sed -n 's/^listening on //p' "$_emulator_log" | head -n 1)"
  [ -n "$EMULATOR_URL" ] || { echo "the emulator did not start" >&2; cat "$_emulator_log" >&2; exit 1; }
}

_stop_emulator() {
  kill -TERM "$_emulator_pid" 2>/dev/null && wait "$_emulator_pid" 2>/dev/null
  rm -f "$_emulator_log"
}
