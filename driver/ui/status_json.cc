#include "driver/ui/status_json.h"

#include <algorithm>
#include <cctype>
#include "common/auth_secret.h"
#include "common/http_server.h"

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "unknown"
#endif

namespace sluice {
namespace {

using nlohmann::json;

// What a page shows for the value of a secret key (Spark's Utils.REDACTION_REPLACEMENT_TEXT).
constexpr char kRedacted[] = "*********(redacted)";

// Spark writes an absent optional value by leaving the field out.
void putDate(json& j, const char* field, int64_t ms) {
  if (ms >= 0) j[field] = sparkDate(ms);
}

}  // namespace

const char* jobStatusName(JobUiData::Status status) {
  switch (status) {
    case JobUiData::Status::kRunning:
      return "RUNNING";
    case JobUiData::Status::kSucceeded:
      return "SUCCEEDED";
    case JobUiData::Status::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

const char* stageStatusName(StageUiData::Status status) {
  switch (status) {
    case StageUiData::Status::kActive:
      return "ACTIVE";
    case StageUiData::Status::kComplete:
      return "COMPLETE";
    case StageUiData::Status::kFailed:
      return "FAILED";
  }
  return "PENDING";
}

json applicationJson(const AppSummary& app, int64_t now_ms) {
  // A running application, as Spark's live UI shows it: endTime is the epoch's -1 ms.
  json attempt = {{"startTime", sparkDate(app.start_ms)},
                  {"endTime", sparkDate(-1)},
                  {"lastUpdated", sparkDate(now_ms)},
                  {"duration", now_ms - app.start_ms},
                  {"sparkUser", app.user},
                  {"completed", false},
                  {"appSparkVersion", SLUICE_VERSION},
                  {"startTimeEpoch", app.start_ms},
                  {"endTimeEpoch", -1},
                  {"lastUpdatedEpoch", now_ms}};
  return {{"id", app.id}, {"name", app.name}, {"attempts", json::array({attempt})}};
}

json jobJson(const JobUiData& job) {
  json j = {{"jobId", job.job_id}, {"name", job.name}};
  putDate(j, "submissionTime", job.submission_ms);
  putDate(j, "completionTime", job.completion_ms);
  j["stageIds"] = job.stage_ids;
  if (!job.group.empty()) j["jobGroup"] = job.group;
  j["status"] = jobStatusName(job.status);
  j["numTasks"] = job.num_tasks;
  j["numCompletedTasks"] = job.tasks.completed;
  j["numSkippedTasks"] = job.num_skipped_tasks;
  j["numFailedTasks"] = job.tasks.failed;
  j["numKilledTasks"] = job.tasks.killed;
  j["numCompletedIndices"] = job.num_completed_indices;
  j["numActiveStages"] = job.num_active_stages;
  j["numCompletedStages"] = job.num_completed_stages;
  j["numSkippedStages"] = job.num_skipped_stages;
  j["numFailedStages"] = job.num_failed_stages;
  return j;
}

json stageJson(const StageUiData& stage) {
  json j = {{"status", stageStatusName(stage.status)},
            {"stageId", stage.stage_id},
            {"attemptId", stage.attempt_id},
            {"numTasks", stage.num_tasks},
            {"numCompleteTasks", stage.tasks.completed},
            {"numFailedTasks", stage.tasks.failed},
            {"numKilledTasks", stage.tasks.killed},
            {"numCompletedIndices", stage.num_completed_indices},
            {"executorRunTime", stage.executor_run_time_ms}};
  putDate(j, "submissionTime", stage.submission_ms);
  putDate(j, "completionTime", stage.completion_ms);
  if (!stage.failure.empty()) j["failureReason"] = stage.failure;
  j["shuffleReadBytes"] = stage.shuffle_read_bytes;
  j["shuffleRemoteBytesRead"] = stage.shuffle_remote_read_bytes;
  j["shuffleWriteBytes"] = stage.shuffle_write_bytes;
  j["name"] = stage.name;
  j["schedulingPool"] = stage.pool.empty() ? "default" : stage.pool;
  return j;
}

json executorJson(const ExecutorUiData& e) {
  json j = {{"id", e.id},
            {"hostPort", e.host_port},
            {"isActive", true},
            {"totalCores", e.total_cores},
            {"maxTasks", e.total_cores},
            {"failedTasks", e.tasks.failed},
            {"completedTasks", e.tasks.completed},
            {"totalTasks", e.tasks.completed + e.tasks.failed + e.tasks.killed},
            {"totalDuration", e.total_duration_ms},
            {"totalShuffleRead", e.shuffle_read_bytes},
            {"totalShuffleWrite", e.shuffle_write_bytes}};
  putDate(j, "addTime", e.add_ms);
  j["executorLogs"] = json::object();
  return j;
}

json environmentJson(const AppSummary& app, const Conf& conf) {
  std::map<std::string, std::string> props = conf.all();
  props.emplace("app.id", app.id);
  props.emplace("app.name", app.name);
  props.emplace("master", app.master);
  json spark = json::array();
  for (const auto& [key, value] : props) spark.push_back({key, auth::isSecretKey(key) ? kRedacted : value});
  return {{"runtime", json::object()},
          {"sparkProperties", spark},
          {"hadoopProperties", json::array()},
          {"systemProperties", json::array()},
          {"metricsProperties", json::array()},
          {"classpathEntries", json::array()},
          {"resourceProfiles", json::array()}};
}

json versionJson() { return {{"spark", SLUICE_VERSION}}; }

}  // namespace sluice
