// common/ui/units.h: the numbers the web UIs print.
#include "common/ui/units.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace sluice::ui;

TEST_CASE("ui units: counts get thousands separators", "[ui]") {
  CHECK(formatCount(0) == "0");
  CHECK(formatCount(999) == "999");
  CHECK(formatCount(1000) == "1,000");
  CHECK(formatCount(1234567) == "1,234,567");
  CHECK(formatCount(-19094) == "-19,094");
  CHECK(formatCount(std::numeric_limits<int64_t>::min()) == "-9,223,372,036,854,775,808");
}

TEST_CASE("ui units: rates read as records per second, not raw doubles", "[ui]") {
  CHECK(formatRate(19093.83870967742) == "19,094 records/s");
  CHECK(formatRate(100) == "100 records/s");
  CHECK(formatRate(99.5) == "99.5 records/s");
  CHECK(formatRate(2.25) == "2.25 records/s");
  CHECK(formatRate(3) == "3 records/s");
  CHECK(formatRate(0) == "0 records/s");
  CHECK(formatRate(1500, "") == "1,500");
  CHECK(formatRate(-1) == "-");
  CHECK(formatRate(std::nan("")) == "-");
}

TEST_CASE("ui units: durations as Spark's UI shows them", "[ui]") {
  CHECK(formatDuration(0) == "0 ms");
  CHECK(formatDuration(350) == "350 ms");
  CHECK(formatDuration(999) == "999 ms");
  CHECK(formatDuration(1000) == "1.0 s");
  CHECK(formatDuration(1234) == "1.2 s");
  CHECK(formatDuration(42'000) == "42 s");
  CHECK(formatDuration(150'000) == "2.5 min");
  CHECK(formatDuration(4'680'000) == "1.3 h");
  CHECK(formatDuration(-1) == "-");
}

TEST_CASE("ui units: batch times carry milliseconds when asked", "[ui]") {
  const int64_t t = 1'700'000'000'250;
  CHECK(formatTimestamp(t).size() == 19);  // YYYY/MM/DD HH:MM:SS
  CHECK(formatTimestamp(t, true) == formatTimestamp(t) + ".250");
  CHECK(formatClock(t) == formatTimestamp(t).substr(11));
}

TEST_CASE("ui units: compact axis numbers and sizes", "[ui]") {
  CHECK(formatCompact(0) == "0");
  CHECK(formatCompact(2.5) == "2.5");
  CHECK(formatCompact(950) == "950");
  CHECK(formatCompact(19094) == "19.1k");
  CHECK(formatCompact(20000) == "20k");
  CHECK(formatCompact(2'300'000) == "2.3M");
  CHECK(formatBytes(512) == "512 B");
  CHECK(formatBytes(100 * 1024) == "100.0 KiB");
  CHECK(formatMiB(512) == "512 MiB");
  CHECK(formatMiB(1536) == "1.5 GiB");
}
