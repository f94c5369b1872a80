# Multi-process tests: real master, worker, driver and executor processes on 127.0.0.x
# (sluice_integration_test, in tests/CMakeLists.txt).

sluice_add_app(cleanup_app ${CMAKE_CURRENT_SOURCE_DIR}/integration/cleanup_app.cc)
sluice_add_app(numbered_lines_app ${CMAKE_CURRENT_SOURCE_DIR}/integration/numbered_lines_app.cc)
sluice_add_app(interval_app ${CMAKE_CURRENT_SOURCE_DIR}/integration/interval_app.cc)
sluice_add_app(submit_app ${CMAKE_CURRENT_SOURCE_DIR}/integration/submit_app.cc)
sluice_add_app(failing_window_app ${CMAKE_CURRENT_SOURCE_DIR}/streaming/dstream/failing_window_app.cc)

# Batch jobs on a cluster and submit's errors.
sluice_integration_test(integration_tests integration/word_count_test.cc integration/submit_errors_test.cc)
add_dependencies(integration_tests word_count sales_report)
# Issue 15: sluice-submit's paths (relative to the submitter's directory, no _temporary left
# by a failed job) and flags (--name in cluster mode, --version, --num-executors,
# --driver-memory, --driver-cores, --files), on local-cluster and a standalone cluster.
sluice_integration_test(submit_integration_tests integration/submit_test.cc)
add_dependencies(submit_integration_tests word_count submit_app)
# The standalone cluster, checked on the master's GET /json.
sluice_integration_test(standalone_tests integration/standalone_test.cc)
add_dependencies(standalone_tests word_count)
# Streaming: network_word_count against sluice-gen; WAL-on apps on 1-core executors.
sluice_integration_test(streaming_integration_tests integration/streaming_test.cc)
sluice_integration_test(streaming_locality_integration_tests integration/streaming_locality_test.cc)
add_dependencies(streaming_integration_tests network_word_count)
add_dependencies(streaming_locality_integration_tests network_word_count)
# Fault tolerance: the receiver WAL, reliable receivers, a --supervise'd driver SIGKILLed.
sluice_integration_test(recovery_integration_tests integration/recovery_test.cc)
sluice_integration_test(recovery_cluster_tests integration/recovery_cluster_test.cc)
add_dependencies(recovery_integration_tests numbered_lines_app network_word_count)
add_dependencies(recovery_cluster_tests numbered_lines_app)
# Long-running: old shuffles and blocks removed, killed apps' dirs removed, hostile frames,
# stops that finish.
sluice_integration_test(cleanup_integration_tests integration/cleanup_test.cc)
sluice_integration_test(frames_integration_tests integration/hostile_frames_test.cc)
sluice_integration_test(stop_integration_tests integration/stop_after_kill_test.cc)
# Issue 16: auth.enabled across the roles.
sluice_integration_test(auth_integration_tests integration/auth_test.cc)
add_dependencies(auth_integration_tests word_count network_word_count)
add_dependencies(cleanup_integration_tests cleanup_app)
add_dependencies(frames_integration_tests network_word_count)
# Issue 16: a frame above rpc.maxFrameBytes and a flood from one peer on every daemon's port.
sluice_integration_test(bounded_input_integration_tests integration/bounded_input_test.cc)
add_dependencies(bounded_input_integration_tests network_word_count)
add_dependencies(stop_integration_tests locality_app failing_window_app)
# Issue 13: the batch interval from --batch-duration, refused when it breaks a window; the
# overload WARN line and the batches a non-graceful stop drops.
sluice_integration_test(batch_interval_integration_tests integration/batch_interval_test.cc)
add_dependencies(batch_interval_integration_tests interval_app)
# Issue 15: bad configuration values stop submit (local, client, cluster mode), master and
# worker at start; unknown and Spark-only keys warn; --help-conf.
sluice_integration_test(conf_integration_tests integration/bad_conf_test.cc)
add_dependencies(conf_integration_tests word_count)
# Ports (taken ones detected, never shared) and the driver's console (log lines, progress bar).
sluice_integration_test(ports_integration_tests integration/ports_test.cc)
add_dependencies(ports_integration_tests network_word_count)
sluice_integration_test(console_integration_tests integration/console_test.cc)
add_dependencies(console_integration_tests network_word_count straggler_app)
# The HTTP edges: a streaming driver's /api/v1 paths and /metrics, the daemons' /metrics.
sluice_integration_test(metrics_rest_integration_tests integration/metrics_rest_test.cc)
add_dependencies(metrics_rest_integration_tests network_word_count)
# The web UIs in headless Chromium: the Streaming tab, a batch page, the master and worker pages.
sluice_integration_test(webui_browser_tests integration/webui_browser_test.cc)
add_dependencies(webui_browser_tests network_word_count)
# Issue 15: client mode with the workers on other hosts (network namespaces, root only).
sluice_integration_test(cross_host_integration_tests integration/cross_host_test.cc)
add_dependencies(cross_host_integration_tests word_count)
# Issue 15: a master host that does not resolve, a master that does not answer.
sluice_integration_test(master_address_integration_tests integration/master_address_test.cc)
add_dependencies(master_address_integration_tests word_count)
# Issue 15: one executor per worker unless executor.cores is set; the worker's defaults.
sluice_integration_test(executor_allocation_integration_tests integration/executor_allocation_test.cc)
add_dependencies(executor_allocation_integration_tests network_word_count)
# Issue 16: with auth.enabled the master's, a worker's and a driver's web UI ask for
# credentials (ACLs: view, modify), kills are POST only, and each UI binds ui.bindAddress.
sluice_integration_test(ui_auth_integration_tests integration/ui_auth_test.cc)
add_dependencies(ui_auth_integration_tests network_word_count)
# Issue 18: a direct Kafka stream's driver SIGKILLed and relaunched (--supervise), against
# librdkafka's mock cluster in the test process.
sluice_add_app(kafka_numbered_app ${CMAKE_CURRENT_SOURCE_DIR}/integration/kafka_numbered_app.cc)
sluice_integration_test(kafka_recovery_cluster_tests integration/kafka_recovery_test.cc)
add_dependencies(kafka_recovery_cluster_tests kafka_numbered_app)
