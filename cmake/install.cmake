include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS roserocket roserocket_testing
  EXPORT roserocketTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/roserocket
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT roserocketTargets
  NAMESPACE roserocket::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/roserocket)

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/roserocketConfig.cmake.in
  ${PROJECT_BINARY_DIR}/roserocketConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/roserocket)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/roserocketConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/roserocketConfig.cmake
  ${PROJECT_BINARY_DIR}/roserocketConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/roserocket)
