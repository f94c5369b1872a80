# The benchmark tools: sluice-tune's pieces (unit) and sluice-tune run for real on the
# benchmark app in local[2] (integration).
sluice_test(bench_tune_tests unit
  bench/tune/csv_writer_test.cc bench/tune/grid_test.cc bench/tune/neighbours_test.cc
  bench/tune/rest_client_test.cc bench/tune/stability_test.cc bench/tune/verdict_lines_test.cc
  bench/tune/plots_test.cc bench/tune/stall_probe_test.cc)
target_link_libraries(bench_tune_tests PRIVATE sluice_tune_lib)

sluice_integration_test(bench_tune_integration_tests bench/tune/sluice_tune_test.cc)
add_dependencies(bench_tune_integration_tests sluice-tune streaming_bench_app)

# The Yahoo Streaming Benchmark (bench/ysb/), when hiredis is there to build it: the event
# JSON (unit) and a real run against a real redis-server (integration).
if(TARGET sluice_ysb_lib)
  sluice_test(bench_ysb_tests unit bench/ysb/event_parser_test.cc)
  target_link_libraries(bench_ysb_tests PRIVATE sluice_ysb_lib)
  sluice_integration_test(bench_ysb_integration_tests bench/ysb/ysb_test.cc)
  target_link_libraries(bench_ysb_integration_tests PRIVATE sluice_ysb_lib)
  add_dependencies(bench_ysb_integration_tests ysb_app sluice-ysb)
endif()
