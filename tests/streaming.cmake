# streaming/: DStream operations with Spark's semantics on the manual clock, sources,
# receivers and the block generator, recovery metadata, the received block tracker; rate limits and backpressure.
sluice_test(streaming_tests unit streaming/dstream/dstream_basic_test.cc)
sluice_test(streaming_ops_tests unit
  streaming/dstream/basic_operations_test.cc
  streaming/dstream/window_operations_test.cc
  streaming/dstream/state_operations_test.cc
  streaming/dstream/output_operations_test.cc
  streaming/dstream/checkpoint_interval_test.cc
  streaming/dstream/transform_and_state_forms_test.cc)
sluice_test(failed_window_tests unit streaming/dstream/failed_window_test.cc)
sluice_test(streaming_source_tests unit streaming/streaming_sources_test.cc)
sluice_test(streaming_settings_tests unit streaming/streaming_settings_test.cc)
sluice_test(reliable_receiver_tests unit streaming/receiver/reliable_receiver_test.cc)
sluice_test(block_generator_tests unit streaming/receiver/block_generator_test.cc)
sluice_test(recovery_tests unit streaming/recovery/recovery_metadata_test.cc)
sluice_test(received_block_tracker_tests unit streaming/received_block_tracker_test.cc)
sluice_test(rate_tests unit
  streaming/receiver/token_bucket_test.cc
  streaming/receiver/receiver_rate_limits_test.cc
  streaming/rate/pid_rate_estimator_test.cc
  streaming/rate/rate_controller_test.cc)
sluice_test(rate_limit_tests unit streaming/rate/rate_limit_test.cc)
# Issue 13: the interval from configuration, overload made visible.
sluice_test(batch_interval_tests unit streaming/batch_interval_override_test.cc)
sluice_test(overload_tests unit streaming/overload_detector_test.cc streaming/overload_test.cc)
target_link_libraries(batch_interval_tests PRIVATE nlohmann_json::nlohmann_json)
target_link_libraries(overload_tests PRIVATE nlohmann_json::nlohmann_json)
# ui/: the streaming tab of a real driver's UI: receivers' REST paths, page, metrics.
sluice_test(streaming_tab_tests unit streaming/ui/streaming_tab_test.cc)
target_link_libraries(streaming_tab_tests PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
# streaming/ui/: the Streaming tab and batch pages rendered from progress snapshots.
sluice_test(streaming_ui_tests unit streaming/ui/streaming_page_test.cc)
# Issue 13: the adaptive batch interval.
sluice_test(adaptive_interval_tests unit streaming/adaptive/batch_interval_controller_test.cc)
sluice_test(adaptive_stream_tests unit streaming/adaptive/adaptive_interval_stream_test.cc)
target_link_libraries(adaptive_stream_tests PRIVATE nlohmann_json::nlohmann_json)
# Issue 18: the direct Kafka stream against librdkafka's mock cluster.
sluice_test(kafka_stream_tests unit streaming/kafka/direct_kafka_stream_test.cc streaming/kafka/kafka_sink_test.cc)
