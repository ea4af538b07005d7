#!/usr/bin/env bash
# Starts the rr-emulator executable on a free loopback port, runs one example against it as a
# separate server (RR_BASE_URL, client-credentials grant with the demo client), stops the
# emulator. Used by scripts/demo.sh and by ctest.
#   usage: run_against_emulator.sh RR_EMULATOR_EXE EXAMPLE_EXE [--no-token-url]
# With --no-token-url, RR_TOKEN_URL is not set: the program must find the token endpoint from
# RR_BASE_URL itself (ClientOptions::from_env, ADR 0022).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/start_emulator.sh"
start_emulator "$1"
echo "emulator: $EMULATOR_URL (demo credentials)"

# The demo client id and secret only unlock the local emulator.
if [[ "${3:-}" == "--no-token-url" ]]; then
  RR_BASE_URL="$EMULATOR_URL" \
  RR_CLIENT_ID=demo-client-id \
  RR_CLIENT_SECRET=demo-client-secret \
    "$2"
else
  RR_BASE_URL="$EMULATOR_URL" \
  RR_TOKEN_URL="$EMULATOR_URL/oauth/token" \
  RR_CLIENT_ID=demo-client-id \
  RR_CLIENT_SECRET=demo-client-secret \
    "$2"
fi
