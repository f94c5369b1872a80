#include "bench/tune/verdict_lines.h"

#include <algorithm>
#include <functional>
#include <map>

namespace sluice::tune {
namespace {

std::string joined(const std::vector<int64_t>& values, const std::string& unit) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + unit;
}

// The answer along one line of the grid (one rate's intervals, or one interval's rates),
// ordered so that stability should hold from some point to the end: intervals from the
// shortest, rates from the highest. The answer is the first point of the longest all-stable
// tail; a stable point before that tail (stability that does not hold from there on) is
// not the answer, and is named in the flag with the unstable points after it.
std::string answerOf(const std::vector<const PointSummary*>& ordered,
                     const std::function<int64_t(const PointSummary&)>& value,
                     const std::string& unit) {
  size_t tail = ordered.size();
  while (tail > 0 && ordered[tail - 1]->stable) --tail;
  std::vector<int64_t> stable_before, unstable_after_them, tried;
  for (size_t i = 0; i < ordered.size(); ++i) {
    tried.push_back(value(*ordered[i]));
    if (i >= tail) continue;
    if (ordered[i]->stable)
      stable_before.push_back(value(*ordered[i]));
    else if (!stable_before.empty())
      unstable_after_them.push_back(value(*ordered[i]));
  }
  std::vector<std::string> flags;
  if (!stable_before.empty())
    flags.push_back("stable at " + joined(stable_before, unit) + " but not at " +
                    joined(unstable_after_them, unit));
  std::string answer;
  if (tail < ordered.size()) {
    const PointSummary& best = *ordered[tail];
    answer = std::to_string(value(best)) + unit;
    if (!best.contradiction.empty()) flags.push_back(best.contradiction);
  } else {
    std::sort(tried.begin(), tried.end());
    answer = "none of " + joined(tried, unit);
  }
  for (size_t i = 0; i < flags.size(); ++i)
    answer += (i ? "; " : " (flagged: ") + flags[i] + (i + 1 == flags.size() ? ")" : "");
  return answer;
}

}  // namespace

std::vector<std::string> verdictLines(const std::vector<PointSummary>& points) {
  std::vector<std::string> lines;
  std::map<int64_t, std::vector<const PointSummary*>> by_rate, by_interval;
  for (const auto& p : points) {
    by_rate[p.key.rate].push_back(&p);
    if (p.key.rate > 0) by_interval[p.key.interval_ms].push_back(&p);
  }
  for (auto& [rate, row] : by_rate) {
    std::sort(row.begin(), row.end(), [](const PointSummary* a, const PointSummary* b) {
      return a->key.interval_ms < b->key.interval_ms;
    });
    lines.push_back("shortest stable interval at " + rateText(rate) + ": " +
                    answerOf(
                        row, [](const PointSummary& p) { return p.key.interval_ms; }, " ms"));
  }
  for (auto& [interval, column] : by_interval) {
    std::sort(column.begin(), column.end(), [](const PointSummary* a, const PointSummary* b) {
      return a->key.rate > b->key.rate;
    });
    lines.push_back("highest sustainable rate at interval " + std::to_string(interval) + " ms: " +
                    answerOf(
                        column, [](const PointSummary& p) { return p.key.rate; }, " records/s"));
  }
  return lines;
}

}  // namespace sluice::tune
