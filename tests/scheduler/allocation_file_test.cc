// The fair scheduler allocation file and the pools built from the configuration.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "scheduler/allocation_file.h"
#include "scheduler/pool_builder.h"
#include "tests/common/log_capture.h"

using namespace sluice;
using sluice::testing::LogCapture;

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
  CHECK(errorOf("<allocations>\n<pool name=\"a\"><weight>2</weight>\n</allocations>") ==
        "line 3: </allocations> does not close <pool> (line 2): expected </pool>");
  CHECK(errorOf("<allocations><pool><weight>2</weight></pool></allocations>") ==
        "line 1: <pool> needs a name attribute (<pool name=\"...\">)");
  CHECK(errorOf("<allocations><pool nmae=\"a\"/></allocations>") ==
        "line 1: <pool> needs a name attribute (<pool name=\"...\">), found only: nmae");
  CHECK(errorOf("<allocations><pool name=\"\"/></allocations>") == "line 1: <pool name=\"\"> has an empty name");
  CHECK(errorOf("<allocations><pool name=\"a\"/>\n<pool name=\"a\"/></allocations>") ==
        "line 2: pool a is defined twice");
  CHECK(errorOf("<pools/>") == "line 1: the root element must be <allocations>, not <pools>");
  CHECK(errorOf("<allocations><pool name=a/></allocations>") == "line 1: expected a quoted value for attribute name");
  CHECK(errorOf("<allocations><pool name=\"a/></allocations>") ==
        "line 1: the value of attribute name is not closed by \"");
  CHECK(errorOf("") == "line 1: expected the root element");
  CHECK(errorOf("<allocations/><extra/>") == "line 1: unexpected content after the root element </allocations>");
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n</allocations") ==
        "line 3: </allocations> does not close <pool> (line 2): expected </pool>");
  CHECK(errorOf("<allocations>\n  <pool name=\"a\">\n") ==
        "line 2: <pool> is not closed (no </pool> before the end of the file)");
  CHECK(errorOf("<allocations>\n<pool name=\"AT&T\"/></allocations>") == "line 2: a bare '&' (write it as &amp;)");
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n<weight>&one;</weight></pool></allocations>") ==
        "line 3: unknown entity &one; (known: &lt; &gt; &amp; &quot; &apos;)");
}

// The issue's file: Spark's template with the '>' of the first </pool> missing (line 7).
TEST_CASE("a closing tag without its '>' is named as such, on its own line", "[scheduler][pools]") {
  const std::string xml = R"(<?xml version="1.0"?>
<allocations>
  <pool name="production">
    <schedulingMode>FAIR</schedulingMode>
    <weight>1</weight>
    <minShare>2</minShare>
  </pool
  <pool name="test">
    <schedulingMode>FIFO</schedulingMode>
  </pool>
</allocations>
)";
  CHECK(errorOf(xml) == "line 7: '</pool' is not closed by '>'");
  // The same for a start tag, and for a closing tag with something else before its '>'.
  CHECK(errorOf("<allocations>\n<pool name=\"a\"\n<weight>1</weight></pool></allocations>") ==
        "line 2: '<pool' is not closed by '>'");
  CHECK(errorOf("<allocations>\n<pool name=\"a\"></pool x></allocations>") ==
        "line 2: unexpected 'x' in '</pool' (expected '>')");
  CHECK(errorOf("<allocations>\n<pool name=\"a\"></pool") == "line 2: '</pool' is not closed by '>'");
}

TEST_CASE("an unclosed comment or declaration names the line where it starts", "[scheduler][pools]") {
  CHECK(errorOf("<?xml version=\"1.0\"?>\n<!-- pools for\nproduction\n<allocations/>") ==
        "line 2: the comment '<!--' is not closed by '-->'");
  CHECK(errorOf("<allocations>\n  <pool name=\"a\">\n    <!-- weight 2 ->\n  </pool>\n</allocations>") ==
        "line 3: the comment '<!--' is not closed by '-->'");
  CHECK(errorOf("<?xml version=\"1.0\"\n<allocations/>") == "line 1: the declaration '<?' is not closed by '?>'");
}

TEST_CASE("a bad weight, minShare or schedulingMode names the line, the pool and what it must be",
          "[scheduler][pools]") {
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n<weight>two</weight>\n</pool></allocations>") ==
        "line 3: pool a: <weight> must be a whole number >= 0, got 'two'");
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n<weight>1.5</weight>\n</pool></allocations>") ==
        "line 3: pool a: <weight> must be a whole number >= 0, got '1.5'");
  CHECK(errorOf("<allocations>\n<pool name=\"b\">\n<minShare>-1</minShare>\n</pool></allocations>") ==
        "line 3: pool b: <minShare> must be a whole number >= 0, got '-1'");
  CHECK(errorOf("<allocations>\n<pool name=\"b\">\n<minShare></minShare>\n</pool></allocations>") ==
        "line 3: pool b: <minShare> is empty (expected a whole number >= 0)");
  CHECK(errorOf("<allocations>\n<pool name=\"b\"><weight>12345678901</weight></pool></allocations>") ==
        "line 2: pool b: <weight> is too large: '12345678901' (at most 999999999)");
  CHECK(errorOf("<allocations>\n<pool name=\"a\">\n  <schedulingMode>ROUND</schedulingMode></pool></allocations>") ==
        "line 3: pool a: <schedulingMode> must be FIFO or FAIR, got 'ROUND'");
  // Spark's modes are case-insensitive.
  CHECK(errorOf("<allocations><pool name=\"a\"><schedulingMode>fair</schedulingMode></pool></allocations>").empty());
}

TEST_CASE("unknown elements and attributes are ignored, as Spark does, with a WARN line each", "[scheduler][pools]") {
  LogCapture log;
  auto pools = parseAllocations(R"(<allocations>
  <pool name="a" wieght="2">
    <wieght>2</wieght>
  </pool>
  <queue name="b"/>
</allocations>)",
                                "allocation file conf/fairscheduler.xml");
  REQUIRE(pools);
  REQUIRE(pools->size() == 1);
  CHECK((*pools)[0].weight == 1);
  CHECK(log.at(spdlog::level::warn) ==
        std::vector<std::string>{
            "allocation file conf/fairscheduler.xml line 2: pool a: ignoring unknown attribute wieght",
            "allocation file conf/fairscheduler.xml line 3: pool a: ignoring unknown element <wieght> (a pool has "
            "schedulingMode, weight and minShare)",
            "allocation file conf/fairscheduler.xml line 5: ignoring unknown element <queue> (<allocations> holds "
            "<pool> elements)",
        });
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
                                      ": line 2: pool x: <minShare> must be a whole number >= 0, got '-1'");
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
