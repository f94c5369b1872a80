// ConsoleProgressBar: the bar's text as a pure function of the stages and the width, and
// when it shows (after 500 ms of a stage, not right after a job ended), changes and clears,
// on a manual clock.
#include "driver/console_progress_bar.h"

#include <cstdio>
#include <cstdlib>

#include <catch2/catch.hpp>

namespace sluice {
namespace {

StageProgress stage(int id, int tasks, int completed, int active, int attempt = 0) {
  return StageProgress{id, attempt, tasks, completed, active};
}

TEST_CASE("progress bar: Spark's format, the completed share as '=' up to a '>'", "[driver]") {
  CHECK(formatProgressBar({stage(1, 10, 3, 2)}, 40) == "[Stage 1:=====>            (3 + 2) / 10]");
  CHECK(formatProgressBar({stage(1, 10, 3, 2)}, 40).size() == 40);
  CHECK(formatProgressBar({stage(7, 4, 0, 2)}, 30) == "[Stage 7:>        (0 + 2) / 4]");
  CHECK(formatProgressBar({stage(2, 4, 4, 0)}, 30) == "[Stage 2:=========(4 + 0) / 4]");
  CHECK(formatProgressBar({}, 80).empty());
}

TEST_CASE("progress bar: up to three stages share the width, a narrow share keeps the counts", "[driver]") {
  std::vector<StageProgress> four = {stage(1, 10, 5, 1), stage(2, 4, 0, 1), stage(3, 2, 1, 1), stage(4, 8, 0, 0)};
  std::string bar = formatProgressBar(four, 90);
  CHECK(bar == "[Stage 1:====>   (5 + 1) / 10][Stage 2:>        (0 + 1) / 4]"
               "[Stage 3:====>    (1 + 1) / 2]");
  CHECK(bar.size() == 90);
  CHECK(bar.find("Stage 4") == std::string::npos);
  // No room for a bar: the header and the counts only.
  CHECK(formatProgressBar({stage(1, 10, 3, 2)}, 15) == "[Stage 1:(3 + 2) / 10]");
  CHECK(formatProgressBar({stage(1, 0, 0, 0)}, 40) == "[Stage 1:(0 + 0) / 0]");
}

// A stream into memory, closed last.
struct MemoryFile {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* file = ::open_memstream(&buf, &size);
  ~MemoryFile() {
    std::fclose(file);
    std::free(buf);
  }
};

// A bar over a manual clock and a status line writing to memory; the test sets the stages.
struct BarFixture {
  ManualClock clock{1000};
  MemoryFile out;
  StatusLine line{out.file};
  std::vector<StageProgress> stages;
  ConsoleProgressBar bar{[this] { return stages; }, line, clock, ConsoleProgressBar::Options{40, 200, 500}};

  // Advances the clock by ms and refreshes; returns what the line shows.
  std::string after(int64_t ms) {
    clock.advance(ms);
    bar.refresh();
    return line.shown();
  }
};

TEST_CASE("progress bar: a stage shows after 500 ms, follows its tasks and clears when it ends", "[driver]") {
  BarFixture f;
  f.stages = {stage(3, 10, 0, 2)};
  CHECK(f.after(0).empty());    // just seen
  CHECK(f.after(400).empty());  // 400 ms: not yet
  CHECK(f.after(100) == "[Stage 3:>                 (0 + 2) / 10]");
  f.stages = {stage(3, 10, 5, 2)};
  CHECK(f.after(200) == "[Stage 3:=========>        (5 + 2) / 10]");
  // A second stage starts: it joins the line after its own 500 ms.
  f.stages = {stage(3, 10, 6, 1), stage(4, 2, 0, 1)};
  CHECK(f.after(200) == "[Stage 3:==========>       (6 + 1) / 10]");
  // Two stages in 40 columns: no room for bars, the counts stay.
  CHECK(f.after(500) == "[Stage 3:(6 + 1) / 10][Stage 4:(0 + 1) / 2]");
  // Both end: the line is cleared.
  f.stages = {};
  CHECK(f.after(200).empty());
  // A stage attempt seen again later counts its 500 ms afresh.
  f.stages = {stage(3, 10, 6, 1, 1)};
  CHECK(f.after(200).empty());
}

TEST_CASE("progress bar: a job's end clears it at once and holds it back for 500 ms", "[driver]") {
  BarFixture f;
  f.stages = {stage(1, 4, 1, 1)};
  f.after(0);
  REQUIRE_FALSE(f.after(600).empty());
  f.bar.finishAll();
  CHECK(f.line.shown().empty());
  CHECK(f.after(200).empty());
  CHECK(f.after(200).empty());
  CHECK(f.after(100) == "[Stage 1:====>              (1 + 1) / 4]");
  f.bar.stop();
  CHECK(f.line.shown().empty());
}

TEST_CASE("progress bar: shown by default only on a terminal and above info, or when set", "[driver]") {
  Conf conf;
  conf.set("ui.showConsoleProgress", "true");
  CHECK(showConsoleProgress(conf));
  conf.set("ui.showConsoleProgress", "false");
  CHECK_FALSE(showConsoleProgress(conf));
  // Under ctest stderr is a file, not a terminal: off by default whatever the level.
  if (!::isatty(2)) CHECK_FALSE(showConsoleProgress(Conf{}));
}

}  // namespace
}  // namespace sluice
