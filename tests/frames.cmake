# Issue 11, hostile frames: bounded payload decoding (a few bytes claiming a huge length are
# refused without allocating it), the frame limit and one log line per rejected peer.
sluice_test(frames_tests unit common/bounded_decode_test.cc common/allocation_tracker.cc
  rpc/peer_log_limiter_test.cc rpc/message_types_test.cc)
# Real master, worker and executor processes get hostile frames and raw bytes.
sluice_test(frames_integration_tests integration integration/hostile_frames_test.cc)
target_link_libraries(frames_integration_tests PRIVATE PkgConfig::HTTPLIB)  # httplib::Client, same defines as the daemons
add_dependencies(frames_integration_tests sluice-submit sluice-executor sluice-master sluice-worker sluice-gen
  network_word_count)
