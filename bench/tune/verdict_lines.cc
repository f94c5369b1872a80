#include "bench/tune/verdict_lines.h"

#include <map>

namespace sluice::tune {
namespace {

std::string flagOf(const PointSummary* p) {
  return p && !p->contradiction.empty() ? " (flagged: " + p->contradiction + ")" : "";
}

}  // namespace

std::vector<std::string> verdictLines(const std::vector<PointSummary>& points) {
  std::vector<std::string> lines;
  std::map<int64_t, std::vector<const PointSummary*>> by_rate, by_interval;
  for (const auto& p : points) {
    by_rate[p.key.rate].push_back(&p);
    if (p.key.rate > 0) by_interval[p.key.interval_ms].push_back(&p);
  }
  for (const auto& [rate, row] : by_rate) {
    const PointSummary* best = nullptr;
    std::string tried;
    for (const auto* p : row) {
      tried += (tried.empty() ? "" : ", ") + std::to_string(p->key.interval_ms);
      if (p->stable && (!best || p->key.interval_ms < best->key.interval_ms)) best = p;
    }
    std::string line = "shortest stable interval at " + rateText(rate) + ": ";
    line += best ? std::to_string(best->key.interval_ms) + " ms" + flagOf(best)
                 : "none of " + tried + " ms";
    lines.push_back(line);
  }
  for (const auto& [interval, column] : by_interval) {
    const PointSummary* best = nullptr;
    std::string tried;
    for (const auto* p : column) {
      tried += (tried.empty() ? "" : ", ") + std::to_string(p->key.rate);
      if (p->stable && (!best || p->key.rate > best->key.rate)) best = p;
    }
    std::string line = "highest sustainable rate at interval " + std::to_string(interval) + " ms: ";
    line += best ? std::to_string(best->key.rate) + " records/s" + flagOf(best)
                 : "none of " + tried + " records/s";
    lines.push_back(line);
  }
  return lines;
}

}  // namespace sluice::tune
