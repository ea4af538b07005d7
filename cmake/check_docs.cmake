# Run by the ctest docs.reference_builds_without_warnings:
#   cmake -DDOXYGEN=... -DCATALOG_DOCS=... -DSOURCE_DIR=... -DWORK_DIR=... -P check_docs.cmake
# Builds the reference into WORK_DIR and fails on any Doxygen warning, or when a description of
# the field catalog is missing from the typed records' pages.
foreach(var DOXYGEN CATALOG_DOCS SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "check_docs.cmake: ${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(records ${WORK_DIR}/records_reference.hpp)
execute_process(COMMAND ${CATALOG_DOCS} --doxygen ${records} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "catalog_docs --doxygen failed (${rc})")
endif()

set(ENV{ROSEROCKET_SOURCE_DIR} ${SOURCE_DIR})
set(ENV{ROSEROCKET_DOCS_DIR} ${WORK_DIR})
set(ENV{ROSEROCKET_DOCS_RECORDS} ${records})
execute_process(COMMAND ${DOXYGEN} ${SOURCE_DIR}/Doxyfile
                WORKING_DIRECTORY ${WORK_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR err MATCHES "warning|error")
  message(FATAL_ERROR "doxygen failed (${rc}):\n${err}${out}")
endif()

# Every field description of catalog.def appears on the pages of the typed records.
file(GLOB pages ${WORK_DIR}/html/classroserocket_1_1model_1_1*.html)
set(html "")
foreach(page ${pages})
  file(READ ${page} text)
  string(APPEND html "${text}")
endforeach()
# As a reader sees it: without tags (Doxygen links class names) and with plain spaces.
string(REGEX REPLACE "<[^>]*>" "" html "${html}")
string(REPLACE "&#160;" " " html "${html}")
file(STRINGS ${SOURCE_DIR}/include/roserocket/model/catalog.def lines
     REGEX "^RR_(COMMON|FIELD|ENUM_FIELD|ONE|MANY|DERIVED)\\(")
set(checked 0)
set(missing "")
foreach(line ${lines})
  # The description is the last quoted argument; checked without its first letter (capitalised
  # in the reference) and up to the first character HTML would escape.
  if(NOT line MATCHES "\"([^\"]*)\"\\)[ \t]*$")
    continue()
  endif()
  string(SUBSTRING "${CMAKE_MATCH_1}" 1 -1 description)
  string(REGEX REPLACE "[&<>'\"].*" "" description "${description}")
  string(LENGTH "${description}" length)
  if(length LESS 8)
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  string(FIND "${html}" "${description}" at)
  if(at EQUAL -1)
    list(APPEND missing "${line}")
  endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/check_report.cmake")
roserocket_check_report(${checked} 50
  "only ${checked} catalog descriptions were checked; is catalog.def read?" missing
  "catalog descriptions missing from the reference"
  "reference built without warnings; ${checked} catalog descriptions found")
