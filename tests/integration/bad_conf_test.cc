// A bad configuration value stops sluice-submit (local, client and cluster mode),
// sluice-master and sluice-worker at start: one line naming the key, the value and the
// expected form, and a non-zero exit. Unknown keys and Spark keys Sluice does not implement
// get one WARN line each and the run goes on.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

std::string wordCountLib() { return libDir() + "/libword_count.so"; }

// Runs argv to its end (REQUIREd within 60 s, so a hang fails the test) and returns it.
struct Run {
  int code;
  std::string err;
};

Run run(const std::vector<std::string>& argv, const std::string& log) {
  Child child(argv, log);
  REQUIRE(child.started());
  auto exit = child.wait(60s);
  INFO(child.err());
  REQUIRE(exit.has_value());
  return {exit->exit_code, child.err()};
}

std::string writeInput(const TempDir& tmp) {
  std::ofstream(tmp / "input.txt") << "to be or not to be\n";
  return tmp / "input.txt";
}

}  // namespace

TEST_CASE("bad conf: sluice-submit in local mode refuses a bad value with the key", "[integration][conf]") {
  TempDir tmp("bad-conf-local");
  std::string input = writeInput(tmp);
  struct Case {
    std::string conf, expected;
  };
  for (const Case& c : {
           Case{"streaming.blockInterval=0", "config streaming.blockInterval='0' is invalid: expected a duration > 0"},
           Case{"streaming.blockInterval=abc",
                "config streaming.blockInterval='abc' is invalid: expected a duration > 0"},
           Case{"spark.streaming.blockInterval=-5", "config streaming.blockInterval='-5' is invalid"},
           Case{"task.maxFailures=-3", "config task.maxFailures='-3' is invalid: expected an integer >= 1"},
           Case{"scheduler.mode=ROUNDROBIN",
                "config scheduler.mode='ROUNDROBIN' is invalid: expected one of FIFO, FAIR"},
       }) {
    INFO(c.conf);
    Run r = run(submitArgv("local[1]", {"--conf", c.conf, wordCountLib(), input, tmp / "out"}), tmp / "submit");
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("sluice-submit: " + c.expected));
    CHECK_FALSE(std::filesystem::exists(tmp / "out"));  // nothing ran
  }
  // The same from a properties file.
  std::ofstream(tmp / "bad.properties") << "# a comment\nspark.executor.memory   lots\n";
  Run r = run(submitArgv("local[1]", {"--properties-file", tmp / "bad.properties", wordCountLib(), input, tmp / "out"}),
              tmp / "submit-properties");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("config executor.memory='lots' is invalid: expected a size >= 1m"));
}

TEST_CASE("bad conf: sluice-submit in client and cluster mode refuses a bad value before the master hears of it",
          "[integration][conf]") {
  LocalStandaloneCluster cluster("bad-conf-cluster");
  cluster.startMaster();
  cluster.startWorker("w1", "127.0.0.3", 1, "1g");
  REQUIRE(cluster.waitAliveWorkers(1));
  std::string input = writeInput(cluster.tmp());

  auto client = cluster.submit({"--conf", "streaming.blockInterval=0", wordCountLib(), input, cluster.tmp() / "out"},
                               "client");
  requireExitCode(*client, 2, 60s);
  CHECK_THAT(client->err(), Catch::Contains("config streaming.blockInterval='0' is invalid"));

  auto in_cluster = cluster.submit({"--deploy-mode", "cluster", "--conf", "task.maxFailures=-3", wordCountLib(), input,
                                    cluster.tmp() / "out"},
                                   "cluster-mode");
  requireExitCode(*in_cluster, 2, 60s);
  CHECK_THAT(in_cluster->err(), Catch::Contains("config task.maxFailures='-3' is invalid"));

  json state = cluster.requireState();
  CHECK(state["activeapps"].empty());
  CHECK(state["completedapps"].empty());
  CHECK(state["activedrivers"].empty());
  CHECK(state["completeddrivers"].empty());
}

TEST_CASE("bad conf: sluice-master and sluice-worker refuse a bad value with the key", "[integration][conf]") {
  TempDir tmp("bad-conf-daemons");
  Run master = run({binDir() + "/sluice-master", "--host", "127.0.0.2", "--port", "0", "--webui-port", "0", "--conf",
                    "worker.timeout=0"},
                   tmp / "master");
  CHECK(master.code == 2);
  CHECK_THAT(master.err,
             Catch::Contains("sluice-master: config worker.timeout='0' is invalid: expected a duration > 0"));

  std::ofstream(tmp / "master.properties") << "spark.deploy.spreadOut maybe\n";
  Run from_file = run({binDir() + "/sluice-master", "--host", "127.0.0.2", "--port", "0", "--webui-port", "0",
                       "--properties-file", tmp / "master.properties"},
                      tmp / "master-properties");
  CHECK(from_file.code == 2);
  CHECK_THAT(from_file.err, Catch::Contains("config deploy.spreadOut='maybe' is invalid: expected true or false"));

  // The check comes before the worker looks for its master: none is needed to see it.
  Run worker = run({binDir() + "/sluice-worker", "sluice://127.0.0.2:1", "--host", "127.0.0.3", "--webui-port", "0",
                    "--work-dir", tmp / "work", "--conf", "worker.cleanup.interval=soon"},
                   tmp / "worker");
  CHECK(worker.code == 2);
  CHECK_THAT(worker.err, Catch::Contains("sluice-worker: config worker.cleanup.interval='soon' is invalid"));
}

TEST_CASE("bad conf: unknown keys and Spark keys Sluice does not implement warn once and the run goes on",
          "[integration][conf]") {
  TempDir tmp("bad-conf-warn");
  std::string input = writeInput(tmp);
  Run r = run(submitArgv("local[1]", {"--conf", "spark.foo.bar=1", "--conf",
                                      "spark.serializer=org.apache.spark.serializer.KryoSerializer", "--conf",
                                      "spark.sql.shuffle.partitions=8", "--conf", "spark.task.maxFailures=2",
                                      wordCountLib(), input, tmp / "out"}),
              tmp / "submit");
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(std::filesystem::exists(tmp / "out"));
  CHECK(countOf(r.err, "warning [driver] unknown config key 'foo.bar'") == 1);
  CHECK(countOf(r.err, "warning [driver] config spark.serializer is a Spark setting that Sluice does not "
                       "implement; ignored") == 1);
  CHECK(countOf(r.err, "warning [driver] config spark.sql.shuffle.partitions is a Spark setting that Sluice does "
                       "not implement") == 1);
  CHECK(countOf(r.err, "task.maxFailures") == 0);  // declared: no word
}

TEST_CASE("bad conf: sluice-submit --help-conf lists every key", "[integration][conf]") {
  TempDir tmp("help-conf");
  Child child({binDir() + "/sluice-submit", "--help-conf"}, tmp / "help");
  auto exit = child.wait(20s);
  REQUIRE(exit.has_value());
  CHECK(exit->exit_code == 0);
  std::string out = child.out();
  CHECK_THAT(out, Catch::Contains("  streaming.blockInterval (duration)\n      values:  a duration > 0"));
  CHECK_THAT(out, Catch::Contains("  task.maxFailures (int)\n      values:  an integer >= 1\n      default: 4\n"));
  CHECK_THAT(out, Catch::Contains("  worker.cleanup.appDataTtl (duration)"));
}
