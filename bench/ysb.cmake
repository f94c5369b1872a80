# The Yahoo Streaming Benchmark (bench/ysb/, bench/README.md "YSB"): the application
# (libysb_app.so), sluice-ysb (seeds Redis, reads the results back) and the pieces both use.
# They talk to Redis through hiredis (libhiredis-dev, in scripts/install-deps.sh's TESTING
# list); without it they are not built and the YSB tests are not registered.
pkg_check_modules(HIREDIS QUIET IMPORTED_TARGET hiredis)
if(HIREDIS_FOUND)
  add_library(sluice_ysb_lib STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/catalog.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/event_generator.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/event_parser.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/redis_client.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/redis_layout.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/run_results.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/ysb/uuid.cc)
  target_include_directories(sluice_ysb_lib PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(sluice_ysb_lib PUBLIC sluice PkgConfig::HIREDIS PRIVATE nlohmann_json::nlohmann_json)

  sluice_add_app(ysb_app ${CMAKE_CURRENT_SOURCE_DIR}/ysb/ysb_app.cc)
  target_link_libraries(ysb_app PRIVATE sluice_ysb_lib)

  add_executable(sluice-ysb ${CMAKE_CURRENT_SOURCE_DIR}/ysb/ysb_tool.cc)
  target_link_libraries(sluice-ysb PRIVATE sluice_ysb_lib Boost::program_options)
else()
  message(STATUS "hiredis not found: the Yahoo Streaming Benchmark (bench/ysb) is not built "
                 "(scripts/install-deps.sh installs libhiredis-dev)")
endif()
