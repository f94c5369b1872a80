# worker/: the web UI's log page.
sluice_test(worker_ui_tests unit worker/log_page_test.cc)
# worker/: the cores and memory a worker offers by default.
sluice_test(worker_defaults_tests unit worker/machine_resources_test.cc)
