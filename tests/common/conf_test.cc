#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "common/conf.h"

using namespace sluice;
using namespace std::chrono_literals;

TEST_CASE("conf parses durations, sizes and prefixes", "[common]") {
  Conf conf;
  REQUIRE(conf.setPair("spark.locality.wait=3s"));
  REQUIRE(conf.setPair("sluice.executor.memory = 4g"));
  REQUIRE(conf.setPair("streaming.blockInterval=5ms"));
  CHECK(conf.getDuration("locality.wait", 0ms) == 3000ms);
  CHECK(conf.getDuration("streaming.blockInterval", 0ms) == 5ms);
  CHECK(conf.getBytes("executor.memory", 0) == (int64_t{4} << 30));
  CHECK(conf.getInt("missing", 7) == 7);
  CHECK_FALSE(conf.setPair("novalue"));
  CHECK_FALSE(parseDuration("3 parsecs").isOk());
  CHECK_FALSE(parseBytes("12q").isOk());
  CHECK(*parseDuration("2min") == 120000ms);
}

TEST_CASE("conf reads a properties file and reports a missing one", "[common]") {
  std::string path = (std::filesystem::temp_directory_path() / ("conf-test-" + std::to_string(::getpid()))).string();
  {
    std::ofstream out(path);
    out << "# comment\nspark.task.maxFailures 2\nscheduler.mode=FAIR\n\n";
  }
  Conf conf;
  REQUIRE(conf.loadPropertiesFile(path));
  CHECK(conf.getInt("task.maxFailures", 4) == 2);
  CHECK(conf.get("scheduler.mode") == "FAIR");
  std::remove(path.c_str());
  Status missing = conf.loadPropertiesFile(path);
  CHECK(missing.code() == StatusCode::kNotFound);
}
