#include <catch2/catch.hpp>

#include "executor/stage_cache.h"
#include "rdd/rdd_node.h"

using namespace sluice;

namespace {

rpc::LaunchTask taskOf(int stage_id, int attempt) {
  rpc::LaunchTask task;
  task.task_id = 11;
  task.stage_id = stage_id;
  task.stage_attempt = attempt;
  return task;
}

rpc::StageBinary binaryOf(int rdd_id) {
  auto rdd = std::make_shared<ParallelCollectionRDD<int>>(rdd_id, std::vector<std::vector<int>>{{1, 2}, {3}});
  rpc::StageBinary binary;
  binary.lineage = encodeLineage({rdd.get()});
  return binary;
}

int rddIdOf(const StageCache::Stage& stage) {
  auto rdd = std::dynamic_pointer_cast<RDDBase>(stage.root);
  REQUIRE(rdd);
  return rdd->id();
}

}  // namespace

TEST_CASE("StageCache decodes a stage once and keeps it until it is released") {
  StageCache cache;
  auto missing = cache.get(taskOf(3, 0));
  REQUIRE_FALSE(missing);
  REQUIRE(missing.status().message().find("which this executor does not have") != std::string::npos);

  cache.addBinary(3, 0, binaryOf(7));
  auto first = cache.get(taskOf(3, 0));
  REQUIRE(first);
  REQUIRE(rddIdOf(**first) == 7);
  // A later task of the stage (even one that carries the binary again) gets the same
  // decoded stage.
  cache.addBinary(3, 0, binaryOf(8));
  auto second = cache.get(taskOf(3, 0));
  REQUIRE(second);
  REQUIRE(second->get() == first->get());
  // Another attempt of the stage is another stage.
  REQUIRE_FALSE(cache.get(taskOf(3, 1)));

  cache.release(3, 0);
  REQUIRE_FALSE(cache.get(taskOf(3, 0)));
}

TEST_CASE("StageCache reports a lineage that does not decode") {
  StageCache cache;
  rpc::StageBinary binary;
  binary.lineage = "not a lineage";
  cache.addBinary(4, 0, binary);
  auto stage = cache.get(taskOf(4, 0));
  REQUIRE_FALSE(stage);
  REQUIRE(stage.status().message().find("cannot decode task lineage") != std::string::npos);
}
