# The pieces shared by the daemons (common/): the web UIs' HTTP server, the shutdown signals.
sluice_test(shared_pieces_tests unit common/http_server_test.cc common/signals_test.cc)
target_link_libraries(shared_pieces_tests PRIVATE PkgConfig::HTTPLIB)  # httplib, same defines as libsluice
