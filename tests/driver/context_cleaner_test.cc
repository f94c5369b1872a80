// ContextCleaner in local mode, observed on disk: with shuffle.memoryLimit=0 every map
// output is a spill file shuffle_<id>_<map>_<pid>.data in the executor's blocks dir, so the
// files present are the shuffles the executor holds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <regex>
#include <set>

#include "driver/context.h"
#include "driver/context_cleaner.h"
#include "tests/executor/spill_files.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using sluice::testing::shuffleIdsOnDisk;
using sluice::testing::TempDir;
using sluice::testing::waitFor;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Context> localContext(const fs::path& dir) {
  Conf conf;
  conf.set("local.dir", dir.string());
  conf.set("shuffle.memoryLimit", "0");
  conf.set("cleaner.referenceTracking.interval", "50ms");
  auto ctx = Context::create({"local[2]", "cleaner-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

std::vector<std::pair<int, int64_t>> keyedOnes(int n) {
  std::vector<std::pair<int, int64_t>> data;
  for (int i = 0; i < n; ++i) data.emplace_back(i % 10, 1);
  return data;
}

}  // namespace

TEST_CASE("a batch job's shuffle is removed from the executor once its RDDs are gone", "[cleaner]") {
  TempDir scratch("context-cleaner");
  auto ctx = localContext(scratch.path());
  auto base = ctx->parallelize(keyedOnes(1000), 4);
  {
    auto counts = base.reduceByKey([](int64_t a, int64_t b) { return a + b; });
    REQUIRE(counts.count() == 10);
    REQUIRE(shuffleIdsOnDisk(scratch.path()) == std::set<int>{0});
  }
  // No job runs any more: the cleaner's tick finds the shuffle unreferenced.
  CHECK(waitFor([&] { return shuffleIdsOnDisk(scratch.path()).empty(); }, 10s));
  CHECK(ctx->cleaner().stats().shuffles == 1);
}

TEST_CASE("a shuffle in a cached RDD's lineage stays until that RDD is gone", "[cleaner]") {
  TempDir scratch("context-cleaner");
  auto ctx = localContext(scratch.path());
  auto base = ctx->parallelize(keyedOnes(1000), 4);
  auto plus = [](int64_t a, int64_t b) { return a + b; };
  std::optional<RDD<std::pair<int, int64_t>>> cached;
  {
    auto counts = base.reduceByKey(plus);  // shuffle 0, referenced only through `cached` below
    cached = counts.mapValues([](int64_t v) { return v * 2; });
    cached->cache();
    REQUIRE(cached->count() == 10);
  }
  auto unrelated = base.reduceByKey(plus).count();  // shuffle 1, gone when the statement ends
  REQUIRE(unrelated == 10);
  // Several ticks later (each asks the scheduler to drop unreferenced shuffles), and after
  // one more job whose tasks reach the executor after any removal sent before it:
  auto ticks = ctx->cleaner().stats().ticks;
  REQUIRE(waitFor([&] { return ctx->cleaner().stats().ticks >= ticks + 3; }, 10s));
  REQUIRE(base.count() == 1000);
  CHECK(shuffleIdsOnDisk(scratch.path()) == std::set<int>{0});
  CHECK(cached->collect().size() == 10);
  CHECK(ctx->cleaner().stats().rdds == 0);

  cached.reset();
  CHECK(waitFor([&] { return shuffleIdsOnDisk(scratch.path()).empty(); }, 10s));
  CHECK(waitFor([&] { return ctx->cleaner().stats().rdds == 1; }, 10s));  // its cached partitions too
}

TEST_CASE("saveAsTextFile's broadcast is removed when its job ends", "[cleaner]") {
  TempDir scratch("context-cleaner");
  auto ctx = localContext(scratch.path());
  ctx->parallelize(std::vector<int>{1, 2, 3}, 2).saveAsTextFile((scratch.path() / "out").string());
  CHECK(fs::exists(scratch.path() / "out" / "_SUCCESS"));
  CHECK(ctx->cleaner().stats().broadcasts == 1);
}
