# The API reference: Doxygen over include/roserocket, with warnings as errors (see Doxyfile).
#   cmake --build build --target roserocket_docs      (or `docs` when this is the top project)
# HTML goes to build/docs/html. The typed records' accessors exist only as X-macro expansions,
# which Doxygen cannot document, so `catalog_docs --doxygen` first writes a stand-in header that
# declares them with their catalog descriptions (docs/adr/0004-test-support-and-reference.md).
find_package(Doxygen QUIET)
if(NOT DOXYGEN_FOUND OR NOT TARGET roserocket_catalog_docs)
  return()
endif()

set(ROSEROCKET_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
set(ROSEROCKET_DOCS_RECORDS ${ROSEROCKET_DOCS_DIR}/generated/records_reference.hpp)
add_custom_command(
  OUTPUT ${ROSEROCKET_DOCS_RECORDS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ROSEROCKET_DOCS_DIR}/generated
  COMMAND roserocket_catalog_docs --doxygen ${ROSEROCKET_DOCS_RECORDS}
  DEPENDS roserocket_catalog_docs ${PROJECT_SOURCE_DIR}/include/roserocket/model/catalog.def
  COMMENT "Declaring the catalog's accessors for the reference")
file(GLOB_RECURSE ROSEROCKET_DOCS_HEADERS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/include/roserocket/*.hpp)
add_custom_command(
  OUTPUT ${ROSEROCKET_DOCS_DIR}/html/index.html
  COMMAND ${CMAKE_COMMAND} -E env
          ROSEROCKET_SOURCE_DIR=${PROJECT_SOURCE_DIR}
          ROSEROCKET_DOCS_DIR=${ROSEROCKET_DOCS_DIR}
          ROSEROCKET_DOCS_RECORDS=${ROSEROCKET_DOCS_RECORDS}
          ${DOXYGEN_EXECUTABLE} ${PROJECT_SOURCE_DIR}/Doxyfile
  DEPENDS ${PROJECT_SOURCE_DIR}/Doxyfile ${ROSEROCKET_DOCS_RECORDS} ${ROSEROCKET_DOCS_HEADERS}
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
  COMMENT "API reference (Doxygen, warnings are errors): ${ROSEROCKET_DOCS_DIR}/html")
add_custom_target(roserocket_docs DEPENDS ${ROSEROCKET_DOCS_DIR}/html/index.html)
if(PROJECT_IS_TOP_LEVEL AND NOT TARGET docs)
  add_custom_target(docs DEPENDS roserocket_docs)
endif()

# The reference builds with no warning, and the typed accessors carry the catalog's
# descriptions. Built into its own folder so it never races the `docs` target.
if(ROSEROCKET_BUILD_TESTS)
  add_test(NAME docs.reference_builds_without_warnings
           COMMAND ${CMAKE_COMMAND}
                   -DDOXYGEN=${DOXYGEN_EXECUTABLE}
                   -DCATALOG_DOCS=$<TARGET_FILE:roserocket_catalog_docs>
                   -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -DWORK_DIR=${PROJECT_BINARY_DIR}/docs_test
                   -P ${PROJECT_SOURCE_DIR}/cmake/check_docs.cmake)
  set_tests_properties(docs.reference_builds_without_warnings PROPERTIES LABELS docs TIMEOUT 600)
endif()
