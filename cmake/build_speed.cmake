# Build speed for the SDK's own build (top level only; docs/building.md, ADR 0018). Nothing here
# reaches a consumer of the installed library or of an add_subdirectory/FetchContent build: the
# options default to OFF below the top level, and the precompiled headers and unity batches are
# set on the SDK's own test, emulator, CLI, fuzz and bench targets, never on roserocket itself.

option(ROSEROCKET_CCACHE "Compile through ccache when it is installed" ${PROJECT_IS_TOP_LEVEL})
option(ROSEROCKET_UNITY_BUILD "Compile the test programs' sources in unity batches"
       ${PROJECT_IS_TOP_LEVEL})
# The test programs' own code is compiled without optimization (measured on a unit-test batch with
# gcc 12: -O0 -g costs 48% of the CPU time of -O2 -g). The code under test (the library, the
# emulator, rr) keeps the build type's flags; only the test files' code is left unoptimized.
if(PROJECT_IS_TOP_LEVEL)
  set(ROSEROCKET_TEST_OPTIMIZATION "-O0" CACHE STRING
      "Optimization flag for the SDK's own test programs (empty: the build type's)")
endif()

# roserocket_test_optimization(TARGET): ROSEROCKET_TEST_OPTIMIZATION on a test program (after the
# build type's flags, so it wins).
function(roserocket_test_optimization target)
  if(ROSEROCKET_TEST_OPTIMIZATION)
    target_compile_options(${target} PRIVATE ${ROSEROCKET_TEST_OPTIMIZATION})
  endif()
endfunction()

# ccache, when present and the caller has not chosen a launcher. The base directory is the source
# tree, so a fresh clone in another folder hits what an earlier clone on this machine cached (paths
# under the tree are hashed relative to the build directory; keep build directories one level
# below the tree, as scripts/ do). The sloppiness lets precompiled headers be cached.
if(ROSEROCKET_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(ROSEROCKET_CCACHE_PROGRAM ccache)
  if(ROSEROCKET_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1
        CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        ${ROSEROCKET_CCACHE_PROGRAM})
    message(STATUS "roserocket: compiling through ${ROSEROCKET_CCACHE_PROGRAM}")
  endif()
endif()

# Precompiled headers, by default at the top level. Not by default with clang through ccache:
# clang writes the absolute paths (and, unless told otherwise, the mtimes) of the headers into
# its .pch, so the precompiled header of a clone in another folder differs byte for byte, and
# ccache misses every translation unit that uses it. Measured on the ASan build (clang 14, 2
# cores): a second clone with a warm cache compiled in 252 s with precompiled headers (21 of 57
# hits) and in 45 s without (45 of 50 hits); cold, without them it took 409 s (other builds
# sharing the machine) against 368 s with them (a quiet machine). gcc's .gch holds the paths as
# ccache rewrote them (relative), so gcc keeps them. -DROSEROCKET_PRECOMPILED_HEADERS=ON overrides.
set(_roserocket_pch_default ${PROJECT_IS_TOP_LEVEL})
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND "${CMAKE_CXX_COMPILER_LAUNCHER}" MATCHES "ccache")
  set(_roserocket_pch_default OFF)
endif()
option(ROSEROCKET_PRECOMPILED_HEADERS
       "Precompile nlohmann/json, GoogleTest/GMock and cpp-httplib for the SDK's own programs"
       ${_roserocket_pch_default})

# roserocket_heavy_headers(TARGET KIND...): precompiles the third-party headers a target's sources
# include. KIND: json, gtest (GoogleTest and GoogleMock), httplib, cli11. Targets with the same
# kinds and flags could share one header with REUSE_FROM, but their compile flags differ (defines,
# include folders), so each target gets its own: one header compile per target instead of one
# parse per source file.
function(roserocket_heavy_headers target)
  if(NOT ROSEROCKET_PRECOMPILED_HEADERS)
    return()
  endif()
  set(headers)
  foreach(kind ${ARGN})
    if(kind STREQUAL "json")
      list(APPEND headers <nlohmann/json.hpp>)
    elseif(kind STREQUAL "gtest")
      list(APPEND headers <gtest/gtest.h> <gmock/gmock.h>)
    elseif(kind STREQUAL "httplib")
      list(APPEND headers <httplib.h>)
    elseif(kind STREQUAL "cli11")
      list(APPEND headers <CLI/CLI.hpp>)
    else()
      message(FATAL_ERROR "roserocket_heavy_headers: unknown kind ${kind}")
    endif()
  endforeach()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

