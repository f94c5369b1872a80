# worker/: the web UI's log page.
sluice_test(worker_ui_tests unit worker/log_page_test.cc)
