// Reducers prefer the executors holding most of their shuffle's map output.
#include <catch2/catch.hpp>

#include "scheduler/reduce_locality.h"

using namespace sluice;

TEST_CASE("reducers prefer executors with at least a fifth of the map output", "[scheduler][locality]") {
  std::vector<rpc::MapLocation> outputs;
  for (int i = 0; i < 8; ++i) outputs.push_back({i, "a", "tcp://127.0.0.2:5000"});
  for (int i = 8; i < 10; ++i) outputs.push_back({i, "b", "tcp://127.0.0.3:5000"});
  outputs.push_back({10, "c", "tcp://127.0.0.4:5000"});
  auto prefs = reducerPreferredLocations(outputs);
  CHECK(prefs == std::vector<std::string>{"executor:a", "127.0.0.2"});
  outputs.resize(10);  // b now holds 2 of 10
  CHECK(reducerPreferredLocations(outputs) ==
        std::vector<std::string>{"executor:a", "127.0.0.2", "executor:b", "127.0.0.3"});
  CHECK(reducerPreferredLocations({}).empty());
}
