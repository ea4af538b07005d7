#!/usr/bin/env bash
# Builds everything and runs every test: ./scripts/test.sh (as root it installs missing packages).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
configure_and_build
cd "$BUILD_DIR"
ctest --output-on-failure --parallel "$(nproc)" --timeout 300 "$@"
