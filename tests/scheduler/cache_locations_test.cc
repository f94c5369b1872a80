// The driver's view of cached partitions and the preferred locations it gives tasks.
#include <catch2/catch.hpp>

#include "scheduler/cache_locations.h"

using namespace sluice;

namespace {

struct FakeRDD : RDDBase {
  FakeRDD(int id, int n, std::shared_ptr<RDDBase> parent = nullptr, std::vector<std::string> prefs = {})
      : RDDBase(id, n), parent_(std::move(parent)), prefs_(std::move(prefs)) {}
  void save(LineageWriter&) const override {}
  const char* kind() const override { return "fake"; }
  std::vector<Dependency> dependencies() const override {
    if (!parent_) return {};
    return {Dependency{parent_, nullptr}};
  }
  std::vector<std::string> preferredLocations(int) const override { return prefs_; }
  void computeToBytes(int, TaskContext&, std::string*) override {}
  std::string name() const override { return "FakeRDD"; }
  std::shared_ptr<RDDBase> parent_;
  std::vector<std::string> prefs_;
};

}  // namespace

TEST_CASE("tasks prefer the executors caching their partition or a cached ancestor's", "[scheduler][locality]") {
  CacheLocations cache;
  auto cached = std::make_shared<FakeRDD>(1, 4, nullptr, std::vector<std::string>{"hostX"});
  cached->setStorageLevel(StorageLevel::kMemoryOnly);
  auto mapped = std::make_shared<FakeRDD>(2, 4, cached);
  auto narrowed = std::make_shared<FakeRDD>(3, 2, cached, std::vector<std::string>{"hostY"});

  // Nothing cached yet: the RDD's own preference.
  CHECK(preferredLocationsWithCache(cache, cached, 0) == std::vector<std::string>{"hostX"});
  cache.add(1, 0, "e1", "h1");
  cache.add(1, 0, "e2", "h2");
  CHECK(preferredLocationsWithCache(cache, cached, 0) == std::vector<std::string>{"executor:e1", "h1", "executor:e2", "h2"});
  CHECK(preferredLocationsWithCache(cache, mapped, 0) == std::vector<std::string>{"executor:e1", "h1", "executor:e2", "h2"});
  CHECK(preferredLocationsWithCache(cache, mapped, 1).empty());
  // Partition counts differ: split 0 is not the parent's split 0.
  CHECK(preferredLocationsWithCache(cache, narrowed, 0) == std::vector<std::string>{"hostY"});

  cache.removeExecutor("e1");
  CHECK(cache.get(1, 0) == std::vector<std::string>{"executor:e2", "h2"});
  cache.removeRdd(1);
  CHECK(cache.get(1, 0).empty());
}
