// The HTML of the driver UI's Jobs, Stages, Executors and Environment pages: the body of a
// DriverWebUi::page(). Plain tables, no scripts; every value escaped.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/ui/app_status.h"

namespace sluice {

// The stylesheet of every driver UI page.
extern const char* const kUiStyle;

std::string jobsPage(const std::vector<JobUiData>& jobs);
std::string stagesPage(const std::vector<StageUiData>& stages);
std::string executorsPage(const std::vector<ExecutorUiData>& executors);
// environment: environmentJson()'s answer.
std::string environmentPage(const nlohmann::json& environment);

// One <table> with a heading: head cells, then rows of already-escaped cells. Also for
// the pages other parts of the driver attach (streaming).
std::string htmlTable(const std::string& title, const std::vector<std::string>& head,
                      const std::vector<std::vector<std::string>>& rows);

}  // namespace sluice
