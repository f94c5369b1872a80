# DStream operations with Spark's semantics, on the manual clock (issue 4, part 4).
sluice_test(streaming_ops_tests unit
  driver/basic_operations_test.cc
  driver/window_operations_test.cc
  driver/state_operations_test.cc
  driver/output_operations_test.cc)
