# driver/: the ContextCleaner (shuffles, cached RDDs, blocks, broadcasts), the console progress bar, the scheduler
# backend's handlers by message kind.
sluice_test(context_cleaner_tests unit driver/context_cleaner_test.cc)
sluice_test(backend_handlers_tests unit driver/backend_handlers_test.cc)
sluice_test(console_progress_bar_tests unit driver/console_progress_bar_test.cc)
# driver/ui/: the status store's bounds, and a real driver's REST API, pages and /metrics.
sluice_test(driver_ui_tests unit driver/app_status_store_test.cc driver/driver_rest_test.cc)
target_link_libraries(driver_ui_tests PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)  # same defines as libsluice
