#!/usr/bin/env bash
# Runs a Windows program under Wine with the caller's environment (RR_* included; Wine passes
# the Unix environment on to the program): wine_run.sh PROGRAM.exe [ARGS...]
set -euo pipefail
exec "$(command -v wine64 || command -v wine)" "$@"
