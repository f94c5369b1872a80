# The cluster scripts (scripts/start-*.sh, stop-*.sh), run as a user runs them: a master and
# workers on 127.0.0.2 and 127.0.0.3 from conf/workers, word_count on them, stop-cluster.sh.
# Needs sluice-master, sluice-worker, sluice-executor, sluice-submit and word_count built.
add_test(NAME scripts.cluster
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scripts/cluster_scripts_test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(scripts.cluster PROPERTIES LABELS integration TIMEOUT 300)

# shellcheck over the scripts, when it is installed (it is not a build dependency).
find_program(SLUICE_SHELLCHECK shellcheck)
if(SLUICE_SHELLCHECK)
  file(GLOB SLUICE_SHELL_SCRIPTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scripts/*.sh ${PROJECT_SOURCE_DIR}/bench/*.sh
    ${PROJECT_SOURCE_DIR}/bench/lib/*.sh ${PROJECT_SOURCE_DIR}/bench/ysb/*.sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/*.sh ${CMAKE_CURRENT_SOURCE_DIR}/out_of_tree/*.sh)
  add_test(NAME scripts.shellcheck COMMAND ${SLUICE_SHELLCHECK} -x ${SLUICE_SHELL_SCRIPTS}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(scripts.shellcheck PROPERTIES LABELS unit TIMEOUT 60)
endif()

# Lower rooms never include higher ones (the order of SLUICE_COMPONENTS).
add_test(NAME scripts.layering
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scripts/layering_test.sh ${PROJECT_SOURCE_DIR} ${SLUICE_COMPONENTS})
set_tests_properties(scripts.layering PROPERTIES LABELS unit TIMEOUT 60)

# The bench scripts' --build-dir and --out are relative to the current directory.
add_test(NAME scripts.bench_dirs COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scripts/bench_dirs_test.sh)
set_tests_properties(scripts.bench_dirs PROPERTIES LABELS unit TIMEOUT 60)

# The README never points outside the repository.
add_test(NAME scripts.readme_links
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scripts/readme_links_test.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(scripts.readme_links PROPERTIES LABELS unit TIMEOUT 60)
