#pragma once

// Absolute paths of the PostgreSQL store's tests (generated into postgresql_tests_pg_paths.cpp
// by tests/postgresql/CMakeLists.txt): the server's programs' folder and the lease worker.

namespace rr_pg_test {
extern const char* const pg_bindir;
extern const char* const lease_worker;
}  // namespace rr_pg_test
