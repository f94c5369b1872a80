# streaming/: DStream operations with Spark's semantics on the manual clock, sources,
# receivers and the block generator, recovery metadata, the received block tracker.
sluice_test(streaming_tests unit streaming/dstream/dstream_basic_test.cc)
sluice_test(streaming_ops_tests unit
  streaming/dstream/basic_operations_test.cc
  streaming/dstream/window_operations_test.cc
  streaming/dstream/state_operations_test.cc
  streaming/dstream/output_operations_test.cc)
sluice_test(failed_window_tests unit streaming/dstream/failed_window_test.cc)
sluice_test(streaming_source_tests unit streaming/streaming_sources_test.cc)
sluice_test(streaming_settings_tests unit streaming/streaming_settings_test.cc)
sluice_test(reliable_receiver_tests unit streaming/receiver/reliable_receiver_test.cc)
sluice_test(block_generator_tests unit streaming/receiver/block_generator_test.cc)
sluice_test(recovery_tests unit streaming/recovery/recovery_metadata_test.cc)
sluice_test(received_block_tracker_tests unit streaming/received_block_tracker_test.cc)
# streaming/ui/: the Streaming tab and batch pages rendered from progress snapshots.
sluice_test(streaming_ui_tests unit streaming/ui/streaming_page_test.cc)
