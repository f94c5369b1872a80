#include "scheduler/reduce_locality.h"

#include <algorithm>
#include <map>

namespace sluice {

namespace {
constexpr double kFraction = 0.2;  // Spark's REDUCER_PREF_LOCS_FRACTION
constexpr size_t kMaxMaps = 1000;  // Spark's SHUFFLE_PREF_MAP_THRESHOLD

// "tcp://host:port" -> "host".
std::string hostOf(const std::string& endpoint) {
  std::string s = endpoint;
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  if (auto p = s.rfind(':'); p != std::string::npos) s = s.substr(0, p);
  return s;
}
}  // namespace

std::vector<std::string> reducerPreferredLocations(const std::vector<rpc::MapLocation>& outputs) {
  if (outputs.empty() || outputs.size() >= kMaxMaps) return {};
  std::map<std::string, std::pair<int, std::string>> per_executor;  // id -> (count, host)
  for (const auto& loc : outputs) {
    auto& entry = per_executor[loc.executor_id];
    ++entry.first;
    entry.second = hostOf(loc.endpoint);
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [id, entry] : per_executor) {
    if (entry.first >= kFraction * static_cast<double>(outputs.size())) ranked.push_back({entry.first, id});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> prefs;
  for (const auto& [count, id] : ranked) {
    prefs.push_back("executor:" + id);
    const std::string& host = per_executor[id].second;
    if (!host.empty() && std::find(prefs.begin(), prefs.end(), host) == prefs.end()) prefs.push_back(host);
  }
  return prefs;
}

}  // namespace sluice
