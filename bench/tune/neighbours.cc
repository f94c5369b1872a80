#include "bench/tune/neighbours.h"

namespace sluice::tune {
namespace {

std::string joined(const std::vector<int64_t>& values, const char* unit) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + unit;
}

}  // namespace

std::vector<Contradiction> findContradictions(const std::vector<PointSummary>& points) {
  std::vector<Contradiction> out;
  for (const auto& p : points) {
    // Neighbours at the same rate (longer intervals when p is stable, shorter when not)
    // and at the same interval (lower rates when p is stable, higher when not).
    std::vector<int64_t> intervals, rates;
    for (const auto& q : points) {
      if (q.stable == p.stable) continue;
      const PointSummary& stable = p.stable ? p : q;
      const PointSummary& unstable = p.stable ? q : p;
      if (q.key.rate == p.key.rate && stable.key.interval_ms < unstable.key.interval_ms)
        intervals.push_back(q.key.interval_ms);
      if (q.key.interval_ms == p.key.interval_ms && p.key.rate > 0 && q.key.rate > 0 &&
          stable.key.rate > unstable.key.rate)
        rates.push_back(q.key.rate);
    }
    if (intervals.empty() && rates.empty()) continue;
    std::string here = std::to_string(p.key.interval_ms) + " ms";
    std::string at_rate = p.key.rate > 0 ? " at " + std::to_string(p.key.rate) + " records/s" : "";
    std::string message;
    if (!intervals.empty())
      message = p.stable ? "stable at " + here + " but not at " + joined(intervals, " ms") + at_rate
                         : "not stable at " + here + " but stable at " + joined(intervals, " ms") +
                               at_rate;
    if (!rates.empty()) {
      std::string here_rate = std::to_string(p.key.rate) + " records/s";
      message += (message.empty() ? "" : "; ") +
                 (p.stable ? "stable at " + here_rate + " but not at " + joined(rates, " records/s")
                           : "not stable at " + here_rate + " but stable at " +
                                 joined(rates, " records/s")) +
                 " (interval " + here + ")";
    }
    out.push_back({p.key, message});
  }
  return out;
}

}  // namespace sluice::tune
