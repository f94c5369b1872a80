// The HTML of the driver UI's Jobs, Stages, Executors and Environment pages: the body of a
// DriverWebUi::page(), in the shared look's tables (common/ui/html_table.h); every value
// escaped.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/ui/app_status.h"

namespace sluice {

std::string jobsPage(const std::vector<JobUiData>& jobs);
std::string stagesPage(const std::vector<StageUiData>& stages);
std::string executorsPage(const std::vector<ExecutorUiData>& executors);
// environment: environmentJson()'s answer.
std::string environmentPage(const nlohmann::json& environment);

}  // namespace sluice
