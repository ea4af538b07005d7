#!/usr/bin/env bash
# The ctest windows.winhttp_transport: starts the loopback HTTP server of
# tests/windows/winhttp_server.py on the Linux side, then runs winhttp_transport_tests.exe
# (WinHttpTransport, built by the MinGW build) under Wine against it. The server's URL reaches the
# program in RR_WINHTTP_TEST_URL; RR_WINHTTP_CLOSED_URL names a loopback port nothing listens on.
#   winhttp_transport.sh PROGRAM.exe [GoogleTest arguments...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
program="$1"
shift

# The server prints its port on its first line, then serves until killed.
coproc SERVER { exec python3 "$here/tests/windows/winhttp_server.py"; }
server_pid=$SERVER_PID
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
read -r port <&"${SERVER[0]}"
[[ "$port" =~ ^[0-9]+$ ]] || { echo "winhttp_server.py did not start" >&2; exit 1; }
# A port bound and closed again: nothing listens there.
closed_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

export WINEDEBUG="${WINEDEBUG:--all}"
export RR_WINHTTP_TEST_URL="http://127.0.0.1:$port"
export RR_WINHTTP_CLOSED_URL="http://127.0.0.1:$closed_port"
"$here/scripts/wine_run.sh" "$program" "$@"
