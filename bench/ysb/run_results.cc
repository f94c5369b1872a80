#include "bench/ysb/run_results.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "bench/ysb/catalog.h"
#include "bench/ysb/event_generator.h"

namespace sluice::ysb {

std::map<CampaignWindow, int64_t> expectedCounts(const RunInfo& run) {
  AdCatalog catalog(run.seed, static_cast<int>(run.campaigns), static_cast<int>(run.ads_per_campaign));
  EventGenerator generator(catalog, run.seed);
  EventSchedule schedule{run.start_ms, run.rate, run.events};
  // Counted in a dense [window][campaign] table (a run has 10^8 events and a few thousand keys).
  const int64_t first_window = windowStart(run.start_ms, run.window_ms);
  const int64_t num_windows = run.events == 0 ? 0 : (schedule.timeOf(run.events - 1) - first_window) / run.window_ms + 1;
  const int ads_per_campaign = static_cast<int>(run.ads_per_campaign);
  std::vector<int64_t> dense(static_cast<size_t>(num_windows * catalog.numCampaigns()), 0);
  for (int64_t i = 0; i < run.events; ++i) {
    EventChoice c = generator.choose(i);
    if (c.event_type != EventType::kView) continue;
    int64_t w = (schedule.timeOf(i) - first_window) / run.window_ms;
    ++dense[static_cast<size_t>(w * catalog.numCampaigns() + c.ad / ads_per_campaign)];
  }
  std::map<CampaignWindow, int64_t> counts;
  for (int64_t w = 0; w < num_windows; ++w) {
    for (int c = 0; c < catalog.numCampaigns(); ++c) {
      int64_t n = dense[static_cast<size_t>(w * catalog.numCampaigns() + c)];
      if (n > 0) counts[CampaignWindow(catalog.campaigns()[static_cast<size_t>(c)], first_window + w * run.window_ms)] = n;
    }
  }
  return counts;
}

LatencyReport latencyReport(const RunInfo& run, const std::vector<WindowRecord>& windows,
                            const std::map<CampaignWindow, int64_t>& expected, int64_t warmup_ms) {
  LatencyReport report;
  const int64_t schedule_end = EventSchedule{run.start_ms, run.rate, run.events}.timeOf(run.events);
  // The first window that starts at or after start + warmup, and the windows ending by the end.
  int64_t first = windowStart(run.start_ms + warmup_ms + run.window_ms - 1, run.window_ms);
  auto complete = [&](int64_t start) { return start >= first && start + run.window_ms <= schedule_end; };

  std::map<CampaignWindow, const WindowRecord*> found;
  for (const auto& w : windows) found[CampaignWindow(w.campaign, w.window_start)] = &w;
  for (const auto& [key, count] : expected) {
    auto it = found.find(key);
    if (it == found.end() || it->second->seen_count != count) ++report.wrong_counts;
  }
  for (const auto& [key, w] : found)
    if (!expected.contains(key)) ++report.wrong_counts;

  constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> latencies;
  report.first_window = kNever;
  for (const auto& [key, count] : expected) {
    if (!complete(key.second)) continue;
    auto it = found.find(key);
    if (it == found.end() || it->second->seen_count != count) {
      ++report.missing;
      latencies.push_back(kNever);
    } else {
      latencies.push_back(it->second->time_updated - (key.second + run.window_ms));
    }
    report.first_window = std::min(report.first_window, key.second);
    report.last_window = std::max(report.last_window, key.second);
  }
  report.windows = static_cast<int64_t>(latencies.size());
  if (latencies.empty()) {
    report.first_window = 0;
    return report;
  }
  std::sort(latencies.begin(), latencies.end());
  auto rank = [&](double q) {
    auto i = static_cast<size_t>(std::ceil(q * static_cast<double>(latencies.size()))) - 1;
    int64_t v = latencies[std::min(i, latencies.size() - 1)];
    return v == kNever ? -1 : v;
  };
  report.p50_ms = rank(0.50);
  report.p90_ms = rank(0.90);
  report.p99_ms = rank(0.99);
  report.max_ms = rank(1.0);
  return report;
}

}  // namespace sluice::ysb
