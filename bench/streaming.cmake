# Streaming tools and benchmarks.
add_executable(sluice-gen ${CMAKE_CURRENT_SOURCE_DIR}/sluice_gen.cc)
target_link_libraries(sluice-gen PRIVATE Boost::program_options)
install(TARGETS sluice-gen RUNTIME DESTINATION bin)

sluice_add_app(streaming_bench_app ${CMAKE_CURRENT_SOURCE_DIR}/streaming_app.cc)
