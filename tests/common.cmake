# common/: configuration and its key table, bounded decoding, the daemons' HTTP server and signals,
# the terminal's status line and the loggers.
sluice_test(common_tests unit common/conf_test.cc common/config_keys_test.cc common/config_check_test.cc
  common/paths_test.cc)
sluice_test(frames_tests unit common/bounded_decode_test.cc common/record_block_test.cc common/buffer_pool_test.cc common/allocation_tracker.cc
  common/peer_log_limiter_test.cc rpc/message_types_test.cc)
sluice_test(shared_pieces_tests unit common/http_server_test.cc common/http_server_auth_test.cc common/ui_acl_test.cc
  common/signals_test.cc common/status_line_test.cc
  common/logging_test.cc common/prometheus_text_test.cc)
target_link_libraries(shared_pieces_tests PRIVATE PkgConfig::HTTPLIB)  # httplib, same defines as libsluice
# common/ui/: the web UIs' units and inline SVG charts.
sluice_test(ui_tests unit common/ui/units_test.cc common/ui/svg_chart_test.cc)
