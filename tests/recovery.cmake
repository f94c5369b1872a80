# Fault tolerance end to end: the receiver WAL and reliable receivers, counting every
# record by its number after SIGKILLs.
sluice_add_app(numbered_lines_app ${CMAKE_CURRENT_SOURCE_DIR}/recovery/numbered_lines_app.cc)
sluice_test(recovery_integration_tests integration integration/recovery_test.cc)
target_link_libraries(recovery_integration_tests PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
add_dependencies(recovery_integration_tests sluice-submit sluice-executor sluice-master sluice-worker sluice-gen
  numbered_lines_app network_word_count)

sluice_test(recovery_tests unit driver/recovery_metadata_test.cc)

# Driver recovery in cluster mode: a real master and two workers, a --supervise'd driver
# SIGKILLed and relaunched by the master.
sluice_test(recovery_cluster_tests integration integration/recovery_cluster_test.cc)
target_link_libraries(recovery_cluster_tests PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
add_dependencies(recovery_cluster_tests sluice-submit sluice-executor sluice-master sluice-worker sluice-gen
  numbered_lines_app)
