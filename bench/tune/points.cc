#include "bench/tune/points.h"

#include <algorithm>
#include <map>

namespace sluice::tune {
namespace {

template <class T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? T{} : v[(v.size() - 1) / 2];
}

}  // namespace

std::vector<PointSummary> summarizePoints(const std::vector<RunOutcome>& outcomes) {
  std::map<PointKey, std::vector<const RunOutcome*>> by_point;
  for (const auto& o : outcomes) by_point[{o.run.spec.interval_ms, o.run.spec.rate}].push_back(&o);
  std::vector<PointSummary> points;
  for (const auto& [key, runs] : by_point) {
    PointSummary p;
    p.key = key;
    for (const auto* o : runs) p.attempt = std::max(p.attempt, o->run.spec.attempt);
    std::vector<int64_t> p50;
    std::vector<double> sustained, processed;
    for (const auto* o : runs) {
      if (o->run.spec.attempt != p.attempt) continue;
      ++p.runs;
      p.stable_runs += o->verdict.stable ? 1 : 0;
      p50.push_back(o->verdict.p50_total_delay_ms);
      p.p99_total_delay_ms = std::max(p.p99_total_delay_ms, o->verdict.p99_total_delay_ms);
      sustained.push_back(o->verdict.sustained_per_s);
      processed.push_back(o->verdict.processed_per_s);
      p.offered_per_s = std::max(p.offered_per_s, o->verdict.offered_per_s);
    }
    p.stable = p.runs > 0 && p.stable_runs == p.runs;
    p.p50_total_delay_ms = median(p50);
    p.sustained_per_s = median(sustained);
    p.processed_per_s = median(processed);
    points.push_back(p);
  }
  std::sort(points.begin(), points.end(), [](const PointSummary& a, const PointSummary& b) {
    return a.key.rate != b.key.rate ? a.key.rate < b.key.rate
                                    : a.key.interval_ms < b.key.interval_ms;
  });
  return points;
}

std::string rateText(int64_t rate) {
  return rate > 0 ? std::to_string(rate) + " records/s" : "an unlimited rate";
}

}  // namespace sluice::tune
