# Install rules, only with ROSEROCKET_INSTALL=ON (the default when this is the top-level project).
# Components (also the Debian packages' contents, see cmake/packaging.cmake):
#   runtime       the shared library (libroserocket.so.<major>)
#   development   headers, the static library or the .so link, CMake package, roserocket.pc
#   emulator      the rr-emulator executable
#   emulator_dev  the roserocket::emulator library and its headers (find_package COMPONENTS emulator)
#   cli           the rr command line and its bash completion
#   postgresql    the shared roserocket_postgresql library (when built, ADR 0025)
#   postgresql_dev  roserocket::postgresql: its header, static library or .so link, CMake targets
#                 (find_package COMPONENTS postgresql), roserocket-postgresql.pc
include(CMakePackageConfigHelpers)

set(ROSEROCKET_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/roserocket)

install(TARGETS roserocket roserocket_testing
  EXPORT roserocketTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
          NAMELINK_COMPONENT development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/roserocket
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  PATTERN postgres_store.hpp EXCLUDE)
install(FILES ${ROSEROCKET_GENERATED_INCLUDE_DIR}/roserocket/version_config.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/roserocket COMPONENT development)
install(EXPORT roserocketTargets
  NAMESPACE roserocket::
  DESTINATION ${ROSEROCKET_CMAKE_INSTALL_DIR} COMPONENT development)

if(TARGET roserocket_emulator)
  install(TARGETS roserocket_emulator
    EXPORT roserocketEmulatorTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT emulator_dev)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/emulator/include/rr_emulator
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT emulator_dev)
  install(EXPORT roserocketEmulatorTargets
    NAMESPACE roserocket::
    DESTINATION ${ROSEROCKET_CMAKE_INSTALL_DIR} COMPONENT emulator_dev)
  install(TARGETS rr-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT emulator)
endif()

if(TARGET roserocket_postgresql)
  install(TARGETS roserocket_postgresql
    EXPORT roserocketPostgresqlTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT postgresql
            NAMELINK_COMPONENT postgresql_dev
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT postgresql_dev
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT postgresql)
  install(FILES ${PROJECT_SOURCE_DIR}/include/roserocket/sync/postgres_store.hpp
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/roserocket/sync COMPONENT postgresql_dev)
  install(EXPORT roserocketPostgresqlTargets
    NAMESPACE roserocket::
    DESTINATION ${ROSEROCKET_CMAKE_INSTALL_DIR} COMPONENT postgresql_dev)
endif()

if(TARGET rr)
  install(TARGETS rr RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
  install(FILES ${PROJECT_SOURCE_DIR}/cli/completion/rr.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME rr COMPONENT cli)
endif()

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/roserocketConfig.cmake.in
  ${PROJECT_BINARY_DIR}/roserocketConfig.cmake
  INSTALL_DESTINATION ${ROSEROCKET_CMAKE_INSTALL_DIR})
# Within a major version every minor is compatible (the ABI is the major, the SOVERSION).
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/roserocketConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/roserocketConfig.cmake
  ${PROJECT_BINARY_DIR}/roserocketConfigVersion.cmake
  DESTINATION ${ROSEROCKET_CMAKE_INSTALL_DIR} COMPONENT development)

# pkg-config: relocatable (paths relative to the .pc file's own folder).
file(RELATIVE_PATH ROSEROCKET_PC_TO_PREFIX
  "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" ROSEROCKET_PC_TO_PREFIX "${ROSEROCKET_PC_TO_PREFIX}")
if(WIN32)
  set(ROSEROCKET_PC_LIBS_PRIVATE "-lws2_32 -lwinhttp -lbcrypt -lcrypt32 -ladvapi32 -pthread")
  set(ROSEROCKET_PC_REQUIRES_PRIVATE "")
else()
  set(ROSEROCKET_PC_LIBS_PRIVATE "-lcurl -pthread")
  set(ROSEROCKET_PC_REQUIRES_PRIVATE "libcrypto >= 3.0")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/roserocket.pc.in
  ${PROJECT_BINARY_DIR}/roserocket.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/roserocket.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
if(TARGET roserocket_postgresql)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/roserocket-postgresql.pc.in
    ${PROJECT_BINARY_DIR}/roserocket-postgresql.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/roserocket-postgresql.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT postgresql_dev)
endif()
