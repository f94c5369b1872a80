// The JSON of the driver's REST API, with the paths and field names of Spark's
// /api/v1 (ApplicationInfo, ApplicationAttemptInfo, JobData, StageData, ExecutorSummary,
// ApplicationEnvironmentInfo, VersionInfo). Dates as Spark writes them
// ("2026-11-24T19:05:40.123GMT"). A field Spark has and Sluice does not measure is left
// out (never filled with a made-up value); an optional one that is not known yet is null.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/conf.h"
#include "driver/ui/app_status.h"

namespace sluice {

// The application, as /applications shows it.
struct AppSummary {
  std::string id;
  std::string name;
  std::string user;
  std::string master;
  int64_t start_ms = 0;
};

nlohmann::json applicationJson(const AppSummary& app, int64_t now_ms);
nlohmann::json jobJson(const JobUiData& job);
nlohmann::json stageJson(const StageUiData& stage);
nlohmann::json executorJson(const ExecutorUiData& executor);
// sparkProperties: the Conf as set, with the application's id, name and master; the value of
// every key that auth::isSecretKey names (secret, password, token) is "*********(redacted)",
// as Spark shows it.
nlohmann::json environmentJson(const AppSummary& app, const Conf& conf);
nlohmann::json versionJson();

// Spark's names: JobExecutionStatus and StageStatus.
const char* jobStatusName(JobUiData::Status status);
const char* stageStatusName(StageUiData::Status status);

}  // namespace sluice
