# sluice_add_app(<name> <sources>...): builds a Sluice application library lib<name>.so
# that sluice-submit can run and executors can load.
function(sluice_add_app name)
  add_library(${name} SHARED ${ARGN})
  target_link_libraries(${name} PRIVATE Sluice::sluice)
  set_target_properties(${name} PROPERTIES CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)
endfunction()
