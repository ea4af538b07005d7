#!/usr/bin/env bash
# Builds everything and runs every test: ./scripts/test.sh (as root it installs missing packages).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing_packages
configure_and_build
cd "$BUILD_DIR"
ctest --output-on-failure --parallel "$(nproc)" --timeout 300 "$@"
# The PostgreSQL store's tests exist only where libpq and the server are installed: say so.
if [ -x "$BUILD_DIR/tests/postgresql/postgresql_tests" ]; then
  echo "postgresql: $("$BUILD_DIR/tests/postgresql/postgresql_tests" --gtest_list_tests |
    grep -c '^  ') test cases in the ctest tests labelled postgresql ($(ctest -N -L postgresql |
    grep -o '[0-9]*$' | tail -1) of them)"
else
  echo "postgresql: the PostgreSQL store's tests were not built (libpq-dev or postgresql missing)"
fi
