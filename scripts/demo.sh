#!/usr/bin/env bash
# The main job: build the emulator and the getting-started example, start the emulator on a free
# loopback port, run the example against it, stop the emulator. As root it installs missing
# Debian packages first.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
configure_and_build --target rr-emulator getting_started
"$ROOT/scripts/run_against_emulator.sh" "$BUILD_DIR/emulator/rr-emulator" \
  "$BUILD_DIR/examples/getting_started"
echo "emulator stopped; demo finished"
