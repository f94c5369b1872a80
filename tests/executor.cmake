# executor/: the BlockManager.
sluice_test(executor_tests unit executor/block_manager_test.cc)
