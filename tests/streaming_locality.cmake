# Placement that fits streaming (issue 11, item 4): receivers' cores and capped locality
# waits (scheduler/SCHEDULING.md), and a WAL-on app on 1-core executors keeping up.
sluice_test(streaming_locality_tests unit scheduler/streaming_locality_test.cc)

sluice_test(streaming_locality_integration_tests integration integration/streaming_locality_test.cc)
target_link_libraries(streaming_locality_integration_tests PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
add_dependencies(streaming_locality_integration_tests sluice-submit sluice-executor sluice-master sluice-worker
  sluice-gen network_word_count)
