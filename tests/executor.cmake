# executor/: the BlockManager, the StageCache.
sluice_test(executor_tests unit executor/block_manager_test.cc executor/stage_cache_test.cc
  executor/awaited_outputs_test.cc)
