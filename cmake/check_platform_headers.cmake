# Run by the ctest platform.os_headers_only_in_platform_layer (and by scripts/ci_windows.sh):
#   cmake -DSOURCE_DIR=<the tree> -P check_platform_headers.cmake
# Fails when a file of the library (src/) or of its public headers (include/) outside
# src/platform/ (and the Windows backends, below) includes a POSIX or Win32 header: the platform layer is the only place for them
# (docs/adr/0029-platform-layer.md).
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_platform_headers.cmake: SOURCE_DIR is not set")
endif()
# POSIX (unistd.h, fcntl.h, sys/*, arpa/*, netinet/*, netdb.h, poll.h, pwd.h, dirent.h, dlfcn.h,
# pthread.h, signal.h, termios.h, syslog.h) and Win32 (windows.h, winsock2.h, ws2tcpip.h, winhttp.h,
# bcrypt.h, wincrypt.h, aclapi.h, io.h, direct.h, process.h, shlobj.h, sddl.h, and the like).
set(pattern "^[ \t]*#[ \t]*include[ \t]*<(unistd|fcntl|sys/[a-z_]+|arpa/[a-z_]+|netinet/[a-z_]+|netdb|poll|pwd|grp|dirent|dlfcn|pthread|signal|termios|syslog|spawn|windows|winsock2?|ws2tcpip|ws2def|winhttp|wininet|bcrypt|ncrypt|wincrypt|aclapi|accctrl|io|direct|process|shlobj|shellapi|sddl|winbase|winnt|winerror|iphlpapi|mswsock|lmcons|userenv|knownfolders)\\.h>")
file(GLOB_RECURSE files "${SOURCE_DIR}/src/*.cpp" "${SOURCE_DIR}/src/*.hpp" "${SOURCE_DIR}/src/*.h"
     "${SOURCE_DIR}/include/*.hpp" "${SOURCE_DIR}/include/*.h")
set(checked 0)
set(found "")
foreach(file ${files})
  file(RELATIVE_PATH relative "${SOURCE_DIR}" "${file}")
  # The Windows backends of the transport and of the JOSE crypto (ADR 0026) are built on the
  # system's own APIs, as CurlTransport and the OpenSSL backend are on libcurl and OpenSSL: they
  # are compiled only into Windows builds and may include its headers.
  if(relative MATCHES "^src/platform/" OR
     relative MATCHES "^src/(http/winhttp_[a-z_]*|auth/crypto_cng)\\.cpp$")
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  file(STRINGS "${file}" lines REGEX "${pattern}")
  foreach(line ${lines})
    string(STRIP "${line}" line)
    list(APPEND found "${relative}: ${line}")
  endforeach()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/check_report.cmake")
roserocket_check_report(${checked} 50
  "only ${checked} files were checked; is SOURCE_DIR the SDK's tree?" found
  "operating-system headers outside src/platform/ (move the call into the platform layer, src/platform/platform.hpp)"
  "${checked} files of src/ and include/ include no POSIX or Win32 header")
