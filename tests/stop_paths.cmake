# Issue 11 (items 3 and 7): a scheduler that never goes idle with work pending, and stop
# paths that always finish.
sluice_test(dag_scheduler_tests unit scheduler/dag_scheduler_test.cc)
sluice_test(failed_window_tests unit driver/failed_window_test.cc)
