# Run by the ctest headers.no_compiler_specific_constructs:
#   cmake -DSOURCE_DIR=<the tree> -P check_public_headers_portable.cmake
# The public headers (include/) must compile with MSVC as well as with gcc and clang (README.md,
# "Windows"). The project's own builds already compile them with -Wpedantic -Werror, which refuses
# GNU statement expressions, variable-length arrays, zero-length arrays and case ranges; this
# check refuses what -Wpedantic lets through: compiler-specific keywords and builtins, allowed
# only in the lines that define the export macros (each of which has an MSVC branch).
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_public_headers_portable.cmake: SOURCE_DIR is not set")
endif()
set(pattern "(__attribute__|__builtin_|__extension__|__typeof__|[^_a-z]typeof[ (]|__int128|__label__|__asm__|__restrict__|__PRETTY_FUNCTION__|__declspec)")
file(GLOB_RECURSE files "${SOURCE_DIR}/include/*.hpp" "${SOURCE_DIR}/include/*.h"
     "${SOURCE_DIR}/include/*.def")
set(checked 0)
set(found "")
foreach(file ${files})
  file(RELATIVE_PATH relative "${SOURCE_DIR}" "${file}")
  math(EXPR checked "${checked} + 1")
  file(STRINGS "${file}" lines REGEX "${pattern}")
  foreach(line ${lines})
    # The export macros: one definition per compiler, chosen by the preprocessor.
    if(line MATCHES "^[ \t]*#[ \t]*define[ \t]+ROSEROCKET_[A-Z_]*API[ \t]")
      continue()
    endif()
    string(STRIP "${line}" line)
    string(REPLACE ";" "\\;" line "${line}")
    list(APPEND found "${relative}: ${line}")
  endforeach()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/check_report.cmake")
roserocket_check_report(${checked} 40
  "only ${checked} headers were checked; is SOURCE_DIR the SDK's tree?" found
  "compiler-specific constructs in public headers (MSVC would refuse them; move them into src/ or behind a macro with an MSVC branch)"
  "${checked} public headers use no compiler-specific construct")
