# Issue 3, the standalone cluster: a real master and two real workers on 127.0.0.2 and
# 127.0.0.3, driven with sluice-submit and checked on the master's GET /json.
sluice_test(standalone_tests integration integration/standalone_test.cc)
target_link_libraries(standalone_tests PRIVATE PkgConfig::HTTPLIB)  # httplib::Client, same defines as the daemons
add_dependencies(standalone_tests sluice-submit sluice-executor sluice-master sluice-worker word_count)
