// sluice-gen (bench/sluice_gen.cc) as a child process, for the streaming integration
// tests: with any options, and sending plain text lines.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/process_util.h"

namespace sluice::testing {

// sluice-gen on a free port with options args (e.g. {"--rate", "50"}), its log in
// <tmp>/gen; REQUIREs the port it listens on within 10 s. SIGKILLed when it goes away.
struct GeneratorProcess {
  Child child;
  int port = 0;
  GeneratorProcess(const TempDir& tmp, const std::vector<std::string>& args)
      : child(withPort(args), tmp / "gen") {
    std::string p = waitForMatch([&] { return child.err(); }, "listening on [0-9.]+:([0-9]+)", std::chrono::seconds(10));
    REQUIRE(!p.empty());
    port = std::stoi(p);
  }

 private:
  static std::vector<std::string> withPort(const std::vector<std::string>& args) {
    std::vector<std::string> argv{binDir() + "/sluice-gen", "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
};

// sluice-gen sending count lines at rate lines/s (count 0: until it is killed).
struct TextGenerator : GeneratorProcess {
  TextGenerator(const TempDir& tmp, int64_t rate, int64_t count)
      : GeneratorProcess(tmp, {"--rate", std::to_string(rate), "--count", std::to_string(count)}) {}
  // The words it reports having sent, after it exited.
  int64_t sentWords() {
    REQUIRE(child.wait(std::chrono::seconds(60)).has_value());
    std::string words = waitForMatch([&] { return child.out(); }, "sent_words=([0-9]+)", std::chrono::seconds(1));
    REQUIRE(!words.empty());
    return std::stoll(words);
  }
};

}  // namespace sluice::testing
