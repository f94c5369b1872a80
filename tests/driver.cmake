# driver/: the ContextCleaner (shuffles, cached RDDs, blocks, broadcasts).
sluice_test(context_cleaner_tests unit driver/context_cleaner_test.cc)
