// The fair scheduler allocation file and the pools built from the configuration.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "scheduler/allocation_file.h"
#include "scheduler/pool_builder.h"

using namespace sluice;

namespace {

const char* kSparkExample = R"(<?xml version="1.0"?>
<!-- from Spark's conf/fairscheduler.xml.template -->
<allocations>
  <pool name="production">
    <schedulingMode>FAIR</schedulingMode>
    <weight>1</weight>
    <minShare>2</minShare>
  </pool>
  <pool name="test">
    <schedulingMode>FIFO</schedulingMode>
    <weight>2</weight>
    <minShare>3</minShare>
  </pool>
  <pool name="p &amp; q"><weight>3</weight></pool>
  <pool name="empty"/>
</allocations>
)";

std::string errorOf(const std::string& xml) {
  auto r = parseAllocations(xml);
  return r ? "" : r.status().message();
}

}  // namespace

TEST_CASE("an allocation file in Spark's format is parsed", "[scheduler][pools]") {
  auto pools = parseAllocations(kSparkExample);
  REQUIRE(pools);
  REQUIRE(pools->size() == 4);
  const PoolConfig& prod = (*pools)[0];
  CHECK(prod.name == "production");
  CHECK(prod.mode == SchedulingMode::kFair);
  CHECK(prod.weight == 1);
  CHECK(prod.min_share == 2);
  CHECK((*pools)[1].mode == SchedulingMode::kFifo);
  CHECK((*pools)[1].weight == 2);
  CHECK((*pools)[1].min_share == 3);
  CHECK((*pools)[2].name == "p & q");
  CHECK((*pools)[2].weight == 3);
  // Fields left out get FIFO, weight 1, minShare 0.
  CHECK((*pools)[3].mode == SchedulingMode::kFifo);
  CHECK((*pools)[3].weight == 1);
  CHECK((*pools)[3].min_share == 0);
}

TEST_CASE("a malformed allocation file gets one clear error naming the line", "[scheduler][pools]") {
  CHECK(errorOf("<allocations><pool name=\"a\"><weight>2</weight></allocations>") ==
        "line 1: expected </pool> but found </allocations>");
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n<weight>two</weight>\n</pool></allocations>") ==
        "line 3: <weight> must be a non-negative integer, got 'two'");
  CHECK(errorOf("<allocations><pool><weight>2</weight></pool></allocations>") == "line 1: <pool> needs a name attribute");
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n  <schedulingMode>ROUND</schedulingMode></pool></allocations>") ==
        "line 3: pool a: unknown scheduling mode 'ROUND' (expected FIFO or FAIR)");
  CHECK(errorOf("<allocations><pool name=\"a\"/>\n<pool name=\"a\"/></allocations>") == "line 2: pool a is defined twice");
  CHECK(errorOf("<pools/>") == "line 1: the root element must be <allocations>, not <pools>");
  CHECK(errorOf("<allocations><pool name=a/></allocations>") == "line 1: expected a quoted value for attribute name");
  CHECK(errorOf("") == "line 1: expected the root element");
  CHECK(errorOf("<allocations/><extra/>") == "line 1: unexpected content after the root element </allocations>");
}

TEST_CASE("scheduler.allocation.file builds FAIR pools, a bad file fails the build", "[scheduler][pools]") {
  auto dir = std::filesystem::temp_directory_path() / ("sluice-alloc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "good.xml") << kSparkExample;
  std::ofstream(dir / "bad.xml") << "<allocations>\n<pool name=\"x\"><minShare>-1</minShare></pool>\n</allocations>";
  Conf conf;
  conf.set("scheduler.mode", "FAIR");
  conf.set("scheduler.allocation.file", (dir / "good.xml").string());
  auto root = buildRootPool(conf);
  REQUIRE(root);
  CHECK((*root)->mode() == SchedulingMode::kFair);
  REQUIRE((*root)->childPool("production"));
  CHECK((*root)->childPool("production")->minShare() == 2);
  REQUIRE((*root)->childPool("default"));
  // A pool the file does not name is made on first use with the defaults.
  Pool* adhoc = poolFor(**root, "adhoc");
  CHECK(adhoc->name() == "adhoc");
  CHECK(adhoc->weight() == 1);
  CHECK(adhoc->minShare() == 0);
  CHECK(adhoc->mode() == SchedulingMode::kFifo);
  CHECK(poolFor(**root, "")->name() == "default");

  conf.set("scheduler.allocation.file", (dir / "bad.xml").string());
  auto bad = buildRootPool(conf);
  REQUIRE_FALSE(bad);
  CHECK(bad.status().message() == "allocation file " + (dir / "bad.xml").string() +
                                      ": line 2: <minShare> must be a non-negative integer, got '-1'");
  conf.set("scheduler.allocation.file", (dir / "missing.xml").string());
  CHECK_FALSE(buildRootPool(conf));
  conf.set("scheduler.mode", "SOMETIMES");
  CHECK(buildRootPool(conf).status().message() ==
        "scheduler.mode: unknown scheduling mode 'SOMETIMES' (expected FIFO or FAIR)");
  std::filesystem::remove_all(dir);

  Conf fifo;
  auto plain = buildRootPool(fifo);
  REQUIRE(plain);
  CHECK(poolFor(**plain, "anything") == plain->get());  // FIFO ignores pool names
}
