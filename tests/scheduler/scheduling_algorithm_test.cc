// FIFO and FAIR comparators and the pool tree's order.
#include <catch2/catch.hpp>

#include "scheduler/pool.h"
#include "scheduler/scheduling_algorithm.h"

using namespace sluice;

namespace {

struct Fake : Schedulable {
  Fake(std::string n, int w, int m, int r, int p = 0, int s = 0)
      : name_(std::move(n)), weight_(w), min_share_(m), running_(r), priority_(p), stage_(s) {}
  const std::string& name() const override { return name_; }
  int weight() const override { return weight_; }
  int minShare() const override { return min_share_; }
  int runningTasks() const override { return running_; }
  int priority() const override { return priority_; }
  int stageId() const override { return stage_; }
  std::string name_;
  int weight_, min_share_, running_, priority_, stage_;
};

}  // namespace

TEST_CASE("FIFO orders by job, then by stage", "[scheduler][pools]") {
  CHECK(fifoBefore(Fake("a", 1, 0, 0, 1, 9), Fake("b", 1, 0, 0, 2, 0)));
  CHECK_FALSE(fifoBefore(Fake("a", 1, 0, 0, 2, 0), Fake("b", 1, 0, 0, 1, 9)));
  CHECK(fifoBefore(Fake("a", 1, 0, 0, 3, 4), Fake("b", 1, 0, 0, 3, 5)));
  CHECK_FALSE(fifoBefore(Fake("a", 1, 0, 0, 3, 5), Fake("b", 1, 0, 0, 3, 5)));
}

TEST_CASE("FAIR serves pools below their minShare first", "[scheduler][pools]") {
  // needy (1 running < minShare 2) beats a pool with nothing running but no minShare.
  CHECK(fairBefore(Fake("needy", 1, 2, 1), Fake("idle", 1, 0, 0)));
  CHECK_FALSE(fairBefore(Fake("idle", 1, 0, 0), Fake("needy", 1, 2, 1)));
  // Both needy: the lower running/minShare ratio first (1/4 < 1/2).
  CHECK(fairBefore(Fake("big", 1, 4, 1), Fake("small", 1, 2, 1)));
  CHECK_FALSE(fairBefore(Fake("small", 1, 2, 1), Fake("big", 1, 4, 1)));
}

TEST_CASE("FAIR then serves the lowest running per weight, ties by name", "[scheduler][pools]") {
  // 2/1 > 3/3: the weight-3 pool with 3 running is still served first.
  CHECK(fairBefore(Fake("heavy", 3, 0, 3), Fake("light", 1, 0, 2)));
  CHECK(fairBefore(Fake("light", 1, 0, 0), Fake("heavy", 3, 0, 1)));
  // minShare reached: ratios decide (2/1 vs 1/1).
  CHECK(fairBefore(Fake("b", 1, 1, 1), Fake("a", 1, 1, 2)));
  CHECK(fairBefore(Fake("a", 1, 0, 1), Fake("b", 1, 0, 1)));
  CHECK_FALSE(fairBefore(Fake("b", 1, 0, 1), Fake("a", 1, 0, 1)));
  // weight 0: nothing beyond the minShare while others want slots.
  CHECK(fairBefore(Fake("z", 1, 0, 5), Fake("zero", 0, 0, 1)));
}

TEST_CASE("scheduling modes parse case-insensitively with a clear error", "[scheduler][pools]") {
  CHECK(*parseSchedulingMode("fair") == SchedulingMode::kFair);
  CHECK(*parseSchedulingMode("FIFO") == SchedulingMode::kFifo);
  auto bad = parseSchedulingMode("LIFO");
  REQUIRE_FALSE(bad);
  CHECK(bad.status().message() == "unknown scheduling mode 'LIFO' (expected FIFO or FAIR)");
}
