# libFuzzer targets (tests/fuzz, run by scripts/fuzz.sh): only with clang and
# -DSLUICE_FUZZ=ON, never in the normal build. Each compiles the few sources it fuzzes
# with the fuzzer's instrumentation instead of linking libsluice.
option(SLUICE_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)
if(SLUICE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SLUICE_FUZZ=ON needs clang: -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(SLUICE_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
  set(SLUICE_FUZZ_WAL_SOURCES ${PROJECT_SOURCE_DIR}/wal/segment_reader.cc
    ${PROJECT_SOURCE_DIR}/wal/segment_writer.cc ${PROJECT_SOURCE_DIR}/wal/crc32c.cc
    ${PROJECT_SOURCE_DIR}/wal/memory_file_system.cc ${PROJECT_SOURCE_DIR}/wal/file.cc
    ${PROJECT_SOURCE_DIR}/common/status.cc)
  set(SLUICE_FUZZ_RPC_SOURCES ${PROJECT_SOURCE_DIR}/rpc/frame.cc
    ${PROJECT_SOURCE_DIR}/rpc/message_tag.cc ${PROJECT_SOURCE_DIR}/common/status.cc)
  function(sluice_fuzz_executable name fuzzer)
    add_executable(${name} ${ARGN})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PRIVATE spdlog::spdlog cereal::cereal)
    target_compile_options(${name} PRIVATE ${SLUICE_FUZZ_FLAGS} -fsanitize=${fuzzer})
    target_link_options(${name} PRIVATE ${SLUICE_FUZZ_FLAGS} -fsanitize=${fuzzer})
  endfunction()
  sluice_fuzz_executable(wal_reader_fuzz fuzzer fuzz/wal_reader_fuzz.cc ${SLUICE_FUZZ_WAL_SOURCES})
  sluice_fuzz_executable(rpc_decoder_fuzz fuzzer fuzz/rpc_decoder_fuzz.cc
    ${SLUICE_FUZZ_RPC_SOURCES})
  sluice_fuzz_executable(fuzz_make_seeds fuzzer-no-link fuzz/make_seeds.cc
    ${SLUICE_FUZZ_WAL_SOURCES} ${PROJECT_SOURCE_DIR}/rpc/frame.cc
    ${PROJECT_SOURCE_DIR}/rpc/message_tag.cc)
endif()
