// Cleanup end to end: the driver's ContextCleaner removes old batches' shuffle outputs from
// every executor of a streaming app while its windows stay correct, and a worker removes
// the dirs of an application that was killed and of one that died before it started. With
// shuffle.memoryLimit=0 every map output is a spill file shuffle_<id>_<map>_<pid>.data, so
// the files in the executors' dirs are the shuffles the executors hold.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "tests/executor/spill_files.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Every file under dir, relative to it.
std::set<std::string> filesUnder(const fs::path& dir) {
  std::set<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) files.insert(fs::relative(it->path(), dir).string());
  }
  return files;
}

// "<what> <time>: <n> words" lines of cleanup_app's output, by time.
std::map<int64_t, int64_t> wordsBy(const std::string& out, const std::string& what) {
  std::map<int64_t, int64_t> by_time;
  std::regex re(what + R"( (\d+): (\d+) words)");
  for (std::sregex_iterator it(out.begin(), out.end(), re), end; it != end; ++it) {
    by_time[std::stoll((*it)[1].str())] = std::stoll((*it)[2].str());
  }
  return by_time;
}

void touch(const fs::path& file, fs::file_time_type when) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << "x";
  fs::last_write_time(file, when);
}

}  // namespace

TEST_CASE("old batches' shuffle outputs leave every executor while windows stay correct", "[integration][cleanup]") {
  TempDir tmp("cleanup-streaming");
  Child app(submitArgv("local-cluster[2,2,1024]",
                       {"--conf", "local.dir=" + (tmp / "work"), "--conf", "locality.wait=0", "--conf",
                        "shuffle.memoryLimit=0", "--conf", "ui.enabled=false", "--conf", "streaming.blockInterval=100",
                        libDir() + "/libcleanup_app.so", "200"}),
            tmp / "app");
  REQUIRE(app.started());
  // 150 batches of 200 ms (30 s of stream), 28 or more windows; meanwhile, the highest
  // shuffle id ever seen on disk.
  int max_seen = -1;
  bool done = waitFor(
      [&] {
        auto ids = shuffleIdsOnDisk(tmp.path());
        if (!ids.empty()) max_seen = std::max(max_seen, *ids.rbegin());
        return wordsBy(app.out(), "batch").size() >= 150;
      },
      300s);
  INFO(app.err().substr(app.err().size() > 4000 ? app.err().size() - 4000 : 0));
  REQUIRE(done);
  auto ids = shuffleIdsOnDisk(tmp.path());
  INFO("max shuffle id seen " << max_seen << "; on disk now: " << ids.size() << " shuffles, from "
       << (ids.empty() ? -1 : *ids.begin()) << " to " << (ids.empty() ? -1 : *ids.rbegin()));
  REQUIRE(max_seen >= 150);  // a shuffle per batch, and the windows'
  // Recent batches' shuffles are there, old ones are gone. What stays: the last batches'
  // (their DStream remembers them) and the window's since its last lineage cut (every 10
  // slides: kLineageCutBatches), which a new window reads through its previous one.
  REQUIRE(!ids.empty());
  CHECK(*ids.rbegin() >= max_seen - 10);
  CHECK(*ids.begin() > max_seen - 200);  // measured: 192 with max 328 (78 on disk)
  CHECK(ids.size() <= 100);

  // Each window holds exactly the words of the 10 batches it covers (t - 2 s, t].
  std::string out = app.out();
  auto batches = wordsBy(out, "batch");
  auto windows = wordsBy(out, "window");
  int checked = 0;
  for (auto [t, words] : windows) {
    if (t - 2000 < batches.begin()->first) continue;  // covers batches from before the first one printed
    if (batches.rbegin()->first < t) continue;
    int64_t sum = 0;
    for (auto it = batches.upper_bound(t - 2000); it != batches.end() && it->first <= t; ++it) sum += it->second;
    INFO("window " << t);
    CHECK(words == sum);
    ++checked;
  }
  CHECK(checked >= 10);

  ::kill(app.pid(), SIGTERM);
  REQUIRE(app.wait(60s).has_value());
  CHECK(shuffleIdsOnDisk(tmp.path()).empty());
}

