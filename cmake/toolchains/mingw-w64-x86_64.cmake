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
# this target too; a package directory given on the command line wins.
if(NOT nlohmann_json_DIR)
  foreach(dir /usr/share/cmake/nlohmann_json /usr/lib/cmake/nlohmann_json)
    if(EXISTS ${dir}/nlohmann_jsonConfig.cmake)
      set(nlohmann_json_DIR ${dir} CACHE PATH "nlohmann/json's CMake package (header-only)")
      break()
    endif()
  endforeach()
endif()

# Programs link the C and C++ runtimes and winpthreads statically: an .exe runs on a Windows
# machine (or under Wine) without MinGW's DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")

# Test programs built here run under Wine when it is installed (wine64 or wine).
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(ROSEROCKET_WINE NAMES wine64 wine)
  if(ROSEROCKET_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${ROSEROCKET_WINE})
  endif()
endif()
