#include "bench/tune/stall_probe.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "common/clock.h"

namespace sluice::tune {

TEST_CASE("tune stall probe: a thread on every CPU notes each gap between its wake-ups above the threshold") {
  int64_t before = SystemClock().nowMs();
  // A threshold of 0 notes every wake-up's gap: each at least the 1 ms the thread sleeps.
  StallProbe probe(0);
  REQUIRE(probe.cpus() >= 1);
  if (::geteuid() != 0) {
    // Without the right to a real-time priority the probe notes nothing, by design.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_FALSE(probe.available());
    CHECK(probe.stalls().empty());
    return;
  }
  std::set<int> cpus;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (static_cast<int>(cpus.size()) < probe.cpus() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (const auto& s : probe.stalls()) cpus.insert(s.cpu);
  }
  CHECK(probe.available());
  CHECK(static_cast<int>(cpus.size()) == probe.cpus());
  for (const auto& s : probe.stalls()) {
    CHECK(s.gap_ms >= 1);
    CHECK(s.start_ms >= before - 1);
    CHECK(s.start_ms + s.gap_ms <= SystemClock().nowMs());
  }
}

TEST_CASE("tune stall probe: on a machine whose CPUs run it, no gap reaches a threshold of an hour") {
  StallProbe probe(3'600'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(probe.stalls().empty());
}

}  // namespace sluice::tune
