# Cross-compiling for 64-bit Windows with MinGW-w64, posix thread model (Debian 12:
# g++-mingw-w64-x86-64-posix). Use:
#   cmake -S . -B build-windows -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64-x86_64.cmake
# The SDK's own test programs then run under Wine (CMAKE_CROSSCOMPILING_EMULATOR); see README.md,
# "Windows", and docs/building.md. A consumer of an installed MinGW build uses the same file.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(ROSEROCKET_MINGW_TRIPLET x86_64-w64-mingw32)
# The -posix compilers: std::thread and std::mutex on winpthreads (the -win32 ones have none in
# gcc 12).
set(CMAKE_C_COMPILER ${ROSEROCKET_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${ROSEROCKET_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${ROSEROCKET_MINGW_TRIPLET}-windres)

# Libraries and headers come from the MinGW sysroot (and the roots given with
# -DCMAKE_FIND_ROOT_PATH, e.g. where a MinGW build of the SDK was installed), never from the build
# machine's /usr.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${ROSEROCKET_MINGW_TRIPLET})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# nlohmann/json is header-only, so the build machine's copy (Debian: nlohmann-json3-dev) serves
# this target too. Its own CMake package would add -isystem /usr/include, which puts glibc's
# headers in front of MinGW's. So a package of the same name is written here, with an include
# folder that holds nothing but nlohmann/. A package directory given on the command line wins.
if(NOT nlohmann_json_DIR AND EXISTS /usr/include/nlohmann/json.hpp)
  set(ROSEROCKET_MINGW_JSON_DIR "${CMAKE_BINARY_DIR}/roserocket-mingw-nlohmann_json")
  if(NOT EXISTS "${ROSEROCKET_MINGW_JSON_DIR}/include/nlohmann")
    file(MAKE_DIRECTORY "${ROSEROCKET_MINGW_JSON_DIR}/include")
    file(CREATE_LINK /usr/include/nlohmann "${ROSEROCKET_MINGW_JSON_DIR}/include/nlohmann" SYMBOLIC)
  endif()
  set(ROSEROCKET_MINGW_JSON_VERSION 3.0.0)
  foreach(dir /usr/share/cmake/nlohmann_json /usr/lib/cmake/nlohmann_json)
    if(EXISTS ${dir}/nlohmann_jsonConfigVersion.cmake)
      file(STRINGS ${dir}/nlohmann_jsonConfigVersion.cmake line REGEX "set\\(PACKAGE_VERSION \"")
      string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" ROSEROCKET_MINGW_JSON_VERSION "${line}")
      break()
    endif()
  endforeach()
  file(WRITE "${ROSEROCKET_MINGW_JSON_DIR}/nlohmann_jsonConfig.cmake"
       "if(NOT TARGET nlohmann_json::nlohmann_json)\n"
       "  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)\n"
       "  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES\n"
       "    INTERFACE_INCLUDE_DIRECTORIES \"${ROSEROCKET_MINGW_JSON_DIR}/include\")\n"
       "endif()\n")
  file(WRITE "${ROSEROCKET_MINGW_JSON_DIR}/nlohmann_jsonConfigVersion.cmake"
       "set(PACKAGE_VERSION ${ROSEROCKET_MINGW_JSON_VERSION})\n"
       "if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)\n"
       "  set(PACKAGE_VERSION_COMPATIBLE FALSE)\n"
       "else()\n"
       "  set(PACKAGE_VERSION_COMPATIBLE TRUE)\n"
       "endif()\n")
  set(nlohmann_json_DIR "${ROSEROCKET_MINGW_JSON_DIR}" CACHE PATH
      "nlohmann/json's CMake package (header-only; include folder with nlohmann/ alone)")
endif()

# Programs link the C and C++ runtimes and winpthreads statically: an .exe runs on a Windows
# machine (or under Wine) without MinGW's DLLs beside it.
# The unity batches of the test programs hold more sections than PE/COFF's default object format
# allows ("file too big" from the assembler); the big-object format lifts that limit.
set(CMAKE_CXX_FLAGS_INIT "-Wa,-mbig-obj")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")

# Test programs built here run under Wine when it is installed (wine64 or wine).
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(ROSEROCKET_WINE NAMES wine64 wine)
  if(ROSEROCKET_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${ROSEROCKET_WINE})
  endif()
endif()
