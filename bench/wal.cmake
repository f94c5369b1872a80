# The write-ahead log's write throughput under each fsync policy (bench/wal_bench.cc).
add_executable(wal_bench wal_bench.cc)
target_link_libraries(wal_bench PRIVATE sluice)
