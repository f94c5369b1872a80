# master/: scheduling policy, persistence, the master daemon in one process.
sluice_test(master_tests unit master/scheduling_test.cc master/persistence_test.cc master/master_test.cc
  master/web_ui_test.cc)
target_link_libraries(master_tests PRIVATE PkgConfig::HTTPLIB)  # httplib::Client, same defines as the master
