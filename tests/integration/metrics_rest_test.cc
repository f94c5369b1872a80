// The HTTP edges of every process, as a user reaches them: a streaming driver process on a
// local cluster answers every /api/v1 path with Spark's field names and /metrics; the
// master's and a worker's /metrics are Prometheus text with the cluster's figures.
#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/common/prometheus_exposition.h"
#include "tests/integration/http_json.h"
#include "tests/integration/local_standalone_cluster.h"
#include "tests/integration/process_util.h"
#include "tests/integration/text_generator.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// GET path on host:port as Prometheus text, checked and parsed; REQUIREs an answer.
Exposition metricsOf(const std::string& host, int port) {
  httplib::Client client(host, port);
  client.set_read_timeout(5, 0);
  auto res = client.Get("/metrics");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  return parseExposition(res->body);
}

void requireFields(const json& j, std::initializer_list<const char*> names) {
  INFO(j.dump(2));
  for (const char* name : names) {
    INFO("field " << name);
    CHECK(j.contains(name));
  }
}

}  // namespace

TEST_CASE("a streaming driver process serves every /api/v1 path with Spark's fields, and /metrics", "[integration][streaming]") {
  TempDir tmp("driver-rest");
  GeneratorProcess gen(tmp, {"--rate", "2000"});
  StreamingDriverProcess app(submitArgv("local-cluster[2,1,1024]",
                                        {"--conf", "ui.port=0", "--conf", "streaming.blockInterval=50",
                                         libDir() + "/libnetwork_word_count.so", "127.0.0.1",
                                         std::to_string(gen.port), "200", "0", tmp / "out"}),
                             tmp / "app");
  REQUIRE(waitFor([&] { return app.streaming("statistics")["numProcessedRecords"].get<int64_t>() > 0; }, 30s));
  const std::string api = "/api/v1/applications/" + app.app_id;

  json info = app.get(api);
  requireFields(info, {"id", "name", "attempts"});
  requireFields(info["attempts"][0], {"startTime", "endTime", "lastUpdated", "duration", "sparkUser", "completed",
                                      "appSparkVersion"});
  json jobs = app.get(api + "/jobs");
  REQUIRE(!jobs.empty());
  requireFields(jobs[0], {"jobId", "name", "submissionTime", "stageIds", "jobGroup", "status", "numTasks",
                          "numCompletedTasks", "numSkippedTasks", "numFailedTasks", "numKilledTasks",
                          "numCompletedIndices", "numActiveStages", "numCompletedStages", "numSkippedStages",
                          "numFailedStages"});
  int job_id = jobs.back()["jobId"];
  CHECK(app.get(api + "/jobs/" + std::to_string(job_id))["jobId"] == job_id);
  json stages = app.get(api + "/stages");
  REQUIRE(!stages.empty());
  requireFields(stages.back(), {"status", "stageId", "attemptId", "numTasks", "numCompleteTasks", "numFailedTasks",
                                "numKilledTasks", "numCompletedIndices", "executorRunTime", "submissionTime",
                                "shuffleReadBytes", "shuffleWriteBytes", "name", "schedulingPool"});
  int stage_id = stages.back()["stageId"];
  json attempts = app.get(api + "/stages/" + std::to_string(stage_id));
  REQUIRE(attempts.is_array());
  CHECK(attempts[0]["stageId"] == stage_id);
  json executors = app.get(api + "/executors");
  REQUIRE(executors.size() == 2);  // local-cluster[2,1,1024]
  for (const json& e : executors) {
    requireFields(e, {"id", "hostPort", "isActive", "totalCores", "maxTasks", "failedTasks", "completedTasks",
                      "totalTasks", "totalDuration", "totalShuffleRead", "totalShuffleWrite", "addTime"});
    CHECK(e["totalCores"] == 1);
  }
  json env = app.get(api + "/environment");
  requireFields(env, {"runtime", "sparkProperties", "systemProperties", "classpathEntries"});
  requireFields(app.get("/api/v1/version"), {"spark"});
  json receiver = app.get(api + "/streaming/receivers/0");
  requireFields(receiver, {"streamId", "streamName", "isActive", "executorId", "executorHost", "avgEventRate",
                           "eventRates"});

  Exposition m = metricsOf("127.0.0.1", app.ui_port);
  CHECK(m.value("sluice_streaming_batches_completed_total") > 0);
  CHECK(m.value("sluice_streaming_records_processed_total") > 0);
  CHECK(m.value("sluice_tasks_total{status=\"completed\"}") > 0);
  CHECK(m.value("sluice_executors") == 2);
  CHECK(m.value("process_resident_memory_bytes") > 0);
}

TEST_CASE("the master's and a worker's /metrics give workers, cores and memory in Prometheus text format", "[integration]") {
  LocalStandaloneCluster cluster("daemon-metrics");
  cluster.startMaster();
  cluster.startWorker("worker-a", "127.0.0.3", 2, "1g");
  REQUIRE(cluster.waitAliveWorkers(1));

  Exposition master = metricsOf(cluster.masterHost(), cluster.webPort());
  CHECK(master.value("sluice_master_workers{state=\"ALIVE\"}") == 1);
  CHECK(master.value("sluice_master_workers{state=\"DEAD\"}") == 0);
  CHECK(master.value("sluice_master_apps{state=\"RUNNING\"}") == 0);
  CHECK(master.value("sluice_master_cores") == 2);
  CHECK(master.value("sluice_master_cores_used") == 0);
  CHECK(master.value("sluice_master_memory_bytes") == 1024.0 * 1024 * 1024);
  CHECK(master.value("process_resident_memory_bytes") > 0);
  CHECK(master.types.at("process_cpu_seconds_total") == "counter");

  Exposition worker;
  REQUIRE(waitFor([&] {
    worker = metricsOf("127.0.0.3", cluster.workerWebPort("worker-a"));
    return worker.value("sluice_worker_registered") == 1;
  }, 10s));
  CHECK(worker.value("sluice_worker_cores") == 2);
  CHECK(worker.value("sluice_worker_executors") == 0);
  CHECK(worker.value("sluice_worker_memory_bytes") == 1024.0 * 1024 * 1024);
  CHECK(worker.value("process_resident_memory_bytes") > 0);
}
