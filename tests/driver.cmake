# driver/: the ContextCleaner (shuffles, cached RDDs, blocks, broadcasts), the scheduler
# backend's handlers by message kind.
sluice_test(context_cleaner_tests unit driver/context_cleaner_test.cc)
sluice_test(backend_handlers_tests unit driver/backend_handlers_test.cc)
