# driver/: the ContextCleaner (shuffles, cached RDDs, blocks, broadcasts), the console progress bar, the scheduler
# backend's handlers by message kind.
sluice_test(context_cleaner_tests unit driver/context_cleaner_test.cc)
sluice_test(backend_handlers_tests unit driver/backend_handlers_test.cc)
sluice_test(console_progress_bar_tests unit driver/console_progress_bar_test.cc)
