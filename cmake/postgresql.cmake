# The PostgreSQL checkpoint and lease store (docs/postgresql-store.md, docs/adr/0025): its own
# library, roserocket_postgresql (roserocket::postgresql), so that libroserocket never links libpq.
#   ROSEROCKET_WITH_POSTGRESQL=AUTO  built when libpq is found (the default at the top level)
#                             ON    libpq is required
#                             OFF   not built (the default below the top level, as every optional
#                                   part is: ADR 0008)
if(PROJECT_IS_TOP_LEVEL)
  set(ROSEROCKET_POSTGRESQL_DEFAULT AUTO)
else()
  set(ROSEROCKET_POSTGRESQL_DEFAULT OFF)
endif()
set(ROSEROCKET_WITH_POSTGRESQL ${ROSEROCKET_POSTGRESQL_DEFAULT} CACHE STRING
    "Build the PostgreSQL checkpoint store, roserocket::postgresql (AUTO: when libpq is found)")
set_property(CACHE ROSEROCKET_WITH_POSTGRESQL PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${ROSEROCKET_WITH_POSTGRESQL}" ROSEROCKET_POSTGRESQL_MODE)
if(NOT ROSEROCKET_POSTGRESQL_MODE MATCHES "^(AUTO|ON|OFF|TRUE|FALSE|YES|NO|1|0)$")
  message(FATAL_ERROR "roserocket: ROSEROCKET_WITH_POSTGRESQL is '${ROSEROCKET_WITH_POSTGRESQL}'; "
                      "use AUTO, ON or OFF")
endif()
if(ROSEROCKET_POSTGRESQL_MODE MATCHES "^(OFF|FALSE|NO|0)$")
  message(STATUS "roserocket: PostgreSQL store off (ROSEROCKET_WITH_POSTGRESQL=OFF)")
  return()
endif()

# libpq only (Debian: libpq-dev); the server's headers are not needed.
find_package(PostgreSQL QUIET)
if(NOT TARGET PostgreSQL::PostgreSQL)
  if(ROSEROCKET_POSTGRESQL_MODE STREQUAL "AUTO")
    message(STATUS "roserocket: libpq not found: the PostgreSQL store (roserocket::postgresql) "
                   "is not built (Debian: libpq-dev)")
    return()
  endif()
  message(FATAL_ERROR "roserocket: ROSEROCKET_WITH_POSTGRESQL=ON needs libpq (Debian: libpq-dev)")
endif()
message(STATUS "roserocket: PostgreSQL store on (libpq ${PostgreSQL_VERSION_STRING})")

add_library(roserocket_postgresql ${PROJECT_SOURCE_DIR}/src/sync/postgres/postgres_store.cpp
                                  ${PROJECT_SOURCE_DIR}/include/roserocket/sync/postgres_store.hpp)
add_library(roserocket::postgresql ALIAS roserocket_postgresql)
target_link_libraries(roserocket_postgresql
  PUBLIC roserocket
  PRIVATE PostgreSQL::PostgreSQL $<BUILD_INTERFACE:roserocket_internal_warnings>)
get_target_property(ROSEROCKET_POSTGRESQL_TYPE roserocket_postgresql TYPE)
if(ROSEROCKET_POSTGRESQL_TYPE STREQUAL "SHARED_LIBRARY" AND (WIN32 OR CYGWIN))
  target_compile_definitions(roserocket_postgresql PRIVATE ROSEROCKET_BUILDING_POSTGRESQL
                                                   INTERFACE ROSEROCKET_POSTGRESQL_SHARED)
endif()
set_target_properties(roserocket_postgresql PROPERTIES
  DEFINE_SYMBOL ""
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  EXPORT_NAME postgresql
  POSITION_INDEPENDENT_CODE ON)

# The tests start a throw-away PostgreSQL server (initdb, pg_ctl: Debian's postgresql package).
# Without them the tests are not built; nothing is skipped at run time.
if(ROSEROCKET_BUILD_TESTS)
  file(GLOB ROSEROCKET_POSTGRESQL_BIN_HINTS LIST_DIRECTORIES true /usr/lib/postgresql/*/bin)
  list(SORT ROSEROCKET_POSTGRESQL_BIN_HINTS COMPARE NATURAL ORDER DESCENDING)
  find_program(ROSEROCKET_PG_CTL pg_ctl HINTS ${ROSEROCKET_POSTGRESQL_BIN_HINTS}
               DOC "pg_ctl of the PostgreSQL server the PostgreSQL store's tests start")
  if(ROSEROCKET_PG_CTL)
    get_filename_component(ROSEROCKET_POSTGRESQL_BINDIR "${ROSEROCKET_PG_CTL}" DIRECTORY)
  endif()
  if(ROSEROCKET_PG_CTL AND EXISTS "${ROSEROCKET_POSTGRESQL_BINDIR}/initdb"
     AND EXISTS "${ROSEROCKET_POSTGRESQL_BINDIR}/postgres")
    message(STATUS "roserocket: the PostgreSQL store's tests start servers from "
                   "${ROSEROCKET_POSTGRESQL_BINDIR}")
  else()
    message(STATUS "roserocket: PostgreSQL server programs (initdb, pg_ctl, postgres) not found: "
                   "the PostgreSQL store's tests are not built (Debian: postgresql; or set "
                   "ROSEROCKET_PG_CTL)")
    unset(ROSEROCKET_POSTGRESQL_BINDIR)
  endif()
endif()