# roserocket_unity(TARGET [BATCH N]): compiles a target's .cpp sources in batches of N (default 8)
# per translation unit. The batch files are written here rather than by CMake's UNITY_BUILD, whose
# files include each source by its absolute path: these name it relative to the batch file, so a
# fresh clone in another folder compiles byte-identical batches and ccache hits (the build
# directory at the same depth below the tree, as the scripts keep it). Sources are batched in
# their listed order; a file whose file-local names collide with another's is renamed, not left
# out. A source with SKIP_UNITY_BUILD_INCLUSION set is compiled on its own (the Windows files,
# whose <windows.h> macros must not reach the files batched after them).
function(roserocket_unity target)
  if(NOT ROSEROCKET_UNITY_BUILD)
    return()
  endif()
  cmake_parse_arguments(ARG "" "BATCH" "" ${ARGN})
  if(NOT ARG_BATCH)
    set(ARG_BATCH 8)
  endif()
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_unity")
  set(kept)
  set(batches)
  set(content "")
  set(count 0)
  set(index 0)
  foreach(source ${sources})
    if(NOT source MATCHES "\\.cpp$")
      list(APPEND kept "${source}")
      continue()
    endif()
    get_source_file_property(alone "${source}" SKIP_UNITY_BUILD_INCLUSION)
    if(alone)
      list(APPEND kept "${source}")
      continue()
    endif()
    if(NOT IS_ABSOLUTE "${source}")
      set(source "${source_dir}/${source}")
    endif()
    file(RELATIVE_PATH relative "${dir}" "${source}")
    string(APPEND content "#include \"${relative}\"\n")
    math(EXPR count "${count} + 1")
    if(count EQUAL ARG_BATCH)
      file(CONFIGURE OUTPUT "${dir}/unity_${index}.cpp" CONTENT "${content}" @ONLY)
      list(APPEND batches "${dir}/unity_${index}.cpp")
      math(EXPR index "${index} + 1")
      set(content "")
      set(count 0)
    endif()
  endforeach()
  if(count GREATER 0)
    file(CONFIGURE OUTPUT "${dir}/unity_${index}.cpp" CONTENT "${content}" @ONLY)
    list(APPEND batches "${dir}/unity_${index}.cpp")
  endif()
  set_property(TARGET ${target} PROPERTY SOURCES ${kept} ${batches})
endfunction()

# roserocket_shared_heavy_headers(NAME KIND... LINK libs... [OPTIONS flags...] [INCLUDE dirs...]):
# one precompiled header for a family of one-file programs (benchmarks, fuzz harnesses), which a
# header of their own each would not pay back. NAME is an object library compiled with the same
# libraries, options and include folders as the programs, which then take its header with
# roserocket_reuse_heavy_headers(PROGRAM NAME).
function(roserocket_shared_heavy_headers name)
  if(NOT ROSEROCKET_PRECOMPILED_HEADERS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "LINK;OPTIONS;INCLUDE" ${ARGN})
  set(source "${CMAKE_CURRENT_BINARY_DIR}/${name}.cpp")
  file(WRITE "${source}.in" "// The translation unit that makes ${name}'s precompiled header.\n")
  configure_file("${source}.in" "${source}" COPYONLY)
  add_library(${name} OBJECT "${source}")
  target_link_libraries(${name} PRIVATE ${ARG_LINK})
  if(ARG_OPTIONS)
    target_compile_options(${name} PRIVATE ${ARG_OPTIONS})
  endif()
  if(ARG_INCLUDE)
    target_include_directories(${name} PRIVATE ${ARG_INCLUDE})
  endif()
  roserocket_heavy_headers(${name} ${ARG_UNPARSED_ARGUMENTS})
endfunction()

function(roserocket_reuse_heavy_headers target pch_target)
  if(ROSEROCKET_PRECOMPILED_HEADERS AND TARGET ${pch_target})
    target_precompile_headers(${target} REUSE_FROM ${pch_target})
  endif()
endfunction()
