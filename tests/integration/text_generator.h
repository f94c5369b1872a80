// sluice-gen (plain text lines, bench/sluice_gen.cc) as a child process, for the streaming
// integration tests.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "tests/integration/process_util.h"

namespace sluice::testing {

// sluice-gen on a free port, sending count lines at rate lines/s
// (count 0: until it is killed).
struct TextGenerator {
  Child child;
  int port = 0;
  TextGenerator(const TempDir& tmp, int64_t rate, int64_t count)
      : child({binDir() + "/sluice-gen", "--port", "0", "--rate", std::to_string(rate), "--count", std::to_string(count)},
              tmp / "gen") {
    std::string p = waitForMatch([&] { return child.err(); }, "listening on [0-9.]+:([0-9]+)", std::chrono::seconds(10));
    REQUIRE(!p.empty());
    port = std::stoi(p);
  }
  // The words it reports having sent, after it exited.
  int64_t sentWords() {
    REQUIRE(child.wait(std::chrono::seconds(60)).has_value());
    std::string words = waitForMatch([&] { return child.out(); }, "sent_words=([0-9]+)", std::chrono::seconds(1));
    REQUIRE(!words.empty());
    return std::stoll(words);
  }
};

}  // namespace sluice::testing
