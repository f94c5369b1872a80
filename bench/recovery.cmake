# The cost of the receiver write-ahead log: bench/recovery_bench.sh runs word count from the
# socket receiver with the WAL off and on (group fsync) and prints the throughput ratio.
# `cmake --build build --target recovery_bench` builds what it needs and runs it.
add_custom_target(recovery_bench
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/recovery_bench.sh --build-dir ${CMAKE_BINARY_DIR}
  DEPENDS sluice-submit sluice-executor sluice-master sluice-worker sluice-gen network_word_count
  USES_TERMINAL)
