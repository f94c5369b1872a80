// word_count over a generated 200 MB file, as real sluice-submit processes, checked against
// `tr -s ' ' '\n' | sort | uniq -c`: in local[2], in local-cluster[2,1,1024], and in
// local-cluster with one executor SIGKILLed halfway through the job; the last two also
// with pre-scheduled reducers (scheduler.preScheduleReducers).
#include <catch2/catch.hpp>

#include <random>

#include <unistd.h>

#include "tests/integration/process_util.h"
#include "tests/integration/word_count_output.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

using Counts = WordCounts;

// 200 MB of lines of 1..12 words from a 10,000-word vocabulary; generated once per build.
const std::string& inputFile() {
  static const std::string path = [] {
    std::string p = std::string(SLUICE_BUILD_DIR) + "/test-data/words-200mb.txt";
    std::error_code ec;
    auto size = std::filesystem::file_size(p, ec);
    if (!ec && size >= (200u << 20)) return p;
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::mt19937_64 rng(7);
    std::string buf;
    // A temporary name of this process's own, so that test processes run in parallel
    // (ctest -j) never write or rename each other's half-written file.
    const std::string tmp = p + ".tmp." + std::to_string(::getpid());
    std::ofstream out(tmp, std::ios::binary);
    size_t written = 0;
    while (written < (200u << 20)) {
      buf.clear();
      for (int line = 0; line < 10000; ++line) {
        int words = 1 + static_cast<int>(rng() % 12);
        for (int w = 0; w < words; ++w) {
          if (w) buf += ' ';
          buf += "w";
          buf += std::to_string(rng() % 10000);
        }
        buf += '\n';
      }
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      written += buf.size();
    }
    out.close();
    std::filesystem::rename(tmp, p);
    return p;
  }();
  return path;
}

// The reference: the shell pipeline the issue names, computed once.
const Counts& expectedCounts() {
  static const Counts counts = [] {
    std::string out = std::string(SLUICE_BUILD_DIR) + "/test-data/words-200mb.expected";
    std::error_code ec;
    if (!std::filesystem::exists(out, ec)) {
      const std::string tmp = out + ".tmp." + std::to_string(::getpid());
      std::string cmd = "LC_ALL=C tr -s ' ' '\\n' < " + inputFile() + " | LC_ALL=C sort -S 1G | uniq -c > " + tmp + " && mv " +
                        tmp + " " + out;
      REQUIRE(std::system(cmd.c_str()) == 0);
    }
    Counts c;
    std::istringstream in(readFile(out));
    int64_t n;
    std::string word;
    while (in >> n >> word) c[word] = n;
    return c;
  }();
  return counts;
}

std::vector<std::string> submitArgs(const std::string& master, const std::string& out, const std::string& level = "info",
                                    bool pre_schedule = false) {
  return submitArgv(master, {"--log-level", level, "--conf",
                             std::string("scheduler.preScheduleReducers=") + (pre_schedule ? "true" : "false"),
                             libDir() + "/libword_count.so", inputFile(), out});
}

void checkCounts(const std::string& dir) {
  Counts got = readWordCounts(dir);
  const Counts& want = expectedCounts();
  CHECK(got.size() == want.size());
  size_t mismatches = 0;
  for (auto& [word, n] : want) {
    auto it = got.find(word);
    if (it == got.end() || it->second != n) ++mismatches;
  }
  CHECK(mismatches == 0);
}

// word_count with master, in a TempDir named tmp_name: it exits 0 with the right counts.
void runAndCheck(const std::string& master, const std::string& tmp_name, bool pre_schedule = false) {
  TempDir tmp(tmp_name);
  Child submit(submitArgs(master, tmp / "out", "info", pre_schedule), tmp / "driver");
  REQUIRE(submit.started());
  requireExitCode(submit, 0, 300s);
  checkCounts(tmp / "out");
}

}  // namespace

TEST_CASE("word_count of 200 MB with master local 2 threads matches sort and uniq", "[integration][wordcount]") {
  expectedCounts();
  runAndCheck("local[2]", "wc-local");
}

TEST_CASE("word_count of 200 MB with master local-cluster 2x1 matches sort and uniq", "[integration][wordcount]") {
  expectedCounts();
  runAndCheck("local-cluster[2,1,1024]", "wc-cluster");
}

TEST_CASE("word_count with pre-scheduled reducers on local-cluster 2x1 matches sort and uniq",
          "[integration][wordcount][prescheduling]") {
  expectedCounts();
  runAndCheck("local-cluster[2,1,1024]", "wc-cluster-pre", true);
}

namespace {

// Runs word count on local-cluster[2,1,1024] (debug: the per-task "finished task" lines),
// SIGKILLs one executor halfway (some map tasks have finished, the job has not), and
// returns the driver's log once it has exited 0 with every count exact.
std::string wordCountKillingAnExecutorHalfway(const std::string& name, bool pre_schedule) {
  expectedCounts();
  TempDir tmp(name);
  Child submit(submitArgs("local-cluster[2,1,1024]", tmp / "out", "debug", pre_schedule), tmp / "driver");
  REQUIRE(submit.started());
  REQUIRE(waitFor([&] { return submit.err().find("finished task") != std::string::npos; }, 120s));
  std::vector<pid_t> executors;
  REQUIRE(waitFor([&] { return (executors = descendantsNamed(submit.pid(), "sluice-executor")).size() == 2; }, 10s));
  REQUIRE(::kill(executors.front(), SIGKILL) == 0);
  auto exit = submit.wait(300s);
  REQUIRE(exit.has_value());
  std::string log = submit.err();
  INFO(log.substr(log.size() > 20000 ? log.size() - 20000 : 0));
  REQUIRE(exit->exit_code == 0);
  checkCounts(tmp / "out");
  return log;
}

}  // namespace

// The executor is killed while the map stage runs, so while the pre-scheduled reducers
// wait: they are withdrawn and the reduce stage runs once, after the lost map outputs are
// recomputed; every count is exact (nothing lost, nothing counted twice).
TEST_CASE("word_count with pre-scheduled reducers survives an executor SIGKILLed while the map stage runs",
          "[integration][wordcount][prescheduling]") {
  std::string log = wordCountKillingAnExecutorHalfway("wc-kill-pre", true);
  CHECK(log.find("pre-scheduled attempt withdrawn") != std::string::npos);
}

TEST_CASE("word_count survives an executor SIGKILLed halfway", "[integration][wordcount]") {
  std::string log = wordCountKillingAnExecutorHalfway("wc-kill", false);
  CHECK(log.find("killed by signal 9 (Killed)") != std::string::npos);
  std::ofstream(std::string(SLUICE_BUILD_DIR) + "/test-data/last-kill-run.log") << log;
}
