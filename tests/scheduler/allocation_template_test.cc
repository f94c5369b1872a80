// conf/fairscheduler.xml.template, the file a user copies to start with FAIR pools, parses to
// the pools its comments describe.
#include <catch2/catch.hpp>

#include "scheduler/allocation_file.h"

using namespace sluice;

TEST_CASE("conf/fairscheduler.xml.template parses to its two pools", "[scheduler][pools]") {
  auto pools = loadAllocationFile(std::string(SLUICE_SOURCE_DIR) + "/conf/fairscheduler.xml.template");
  INFO((pools ? std::string() : pools.status().message()));
  REQUIRE(pools);
  REQUIRE(pools->size() == 2);
  CHECK((*pools)[0].name == "production");
  CHECK((*pools)[0].mode == SchedulingMode::kFair);
  CHECK((*pools)[0].weight == 2);
  CHECK((*pools)[0].min_share == 2);
  CHECK((*pools)[1].name == "test");
  CHECK((*pools)[1].mode == SchedulingMode::kFifo);
  CHECK((*pools)[1].weight == 1);
  CHECK((*pools)[1].min_share == 0);
}
