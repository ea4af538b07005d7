# Debian packages: `cpack -G DEB` in a build configured with -DBUILD_SHARED_LIBS=ON
# -DCMAKE_INSTALL_PREFIX=/usr (a static build makes the same packages minus the runtime one).
#   libroserocket<major>         runtime: the shared library
#   libroserocket-dev            headers, CMake package, roserocket.pc, the .so link or the .a
#   rr-emulator                  the rr-emulator executable
#   libroserocket-emulator-dev   roserocket::emulator (find_package(roserocket COMPONENTS emulator))
#   roserocket-cli               the rr command line and its bash completion
#   libroserocket-postgresql<major>  the PostgreSQL store's shared library (when built)
#   libroserocket-postgresql-dev     roserocket::postgresql (find_package COMPONENTS postgresql)
# Library dependencies of the binaries come from dpkg-shlibdeps; the -dev packages name theirs.
get_target_property(ROSEROCKET_LIBRARY_TYPE roserocket TYPE)
set(ROSEROCKET_RUNTIME_PACKAGE "libroserocket${PROJECT_VERSION_MAJOR}")

set(CPACK_PACKAGE_NAME roserocket)
set(CPACK_PACKAGE_VENDOR "The roserocket-cpp authors")
set(CPACK_PACKAGE_CONTACT "roserocket-cpp maintainers <maintainers@roserocket-cpp.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_FILE_NAME roserocket-${PROJECT_VERSION})

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL development)
if(ROSEROCKET_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  list(APPEND CPACK_COMPONENTS_ALL runtime)
endif()
if(TARGET roserocket_emulator)
  list(APPEND CPACK_COMPONENTS_ALL emulator emulator_dev)
endif()
if(TARGET rr)
  list(APPEND CPACK_COMPONENTS_ALL cli)
endif()
if(TARGET roserocket_postgresql)
  list(APPEND CPACK_COMPONENTS_ALL postgresql_dev)
  if(ROSEROCKET_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
    list(APPEND CPACK_COMPONENTS_ALL postgresql)
  endif()
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Lets dpkg-shlibdeps resolve libroserocket.so.N to the runtime package built alongside it.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${ROSEROCKET_RUNTIME_PACKAGE})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# dpkg-shlibdeps finds libcrypto too; named here as well so the dependency is plain to read.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libssl3 (>= 3.0)")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "${PROJECT_DESCRIPTION} (shared library)")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libroserocket-dev)
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "${PROJECT_DESCRIPTION} (headers, CMake package, pkg-config file)")
set(ROSEROCKET_DEV_DEPENDS
    "nlohmann-json3-dev (>= 3.9), libcurl4-openssl-dev | libcurl-dev, libssl-dev (>= 3.0)")
if(ROSEROCKET_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  string(PREPEND ROSEROCKET_DEV_DEPENDS "${ROSEROCKET_RUNTIME_PACKAGE} (= ${PROJECT_VERSION}), ")
endif()
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${ROSEROCKET_DEV_DEPENDS}")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SHLIBDEPS OFF)

set(CPACK_DEBIAN_EMULATOR_PACKAGE_NAME rr-emulator)
# dpkg-shlibdeps sees one component at a time: it finds libroserocket.so.N in the build tree and,
# having no shlibs file for it, leaves that dependency to this explicit one.
if(ROSEROCKET_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src)
  set(CPACK_DEBIAN_EMULATOR_PACKAGE_DEPENDS "${ROSEROCKET_RUNTIME_PACKAGE} (= ${PROJECT_VERSION})")
  set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "${ROSEROCKET_RUNTIME_PACKAGE} (= ${PROJECT_VERSION})")
endif()
set(CPACK_DEBIAN_EMULATOR_PACKAGE_SECTION devel)
set(CPACK_COMPONENT_EMULATOR_DESCRIPTION
    "Local stand-in of the Rose Rocket platform API for examples and tests")

set(CPACK_DEBIAN_EMULATOR_DEV_PACKAGE_NAME libroserocket-emulator-dev)
set(CPACK_COMPONENT_EMULATOR_DEV_DESCRIPTION
    "The Rose Rocket emulator as a library, to start in-process from tests")
set(CPACK_DEBIAN_EMULATOR_DEV_PACKAGE_DEPENDS
    "libroserocket-dev (= ${PROJECT_VERSION}), libcpp-httplib-dev, libsqlite3-dev, zlib1g-dev, pkg-config")
set(CPACK_DEBIAN_EMULATOR_DEV_PACKAGE_SHLIBDEPS OFF)

set(CPACK_DEBIAN_CLI_PACKAGE_NAME roserocket-cli)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_CLI_DESCRIPTION
    "rr: the Rose Rocket platform API from the command line (records, search, import, sign-in)")

set(CPACK_DEBIAN_POSTGRESQL_PACKAGE_NAME "libroserocket-postgresql${PROJECT_VERSION_MAJOR}")
set(CPACK_DEBIAN_POSTGRESQL_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_POSTGRESQL_DESCRIPTION
    "PostgreSQL checkpoint and lease store of the Rose Rocket C++ SDK (shared library)")
set(CPACK_DEBIAN_POSTGRESQL_DEV_PACKAGE_NAME libroserocket-postgresql-dev)
set(CPACK_COMPONENT_POSTGRESQL_DEV_DESCRIPTION
    "PostgreSQL checkpoint and lease store of the Rose Rocket C++ SDK (header, CMake component)")
set(ROSEROCKET_POSTGRESQL_DEV_DEPENDS "libroserocket-dev (= ${PROJECT_VERSION}), libpq-dev")
if(ROSEROCKET_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  string(PREPEND ROSEROCKET_POSTGRESQL_DEV_DEPENDS
         "libroserocket-postgresql${PROJECT_VERSION_MAJOR} (= ${PROJECT_VERSION}), ")
  set(CPACK_DEBIAN_POSTGRESQL_PACKAGE_DEPENDS "${ROSEROCKET_RUNTIME_PACKAGE} (= ${PROJECT_VERSION})")
endif()
set(CPACK_DEBIAN_POSTGRESQL_DEV_PACKAGE_DEPENDS "${ROSEROCKET_POSTGRESQL_DEV_DEPENDS}")
set(CPACK_DEBIAN_POSTGRESQL_DEV_PACKAGE_SHLIBDEPS OFF)

include(CPack)
