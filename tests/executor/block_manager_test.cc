#include <catch2/catch.hpp>

#include <filesystem>

#include "executor/block_manager.h"

using namespace sluice;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("bm-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

size_t filesIn(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return 0;
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("shuffle output stays in memory under the limit and spills to disk over it", "[executor]") {
  fs::path dir = scratch("spill");
  BlockManager bm(dir.string(), 100);
  REQUIRE(bm.putShuffleOutput(0, 0, {"aaaa", "", "bbbbbb"}));
  CHECK(bm.memoryUsed() == 10);
  CHECK(filesIn(dir) == 0);

  // 200 bytes more would exceed the 100-byte limit: this output goes to disk.
  REQUIRE(bm.putShuffleOutput(0, 1, {std::string(120, 'x'), std::string(80, 'y')}));
  CHECK(bm.memoryUsed() == 10);
  CHECK(bm.bytesSpilled() == 200);
  CHECK(filesIn(dir) == 1);

  CHECK(*bm.getShuffleBucket(0, 0, 0) == "aaaa");
  CHECK(bm.getShuffleBucket(0, 0, 1)->empty());
  CHECK(*bm.getShuffleBucket(0, 1, 0) == std::string(120, 'x'));
  CHECK(*bm.getShuffleBucket(0, 1, 1) == std::string(80, 'y'));
  CHECK(bm.getShuffleBucket(0, 2, 0).status().code() == StatusCode::kNotFound);

  // A re-run map task replaces its output.
  REQUIRE(bm.putShuffleOutput(0, 0, {"cc"}));
  CHECK(*bm.getShuffleBucket(0, 0, 0) == "cc");
  CHECK(bm.memoryUsed() == 2);

  bm.removeShuffle(0);
  CHECK_FALSE(bm.hasShuffleOutput(0, 1));
  CHECK(filesIn(dir) == 0);  // spill files go with the shuffle
  CHECK(bm.memoryUsed() == 0);
  fs::remove_all(dir);
}

TEST_CASE("a spill that cannot be written is an error and stores nothing", "[executor]") {
  BlockManager bm("/proc/no-such-dir/spill", 0);
  Status st = bm.putShuffleOutput(1, 0, {"data"});
  CHECK(st.code() == StatusCode::kIoError);
  CHECK_FALSE(bm.hasShuffleOutput(1, 0));
}

TEST_CASE("cached partitions and stream blocks", "[executor]") {
  BlockManager bm(scratch("cache").string(), 1 << 20);
  auto rows = std::make_shared<const std::vector<int>>(std::vector<int>{1, 2, 3});
  bm.putPartition(7, 0, rows, 12);
  CHECK(bm.getPartition(7, 0) == rows);
  CHECK(bm.getPartition(7, 1) == nullptr);
  bm.removeRdd(7);
  CHECK(bm.getPartition(7, 0) == nullptr);
  bm.putBlock("input-0-1", std::make_shared<const std::string>("abc"));
  CHECK(*bm.getBlock("input-0-1") == "abc");
  bm.removeBlock("input-0-1");
  CHECK(bm.getBlock("input-0-1") == nullptr);
}

// Found in the soak: a task that finished after its RDD was unpersisted (a window
// recomputing earlier windows down to the last lineage cut) cached it again, for ever.
TEST_CASE("a removed RDD or shuffle is not stored again by a task that ends later", "[executor]") {
  fs::path dir = scratch("removed");
  BlockManager bm(dir.string(), 10);
  auto rows = std::make_shared<std::vector<int>>(std::vector<int>{1, 2, 3});
  bm.putPartition(7, 0, rows, 12);
  bm.removeRdd(7);
  CHECK(bm.getPartition(7, 0) == nullptr);
  bm.putPartition(7, 1, rows, 12);  // the late task
  CHECK(bm.getPartition(7, 1) == nullptr);
  bm.putPartition(8, 0, rows, 12);  // other RDDs are cached as before
  CHECK(bm.getPartition(8, 0) != nullptr);

  REQUIRE(bm.putShuffleOutput(3, 0, {"aa"}));
  bm.removeShuffle(3);
  REQUIRE(bm.putShuffleOutput(3, 1, {"bbbb"}));  // in memory
  REQUIRE(bm.putShuffleOutput(3, 2, {"0123456789abcdef"}));  // over the limit: spilled, then dropped
  CHECK_FALSE(bm.hasShuffleOutput(3, 1));
  CHECK_FALSE(bm.hasShuffleOutput(3, 2));
  CHECK(bm.memoryUsed() == 0);
  CHECK(filesIn(dir) == 0);
  REQUIRE(bm.putShuffleOutput(4, 0, {"cc"}));
  CHECK(bm.hasShuffleOutput(4, 0));
  fs::remove_all(dir);
}