TEST_CASE("a worker keeps only the logs of a killed application's executors, then removes its dir",
          "[integration][cleanup]") {
  LocalStandaloneCluster cluster("cleanup-killed-app", "127.0.0.1");
  cluster.startMaster({"--conf", "app.timeout=3s"});
  cluster.startWorker("worker", "127.0.0.1", 2, "2g",
                      {"--conf", "worker.cleanup.interval=100ms", "--conf", "worker.cleanup.appDataTtl=5s"});
  REQUIRE(cluster.waitAliveWorkers(1, 10s));
  Child& worker = cluster.worker("worker");
  fs::path work = cluster.workDir("worker");
  auto driver = cluster.submit({"--deploy-mode", "client", "--total-executor-cores", "2", "--executor-cores", "1",
                                "--conf", "shuffle.memoryLimit=0", "--conf", "ui.enabled=false",
                                libDir() + "/libcleanup_app.so", "200"},
                               "driver");
  // Running: its executors spill shuffle output into their dirs.
  REQUIRE(waitFor([&] { return !shuffleIdsOnDisk(work).empty(); }, 120s));
  std::string app_id = waitForMatch([&] { return driver->err() + driver->out(); }, R"((app-[0-9]+-[0-9]+))", 5s);
  REQUIRE(!app_id.empty());
  fs::path app_dir = work / app_id;
  REQUIRE(fs::is_directory(app_dir));

  driver->kill(SIGKILL);  // the master ends the application after app.timeout and kills its executors
  // The executors' data goes as soon as they exit; their logs stay readable...
  auto onlyLogs = [&] {
    auto files = filesUnder(app_dir);
    if (files.empty()) return false;
    for (const auto& f : files) {
      std::string name = fs::path(f).filename().string();
      if (name != "stdout" && name != "stderr") return false;
    }
    return true;
  };
  REQUIRE(waitFor(onlyLogs, 30s));
  CHECK(shuffleIdsOnDisk(work).empty());
  // ...until worker.cleanup.appDataTtl after the last write, when the dir goes.
  REQUIRE(waitFor([&] { return !fs::exists(app_dir); }, 30s));
  CHECK_THAT(worker.err() + worker.out(), Catch::Contains("removed " + app_dir.string()));
}

TEST_CASE("a worker started over a dead application's dir removes its data, and the dir once old",
          "[integration][cleanup]") {
  TempDir tmp("cleanup-worker-start");
  fs::path work = tmp / "work";
  auto now = fs::file_time_type::clock::now();
  auto long_ago = now - std::chrono::hours(2);
  for (const char* f : {"0/stdout", "0/stderr", "0/blocks/shuffle_3_0_77.data", "0/apps/app-x.so"}) {
    touch(work / "app-old" / f, long_ago);
    touch(work / "app-recent" / f, now);
  }
  fs::last_write_time(work / "app-old" / "0" / "blocks", long_ago);
  fs::last_write_time(work / "app-old" / "0" / "apps", long_ago);
  fs::last_write_time(work / "app-old" / "0", long_ago);
  fs::last_write_time(work / "app-old", long_ago);
  // No master answers: the worker cleans its dir before it registers.
  Child worker({binDir() + "/sluice-worker", "sluice://127.0.0.1:1", "--host", "127.0.0.1", "--port", "0",
                "--webui-port", "0", "--work-dir", work.string(), "--conf", "worker.cleanup.appDataTtl=1h"},
               tmp / "worker");
  REQUIRE(!waitForMatch([&] { return worker.out() + worker.err(); }, "(listening at)", 10s).empty());
  CHECK(!fs::exists(work / "app-old"));
  CHECK(filesUnder(work / "app-recent") == std::set<std::string>{"0/stderr", "0/stdout"});
}
