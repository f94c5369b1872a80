# sluice-tune (bench/tune/): sweeps a user's application over batch intervals and rates
# (bench/README.md "sluice-tune"). Its pieces are a library so that tests/bench/ can test
# them; the command is installed with the daemons (cmake/Install.cmake).
add_library(sluice_tune_lib STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/app_process.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/csv_writer.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/grid.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/html_report.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/interrupt.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/neighbours.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/plots.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/points.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/progress.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/rest_client.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/run.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/stability.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/stall_probe.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/sweep.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/tune_options.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tune/verdict_lines.cc)
target_include_directories(sluice_tune_lib PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sluice_tune_lib PUBLIC sluice PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)

add_executable(sluice-tune ${CMAKE_CURRENT_SOURCE_DIR}/tune/main.cc)
target_link_libraries(sluice-tune PRIVATE sluice_tune_lib)
