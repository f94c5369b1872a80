// sluice-submit as a user types it (issue 15, items 1, 3 and 10): relative input and output
// paths run from the submitter's directory (local-cluster, and a standalone cluster in client
// and cluster mode), a failed job that leaves no _temporary behind, --name in cluster mode,
// and the flags Spark users type: --version, --num-executors, --driver-memory,
// --driver-cores, --files.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>

#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/word_count_output.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string wordCountLib() { return libDir() + "/libword_count.so"; }
std::string submitAppLib() { return libDir() + "/libsubmit_app.so"; }

// A small text at path: 600 lines over 40 words; returns the counts word_count must give.
WordCounts writeWords(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path);
  WordCounts counts;
  for (int line = 0; line < 600; ++line) {
    for (int w = 0; w <= line % 7; ++w) {
      std::string word = "w" + std::to_string((line * 7 + w * 13) % 40);
      out << (w ? " " : "") << word;
      ++counts[word];
    }
    out << "\n";
  }
  return counts;
}

// The lines of every part file of dir, sorted.
std::vector<std::string> partLines(const std::string& dir) {
  std::vector<std::string> lines;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("part-", 0) != 0) continue;
    std::istringstream in(readFile(entry.path()));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> numbersAsLines() {
  std::vector<std::string> want;
  for (int i = 0; i < 100; ++i) want.push_back(std::to_string(i));
  std::sort(want.begin(), want.end());
  return want;
}

// The master's entry of a driver once it has ended.
json waitDriverEnded(const LocalStandaloneCluster& cluster, const std::string& driver_id) {
  json entry;
  REQUIRE(cluster.waitJson(
      [&](const json& s) {
        const json* d = findById(s["completeddrivers"], driver_id);
        if (d) entry = *d;
        return d != nullptr;
      },
      90s));
  return entry;
}

// A master on 127.0.0.2 and worker-a (3 cores, 4 GB) there, ALIVE.
void startCluster(LocalStandaloneCluster& cluster) {
  cluster.startMaster();
  cluster.startWorker("worker-a", "127.0.0.2", 3, "4g");
  REQUIRE(cluster.waitAliveWorkers(1, 10s));
}

}  // namespace

TEST_CASE("submit: word_count with relative input and output paths on local-cluster, run from the data dir",
          "[integration][submit]") {
  TempDir tmp("submit-relative");
  WordCounts want = writeWords(tmp / "data/input.txt");
  Child submit(submitArgv("local-cluster[2,1,1024]", {wordCountLib(), "input.txt", "out/"}), tmp / "driver",
               tmp / "data");
  REQUIRE(submit.started());
  requireExitCode(submit, 0, 120s);
  CHECK(readWordCounts(tmp / "data/out") == want);
  CHECK_FALSE(fs::exists(tmp / "data/out/_temporary"));
}

TEST_CASE("submit: a failed saveAsTextFile leaves no _temporary and a rerun to the same path succeeds",
          "[integration][submit]") {
  TempDir tmp("submit-abort");
  Child failing(submitArgv("local[2]", {submitAppLib(), "fail-save", "out"}), tmp / "failing", tmp.path().string());
  REQUIRE(failing.started());
  auto exit = failing.wait(60s);
  REQUIRE(exit.has_value());
  INFO(failing.err());
  CHECK(exit->exit_code != 0);
  CHECK(failing.err().find("failing on 77 as asked") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "out/_temporary"));
  CHECK_FALSE(fs::exists(tmp / "out"));

  Child rerun(submitArgv("local[2]", {submitAppLib(), "save", "out"}), tmp / "rerun", tmp.path().string());
  REQUIRE(rerun.started());
  requireExitCode(rerun, 0, 60s);
  CHECK(fs::exists(tmp / "out/_SUCCESS"));
  CHECK(partLines(tmp / "out") == numbersAsLines());
}

TEST_CASE("submit: relative paths on a standalone cluster in client and cluster mode, and --name in cluster mode",
          "[integration][submit][standalone]") {
  LocalStandaloneCluster cluster("submit-standalone");
  startCluster(cluster);
  const std::string data = cluster.tmp() / "data";
  WordCounts want = writeWords(data + "/input.txt");

  SECTION("client mode") {
    auto submit = cluster.submit({"--total-executor-cores", "2", wordCountLib(), "input.txt", "out/"}, "client", data);
    requireExitCode(*submit, 0, 90s);
    CHECK(readWordCounts(data + "/out") == want);
  }

  SECTION("cluster mode: the driver resolves them against the submitter's directory, the app has its --name") {
    auto submit = cluster.submit({"--deploy-mode", "cluster", "--name", "relative word count", "--total-executor-cores",
                                  "2", wordCountLib(), "input.txt", "out/"},
                                 "cluster-submit", data);
    std::string driver_id = submittedDriverId(*submit);
    json driver = waitDriverEnded(cluster, driver_id);
    json state = cluster.requireState();
    INFO(state.dump(2) << readFile(cluster.workDir("worker-a") + "/" + driver_id + "/stderr"));
    CHECK(driver["state"] == "FINISHED");
    REQUIRE(state["completedapps"].size() == 1);
    CHECK(state["completedapps"][0]["name"] == "relative word count");
    CHECK(readWordCounts(data + "/out") == want);
    CHECK_FALSE(fs::exists(cluster.workDir("worker-a") + "/" + driver_id + "/out"));
  }
}

