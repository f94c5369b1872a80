// The driver's console: job start and end lines at info, per-task lines at debug, the
// per-batch line on its own logger (visible with --log-level warn, hidden with
// log.batches.level=off), and the progress bar on a terminal (a pty from script(1)).
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

// The lines of text that contain needle.
std::vector<std::string> linesWith(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

const std::regex kBatchLine(R"(\[driver\] batch \d+: \d+ records, scheduling delay)");

// network_word_count on local[2] against gen with 200 ms batches, any UI port, then args.
std::vector<std::string> wordCountArgv(int gen_port, std::vector<std::string> args) {
  std::vector<std::string> all{"--conf", "ui.port=0"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {libDir() + "/libnetwork_word_count.so", "127.0.0.1", std::to_string(gen_port), "200"});
  return submitArgv("local[2]", all);
}

// How many "batch <t> ms:" lines the app printed to stdout (its own listener's).
size_t printedBatches(const Child& app) { return linesWith(app.out(), " ms: ").size(); }

}  // namespace

TEST_CASE("console: with --log-level warn the batch line stays, job and task lines go", "[integration][console]") {
  TempDir tmp("console-warn");
  TextGenerator gen(tmp, 200, 0);
  Child app(wordCountArgv(gen.port, {"--log-level", "warn"}), tmp / "app");
  REQUIRE(app.started());
  REQUIRE(waitFor([&] { return linesWith(app.err(), "] batch ").size() >= 3; }, 60s));
  std::string err = app.err();
  INFO(err);
  for (const std::string& line : linesWith(err, " info ")) CHECK(std::regex_search(line, kBatchLine));
  CHECK(err.find("finished task") == std::string::npos);
  CHECK(err.find("] job ") == std::string::npos);
}

TEST_CASE("console: log.batches.level=off hides the batch line, and at info a batch's jobs stay quiet",
          "[integration][console]") {
  TempDir tmp("console-batches-off");
  TextGenerator gen(tmp, 200, 0);
  Child off(wordCountArgv(gen.port, {"--conf", "log.batches.level=off"}), tmp / "off");
  REQUIRE(off.started());
  REQUIRE(waitFor([&] { return printedBatches(off) >= 3; }, 60s));
  std::string err = off.err();
  INFO(err);
  CHECK(err.find("] batch ") == std::string::npos);
  CHECK(err.find("application app-") != std::string::npos);  // info lines are still there
  // A batch's jobs are summed up by its line: no job or task lines of their own at info.
  CHECK(err.find("] job ") == std::string::npos);
  CHECK(err.find("finished task") == std::string::npos);

  Child bad(wordCountArgv(gen.port, {"--conf", "log.batches.level=loud"}), tmp / "bad");
  requireExitCode(bad, 2, 20s);
  CHECK_THAT(bad.err(), Catch::Contains("log.batches.level='loud' is invalid: expected one of trace,"));
}

TEST_CASE("console: a batch job logs its start and end at info, its tasks at debug", "[integration][console]") {
  TempDir tmp("console-jobs");
  for (const std::string level : {"info", "debug"}) {
    Child app(submitArgv("local[2]", {"--log-level", level, libDir() + "/libstraggler_app.so", tmp / ("marker-" + level),
                                      "0"}),
              tmp / level);
    requireExitCode(app, 0, 60s);
    std::string err = app.err();
    INFO(err);
    CHECK(std::regex_search(err, std::regex(R"( info \[driver\] job 0 started: 8 partitions of .*, 1 stages)")));
    CHECK(std::regex_search(err, std::regex(R"( info \[driver\] job 0 finished in \d+ ms)")));
    CHECK(linesWith(err, "finished task").size() == (level == "debug" ? 8u : 0u));
  }
}

TEST_CASE("console: on a terminal the progress bar shows a running stage and is cleared at its end",
          "[integration][console]") {
  TempDir tmp("console-bar");
  // Partition 0 sleeps 3 s, the other 7 end at once: the stage runs long enough to show.
  std::vector<std::string> submit = submitArgv(
      "local[2]", {"--log-level", "warn", libDir() + "/libstraggler_app.so", tmp / "marker", "3000"});
  std::string command;
  for (const auto& arg : submit) command += (command.empty() ? "" : " ") + arg;
  // script(1) runs the driver on a pseudo-terminal and copies what it shows to stdout.
  Child term({"/usr/bin/script", "-qefc", command, "/dev/null"}, tmp / "term");
  REQUIRE(term.started());
  requireExitCode(term, 0, 60s);
  std::string screen = term.out();
  INFO(screen);
  std::smatch bar;
  REQUIRE(std::regex_search(screen, bar, std::regex(R"(\r\[Stage 0:[=> ]*\((\d) \+ (\d)\) / 8\]\r)")));
  CHECK(std::stoi(bar[1]) + std::stoi(bar[2]) <= 8);
  // The last bar drawn is cleared (blanked over) before the application prints its result.
  size_t last_bar = screen.rfind("[Stage 0:");
  size_t cleared = screen.find("\r" + std::string(20, ' '), last_bar);
  size_t result = screen.find("straggler job took");
  REQUIRE(result != std::string::npos);
  CHECK(cleared != std::string::npos);
  CHECK(cleared < result);
}
