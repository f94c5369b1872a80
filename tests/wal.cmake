# The write-ahead log and checkpoint files (wal/).
sluice_test(wal_tests unit wal/segment_test.cc wal/write_ahead_log_test.cc
  wal/checkpoint_file_test.cc)
