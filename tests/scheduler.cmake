# scheduler/: stages, task sets, pools, locality, failures, speculation.
sluice_test(scheduler_tests unit scheduler/stage_builder_test.cc scheduler/task_retry_test.cc
  scheduler/task_failure_log_test.cc)
sluice_test(dag_scheduler_tests unit scheduler/dag_scheduler_test.cc scheduler/fetch_failure_test.cc
  scheduler/pre_schedule_dag_test.cc)
sluice_test(scheduling_tests unit scheduler/locality_test.cc scheduler/scheduling_algorithm_test.cc
  scheduler/pipeline_depth_test.cc scheduler/pre_schedule_test.cc
  scheduler/allocation_file_test.cc scheduler/task_scheduler_test.cc scheduler/reduce_locality_test.cc
  scheduler/cache_locations_test.cc scheduler/allocation_template_test.cc)
sluice_test(streaming_locality_tests unit scheduler/streaming_locality_test.cc)

# Real clusters: speculation, FAIR pools, locality.
sluice_add_app(straggler_app scheduler/straggler_app.cc)
sluice_add_app(flaky_app scheduler/flaky_app.cc)
sluice_integration_test(scheduling_integration_tests scheduler/speculation_test.cc
  scheduler/task_failure_cluster_test.cc)
add_dependencies(scheduling_integration_tests straggler_app flaky_app)
sluice_test(fair_pools_tests integration scheduler/fair_pools_test.cc)
sluice_add_app(locality_app scheduler/locality_app.cc)
sluice_integration_test(locality_cluster_tests scheduler/locality_cluster_test.cc)
add_dependencies(locality_cluster_tests locality_app)
