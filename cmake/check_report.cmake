# Shared ending of the source checks run with `cmake -P` (check_platform_headers.cmake,
# check_public_headers_portable.cmake, check_umbrella_header.cmake, check_docs.cmake):
#   roserocket_check_report(CHECKED MINIMUM NOTHING_CHECKED FOUND_VAR FAILURE SUCCESS)
# fails with NOTHING_CHECKED when fewer than MINIMUM items were checked (the check would pass
# vacuously on a wrong tree), with FAILURE and the list in FOUND_VAR one per line when it is not
# empty, and otherwise prints SUCCESS.
function(roserocket_check_report checked minimum nothing_checked found_var failure success)
  if(checked LESS minimum)
    message(FATAL_ERROR "${nothing_checked}")
  endif()
  if(${found_var})
    list(JOIN ${found_var} "\n  " listed)
    message(FATAL_ERROR "${failure}:\n  ${listed}")
  endif()
  message(STATUS "${success}")
endfunction()
