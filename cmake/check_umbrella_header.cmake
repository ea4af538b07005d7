# Run by the ctest headers.umbrella_includes_every_public_header:
#   cmake -DSOURCE_DIR=<the tree> -P check_umbrella_header.cmake
# Fails when a public header under include/roserocket/ is missing from the umbrella header
# roserocket/roserocket.hpp (issue 23 item 9: "roserocket.hpp covers every public part"). Left out
# on purpose, and only these: the test doubles (roserocket/testing/, which need GoogleMock and
# which a test program includes itself) and the PostgreSQL store (its own library,
# roserocket::postgresql, built only where libpq is; docs/adr/0025).
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_umbrella_header.cmake: SOURCE_DIR is not set")
endif()
set(umbrella "${SOURCE_DIR}/include/roserocket/roserocket.hpp")
if(NOT EXISTS "${umbrella}")
  message(FATAL_ERROR "${umbrella} not found; is SOURCE_DIR the SDK's tree?")
endif()
file(STRINGS "${umbrella}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"roserocket/[^\"]+\"")
set(included "")
foreach(line ${lines})
  string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*$" "\\1" header "${line}")
  list(APPEND included "${header}")
endforeach()
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/roserocket/*.hpp")
set(missing "")
set(checked 0)
foreach(header ${headers})
  if(header STREQUAL "roserocket/roserocket.hpp" OR header MATCHES "^roserocket/testing/" OR
     header STREQUAL "roserocket/sync/postgres_store.hpp")
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  list(FIND included "${header}" at)
  if(at EQUAL -1)
    list(APPEND missing "${header}")
  endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/check_report.cmake")
roserocket_check_report(${checked} 30
  "only ${checked} public headers were found; is SOURCE_DIR the SDK's tree?" missing
  "public headers missing from roserocket/roserocket.hpp (add an #include line for each, or, for a header that must stay out, say why in cmake/check_umbrella_header.cmake)"
  "roserocket/roserocket.hpp includes all ${checked} public headers")
