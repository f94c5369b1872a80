# Issue 11 (items 3 and 7): a scheduler that never goes idle with work pending, and stop
# paths that always finish.
sluice_test(dag_scheduler_tests unit scheduler/dag_scheduler_test.cc)
sluice_test(failed_window_tests unit driver/failed_window_test.cc)
sluice_test(stop_integration_tests integration integration/stop_after_kill_test.cc)
target_link_libraries(stop_integration_tests PRIVATE PkgConfig::HTTPLIB)  # httplib::Client, same defines as the daemons
sluice_add_app(failing_window_app driver/failing_window_app.cc)
add_dependencies(stop_integration_tests sluice-submit sluice-executor sluice-master sluice-worker locality_app
  failing_window_app)
