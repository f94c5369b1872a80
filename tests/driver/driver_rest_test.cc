// The driver UI of a batch application (no StreamingContext): Spark's /api/v1 paths with
// Spark's field names, the HTML pages and /metrics, on a real local[2] driver.
#include <httplib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "driver/context.h"
#include "driver/ui/driver_web_ui.h"
#include "tests/common/prometheus_exposition.h"
#include "tests/integration/http_json.h"

namespace sluice {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using testing::getJson;
using testing::waitFor;

// Every field in names is present in j.
void requireFields(const json& j, std::initializer_list<const char*> names) {
  INFO(j.dump(2));
  for (const char* name : names) {
    INFO("field " << name);
    CHECK(j.contains(name));
  }
}

struct BatchDriver {
  std::unique_ptr<Context> ctx;
  int port = 0;
  std::string api;  // /api/v1/applications/<app-id>

  explicit BatchDriver(Conf conf = {}) {
    conf.set("ui.port", "0").set("driver.bindAddress", "127.0.0.1").set("task.maxFailures", "1");
    auto created = Context::create({"local[2]", "rest-test", "", conf});
    REQUIRE(created.isOk());
    ctx = std::move(*created);
    REQUIRE(ctx->webUi() != nullptr);
    port = ctx->webUi()->port();
    api = "/api/v1/applications/" + ctx->appId();
  }
  json get(const std::string& path) const {
    auto j = getJson("127.0.0.1", port, path);
    INFO("GET " << path);
    REQUIRE(j.has_value());
    return *j;
  }
  int status(const std::string& path) const {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get(path.c_str());
    return res ? res->status : -1;
  }
  std::string body(const std::string& path) const {
    httplib::Client client("127.0.0.1", port);
    client.set_follow_location(true);
    auto res = client.Get(path.c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return res->body;
  }
};

// One job of two stages (3 map tasks, 3 reduce tasks) that succeeds, then one that fails.
void runJobs(Context& ctx) {
  using StrInt = std::pair<std::string, int>;
  auto pairs = ctx.parallelize(std::vector<StrInt>{{"a", 1}, {"b", 2}, {"a", 3}, {"c", 4}}, 3);
  REQUIRE(pairs.reduceByKey([](int x, int y) { return x + y; }).collect().size() == 3);
  auto failing = ctx.parallelize(std::vector<int>{1, 2, 3, 4}, 2).map([](int x) {
    if (x == 3) throw std::runtime_error("boom");
    return x;
  });
  CHECK_THROWS_AS(failing.collect(), JobFailedError);
}

TEST_CASE("driver REST: a batch application serves applications, jobs, stages, executors, environment and version with Spark's fields", "[driver]") {
  BatchDriver d;
  runJobs(*d.ctx);

  json apps = d.get("/api/v1/applications");
  REQUIRE(apps.size() == 1);
  requireFields(apps[0], {"id", "name", "attempts"});
  CHECK(apps[0]["id"] == d.ctx->appId());
  CHECK(apps[0]["name"] == "rest-test");
  REQUIRE(apps[0]["attempts"].size() == 1);
  requireFields(apps[0]["attempts"][0], {"startTime", "endTime", "lastUpdated", "duration", "sparkUser", "completed",
                                         "appSparkVersion", "startTimeEpoch", "endTimeEpoch", "lastUpdatedEpoch"});
  CHECK(apps[0]["attempts"][0]["completed"] == false);
  CHECK(d.get(d.api)["id"] == d.ctx->appId());
  CHECK(d.status("/api/v1/applications/app-unknown/jobs") == 404);

  // Newest first: the failed job, then the one that succeeded.
  json jobs;
  REQUIRE(waitFor([&] { return (jobs = d.get(d.api + "/jobs")).size() == 2 && jobs[0].contains("completionTime"); },
                  10s));
  for (const json& j : jobs) {
    requireFields(j, {"jobId", "name", "submissionTime", "completionTime", "stageIds", "status", "numTasks",
                      "numCompletedTasks", "numSkippedTasks", "numFailedTasks", "numKilledTasks",
                      "numCompletedIndices", "numActiveStages", "numCompletedStages", "numSkippedStages",
                      "numFailedStages"});
  }
  const json& failed = jobs[0];
  const json& ok = jobs[1];
  CHECK(ok["status"] == "SUCCEEDED");
  CHECK(ok["stageIds"].size() == 2);
  CHECK(ok["numTasks"] == 6);
  CHECK(ok["numCompletedTasks"] == 6);
  CHECK(ok["numCompletedIndices"] == 6);
  CHECK(ok["numCompletedStages"] == 2);
  CHECK(ok["numActiveStages"] == 0);
  CHECK(failed["status"] == "FAILED");
  CHECK(failed["numFailedTasks"] >= 1);
  CHECK(failed["numFailedStages"] == 1);
  CHECK(d.get(d.api + "/jobs/" + std::to_string(ok["jobId"].get<int>())) == ok);
  CHECK(d.status(d.api + "/jobs/999") == 404);

  json stages = d.get(d.api + "/stages");
  REQUIRE(stages.size() == 3);
  for (const json& s : stages) {
    requireFields(s, {"status", "stageId", "attemptId", "numTasks", "numCompleteTasks", "numFailedTasks",
                      "numKilledTasks", "numCompletedIndices", "executorRunTime", "submissionTime", "completionTime",
                      "shuffleReadBytes", "shuffleWriteBytes", "name", "schedulingPool"});
  }
  CHECK(stages[0]["status"] == "FAILED");  // the newest
  CHECK(stages[0]["failureReason"].get<std::string>().find("boom") != std::string::npos);
  const json* map_stage = nullptr;
  const json* reduce_stage = nullptr;
  for (const json& s : stages) {
    if (s["shuffleWriteBytes"] > 0) map_stage = &s;
    if (s["shuffleReadBytes"] > 0) reduce_stage = &s;
  }
  REQUIRE(map_stage);
  REQUIRE(reduce_stage);
  CHECK((*map_stage)["status"] == "COMPLETE");
  CHECK((*map_stage)["numCompleteTasks"] == 3);
  CHECK((*reduce_stage)["status"] == "COMPLETE");
  CHECK((*reduce_stage)["executorRunTime"] >= 0);
  // /stages/<id>: the list of the stage's attempts, as Spark answers.
  json attempts = d.get(d.api + "/stages/" + std::to_string((*map_stage)["stageId"].get<int>()));
  REQUIRE(attempts.is_array());
  REQUIRE(attempts.size() == 1);
  CHECK(attempts[0] == *map_stage);
  CHECK(d.status(d.api + "/stages/999") == 404);

  json executors;
  REQUIRE(waitFor([&] { return (executors = d.get(d.api + "/executors")).size() == 1; }, 10s));
  requireFields(executors[0], {"id", "hostPort", "isActive", "totalCores", "maxTasks", "failedTasks",
                               "completedTasks", "totalTasks", "totalDuration", "totalShuffleRead",
                               "totalShuffleWrite", "addTime", "executorLogs"});
  CHECK(executors[0]["id"] == "driver");
  CHECK(executors[0]["totalCores"] == 2);
  CHECK(executors[0]["completedTasks"] >= 6);
  CHECK(executors[0]["failedTasks"] >= 1);

  json env = d.get(d.api + "/environment");
  requireFields(env, {"runtime", "sparkProperties", "hadoopProperties", "systemProperties", "metricsProperties",
                      "classpathEntries"});
  CHECK(std::find(env["sparkProperties"].begin(), env["sparkProperties"].end(), json::array({"ui.port", "0"})) !=
        env["sparkProperties"].end());
  CHECK(std::find(env["sparkProperties"].begin(), env["sparkProperties"].end(),
                  json::array({"app.name", "rest-test"})) != env["sparkProperties"].end());

  json version = d.get("/api/v1/version");
  requireFields(version, {"spark"});
  CHECK_FALSE(version["spark"].get<std::string>().empty());
}

TEST_CASE("driver UI: a batch application has jobs, stages, executors and environment pages", "[driver]") {
  BatchDriver d;
  runJobs(*d.ctx);
  CHECK(d.body("/").find("Completed Jobs (1)") != std::string::npos);  // / redirects to /jobs/
  std::string jobs = d.body("/jobs/");
  CHECK(jobs.find("Failed Jobs (1)") != std::string::npos);
  CHECK(jobs.find("href=\"/executors/\"") != std::string::npos);
  CHECK(d.body("/stages/").find("Completed Stages (2)") != std::string::npos);
  CHECK(d.body("/executors/").find("<td>driver</td>") != std::string::npos);
  CHECK(d.body("/environment/").find("<td>ui.port</td>") != std::string::npos);
  CHECK(d.status("/streaming/") == 404);  // no StreamingContext
}

TEST_CASE("driver UI: the environment page and REST show every secret key redacted", "[driver]") {
  Conf conf;
  conf.set("auth.secret", "hunter2-hunter2-hunter2").set("auth.secretFile", "/etc/sluice/secret-file-path");
  conf.set("sink.password", "pw-value-1").set("api.Token", "token-value-2");
  BatchDriver d(conf);
  const std::string rest = d.get(d.api + "/environment").dump();
  const std::string page = d.body("/environment/");
  for (const std::string& shown : {rest, page}) {
    for (const char* value : {"hunter2-hunter2-hunter2", "/etc/sluice/secret-file-path", "pw-value-1", "token-value-2"}) {
      CHECK(shown.find(value) == std::string::npos);
    }
  }
  for (const char* key : {"auth.secret", "auth.secretFile", "sink.password", "api.Token"}) {
    CHECK(rest.find(std::string("[\"") + key + "\",\"*********(redacted)\"]") != std::string::npos);
  }
  CHECK(page.find("*********(redacted)") != std::string::npos);
  CHECK(rest.find("[\"ui.port\",\"0\"]") != std::string::npos);  // the rest as set
}

TEST_CASE("driver metrics: /metrics counts jobs, tasks and executors in Prometheus text format", "[driver]") {
  BatchDriver d;
  runJobs(*d.ctx);
  testing::Exposition m;
  REQUIRE(waitFor([&] {
    m = testing::parseExposition(d.body("/metrics"));
    return m.value("sluice_jobs_total{status=\"failed\"}") == 1;
  }, 10s));
  CHECK(m.value("sluice_jobs_total{status=\"succeeded\"}") == 1);
  CHECK(m.value("sluice_jobs_active") == 0);
  CHECK(m.value("sluice_tasks_total{status=\"completed\"}") >= 6);
  CHECK(m.value("sluice_tasks_total{status=\"failed\"}") >= 1);
  CHECK(m.value("sluice_stages_total{status=\"complete\"}") == 2);
  CHECK(m.value("sluice_stages_total{status=\"failed\"}") == 1);
  CHECK(m.value("sluice_shuffle_written_bytes_total") > 0);
  CHECK(m.value("sluice_executors") == 1);
  CHECK(m.value("sluice_executor_cores") == 2);
  CHECK(m.types.at("sluice_tasks_total") == "counter");
  CHECK(m.has("sluice_wal_written_bytes_total"));
  CHECK(m.has("sluice_wal_fsyncs_total"));
  CHECK(m.value("process_resident_memory_bytes") > 0);
  CHECK(m.value("process_cpu_seconds_total") > 0);
}

TEST_CASE("driver UI: ui.enabled=false serves nothing", "[driver]") {
  Conf conf;
  conf.set("ui.enabled", "false");
  auto ctx = Context::create({"local[1]", "no-ui", "", conf});
  REQUIRE(ctx.isOk());
  CHECK((*ctx)->webUi() == nullptr);
}

}  // namespace
}  // namespace sluice