TEST_CASE("submit: --version prints the version and exits 0", "[integration][submit]") {
  TempDir tmp("submit-version");
  Child submit({binDir() + "/sluice-submit", "--version"}, tmp / "version");
  REQUIRE(submit.started());
  requireExitCode(submit, 0, 20s);
  CHECK(std::regex_search(submit.out(), std::regex(R"(sluice-submit version \d+\.\d+\.\d+)")));
}

TEST_CASE("submit: --num-executors is refused with the standalone option to use instead", "[integration][submit]") {
  TempDir tmp("submit-num-executors");
  Child submit(submitArgv("local-cluster[2,1,1024]", {"--num-executors", "2", wordCountLib(), "in", "out"}),
               tmp / "submit");
  REQUIRE(submit.started());
  requireExitCode(submit, 2, 20s);
  CHECK(submit.err().find("--num-executors is not a standalone option") != std::string::npos);
  CHECK(submit.err().find("use --total-executor-cores") != std::string::npos);
}

TEST_CASE("submit: --driver-memory sizes the local executor, and a bad size is refused", "[integration][submit]") {
  TempDir tmp("submit-driver-memory");
  Child ok(submitArgv("local[2]", {"--driver-memory", "700m", "--driver-cores", "3", submitAppLib(), "save",
                                   tmp / "out"}),
           tmp / "ok");
  REQUIRE(ok.started());
  requireExitCode(ok, 0, 60s);
  CHECK(ok.err().find("one in-process executor with 700 MiB") != std::string::npos);

  Child bad(submitArgv("local[2]", {"--driver-memory", "lots", submitAppLib(), "save", tmp / "out2"}), tmp / "bad");
  REQUIRE(bad.started());
  requireExitCode(bad, 2, 20s);
  CHECK(bad.err().find("--driver-memory must be a size such as 512m or 2g, not 'lots'") != std::string::npos);
}

TEST_CASE("submit: --files reach every executor's work dir on local-cluster, by base name", "[integration][submit]") {
  TempDir tmp("submit-files");
  fs::create_directories(tmp / "conf");
  std::ofstream(tmp / "conf/shipped.txt") << "shipped line one\nline two\n";
  Child submit(submitArgv("local-cluster[2,1,1024]", {"--files", "conf/shipped.txt", submitAppLib(), "files", "out"}),
               tmp / "driver", tmp.path().string());
  REQUIRE(submit.started());
  requireExitCode(submit, 0, 90s);
  CHECK(partLines(tmp / "out") == std::vector<std::string>{"0 shipped line one", "1 shipped line one",
                                                           "2 shipped line one", "3 shipped line one"});

  Child missing(submitArgv("local[2]", {"--files", "conf/nothing.txt", submitAppLib(), "files", "out2"}),
                tmp / "missing", tmp.path().string());
  REQUIRE(missing.started());
  requireExitCode(missing, 2, 20s);
  CHECK(missing.err().find("--files: conf/nothing.txt is not a file") != std::string::npos);
}

TEST_CASE("submit: a cluster-mode driver gets the --driver-cores and --driver-memory it asked for, and its --files",
          "[integration][submit][standalone]") {
  LocalStandaloneCluster cluster("submit-driver-flags");
  startCluster(cluster);
  const std::string data = cluster.tmp() / "data";
  fs::create_directories(data);
  std::ofstream(data + "/shipped.txt") << "cluster shipped line\n";
  auto submit = cluster.submit({"--deploy-mode", "cluster", "--driver-cores", "2", "--driver-memory", "700m",
                                "--total-executor-cores", "1", "--files", "shipped.txt", submitAppLib(), "files",
                                "out"},
                               "cluster-submit", data);
  std::string driver_id = submittedDriverId(*submit);
  json driver = waitDriverEnded(cluster, driver_id);
  const std::string driver_dir = cluster.workDir("worker-a") + "/" + driver_id;
  INFO(driver.dump(2) << readFile(driver_dir + "/stderr"));
  CHECK(driver["state"] == "FINISHED");
  CHECK(driver["cores"] == 2);
  CHECK(driver["memory"] == 700);
  CHECK(readFile(driver_dir + "/stdout").find("driver reads: cluster shipped line") != std::string::npos);
  CHECK(partLines(data + "/out") == std::vector<std::string>{"0 cluster shipped line", "1 cluster shipped line",
                                                             "2 cluster shipped line", "3 cluster shipped line"});
}
