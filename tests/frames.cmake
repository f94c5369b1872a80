# Issue 11, hostile frames: bounded payload decoding (a few bytes claiming a huge length are
# refused without allocating it), the frame limit and one log line per rejected peer.
sluice_test(frames_tests unit common/bounded_decode_test.cc common/allocation_tracker.cc)
