# Streaming end to end: network_word_count against sluice-gen on a local cluster.
sluice_test(streaming_integration_tests integration integration/streaming_test.cc)
target_link_libraries(streaming_integration_tests PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
add_dependencies(streaming_integration_tests sluice-submit sluice-executor sluice-master sluice-worker sluice-gen
  network_word_count)

sluice_test(streaming_source_tests unit driver/streaming_sources_test.cc)
sluice_test(reliable_receiver_tests unit driver/reliable_receiver_test.cc)
