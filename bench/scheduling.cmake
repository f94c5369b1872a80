# Scheduling overhead per micro-batch (scheduling_overhead.cc says how to run it).
sluice_add_app(scheduling_overhead scheduling_overhead.cc)
