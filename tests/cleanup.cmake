# Issue 11, cleanup: the driver's ContextCleaner (shuffles, cached RDDs, blocks, broadcasts)
# and the workers' work-dir cleanup.
sluice_test(context_cleaner_tests unit driver/context_cleaner_test.cc)

sluice_add_app(cleanup_app ${CMAKE_CURRENT_SOURCE_DIR}/integration/cleanup_app.cc)
sluice_test(cleanup_integration_tests integration integration/cleanup_test.cc)
add_dependencies(cleanup_integration_tests sluice-submit sluice-executor sluice-master sluice-worker cleanup_app)
