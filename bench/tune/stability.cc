#include "bench/tune/stability.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>

namespace sluice::tune {

int64_t percentile(std::vector<int64_t> values, double q) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

std::string rounded(double v) { return fmt::format("{:.0f}", std::round(v) + 0.0); }

double leastSquaresSlope(const std::vector<double>& x, const std::vector<double>& y) {
  size_t n = std::min(x.size(), y.size());
  if (n < 2) return 0;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : 0;
}

namespace {

// The batch's delays, known or bounded below by the time it has waited at the snapshot.
int64_t schedulingDelayOrBound(const BatchRecord& b, int64_t snapshot_ms) {
  return b.scheduling_delay_ms >= 0 ? b.scheduling_delay_ms
                                    : std::max<int64_t>(0, snapshot_ms - b.batch_time_ms);
}
int64_t totalDelayOrBound(const BatchRecord& b, int64_t snapshot_ms) {
  return b.total_delay_ms >= 0 ? b.total_delay_ms
                               : std::max<int64_t>(0, snapshot_ms - b.batch_time_ms);
}

}  // namespace

RunVerdict judgeRun(const RunMeasurement& run, const StabilityCriteria& criteria) {
  RunVerdict v;
  const int64_t interval = run.spec.interval_ms;
  std::vector<int64_t> total;
  std::vector<double> x, sched;
  int64_t records = 0, processed = 0;
  for (const auto& b : run.batches) {
    if (b.status == "QUEUED" && b.batch_time_ms <= run.end_poll_ms - interval) ++v.queued_at_end;
    int64_t ended_ms = b.batch_time_ms + b.total_delay_ms;
    if (b.completed() && b.total_delay_ms >= 0 && ended_ms > run.warm_end_ms &&
        ended_ms <= run.measure_end_ms)
      processed += b.records;
    if (run.phaseOf(b) != Phase::kMeasured) continue;
    ++v.measured_batches;
    total.push_back(totalDelayOrBound(b, run.end_poll_ms));
    x.push_back(static_cast<double>(b.batch_time_ms - run.warm_end_ms) / 1000.0);
    sched.push_back(static_cast<double>(schedulingDelayOrBound(b, run.end_poll_ms)));
    records += b.records;
  }
  v.p50_total_delay_ms = percentile(total, 0.5);
  v.p99_total_delay_ms = percentile(total, 0.99);
  v.scheduling_trend_ms_per_s = leastSquaresSlope(x, sched);
  double span_s = x.size() >= 2 ? x.back() - x.front() : 0;
  v.scheduling_growth_ms = v.scheduling_trend_ms_per_s * span_s;
  double stream_s = static_cast<double>(v.measured_batches * interval) / 1000.0;
  v.sustained_per_s = stream_s > 0 ? static_cast<double>(records) / stream_s : 0;
  v.offered_per_s = run.offeredPerSecond();
  double measured_s = static_cast<double>(run.measure_end_ms - run.warm_end_ms) / 1000.0;
  v.processed_per_s = measured_s > 0 ? static_cast<double>(processed) / measured_s : 0;

  for (const auto& st : run.stalls) {
    if (st.gap_ms < interval || st.start_ms >= run.measure_end_ms ||
        st.start_ms + st.gap_ms <= run.warm_end_ms)
      continue;
    ++v.machine_stalls;
    v.worst_machine_stall_ms = std::max(v.worst_machine_stall_ms, st.gap_ms);
  }

  std::vector<std::string> failed;
  if (!run.error.empty()) failed.push_back("run failed: " + run.error);
  if (v.measured_batches < criteria.min_batches)
    failed.push_back(fmt::format("{} measured batches, fewer than {}", v.measured_batches,
                                 criteria.min_batches));
  double growth_limit = criteria.trend_tolerance * static_cast<double>(interval);
  bool flat = v.scheduling_growth_ms <= growth_limit;
  if (!flat)
    failed.push_back(
        fmt::format("scheduling delay grew {:.0f} ms over the measured {:.1f} s (limit {:.0f} ms)",
                    v.scheduling_growth_ms, span_s, growth_limit));
  if (v.queued_at_end > 0)
    failed.push_back(fmt::format("{} batches queued at the end", v.queued_at_end));
  if (v.measured_batches > 0 && v.p99_total_delay_ms >= interval)
    failed.push_back(fmt::format("p99 total delay {} ms is not below the {} ms interval",
                                 v.p99_total_delay_ms, interval));
  if (v.offered_per_s > 0 && v.sustained_per_s < criteria.min_sustained * v.offered_per_s)
    failed.push_back(
        fmt::format("sustained {:.0f} of the {:.0f} records/s offered (below {:.0f} %)",
                    v.sustained_per_s, v.offered_per_s, criteria.min_sustained * 100));
  v.stable = failed.empty();
  if (v.stable) {
    v.why = fmt::format(
        "p99 total delay {} ms < {} ms, scheduling delay trend {:+.0f} ms over {:.1f} s, none "
        "queued",
        v.p99_total_delay_ms, interval, std::round(v.scheduling_growth_ms) + 0.0, span_s);
  } else {
    for (size_t i = 0; i < failed.size(); ++i) v.why += (i ? "; " : "") + failed[i];
    if (v.machine_stalls > 0)
      v.why += fmt::format(
          " (the machine itself paused {} time{} for an interval or more, the longest {} ms: "
          "a CPU ran nothing of sluice-tune's, so the batches on it waited whatever the "
          "application does; measure on a machine with free CPUs)",
          v.machine_stalls, v.machine_stalls == 1 ? "" : "s", v.worst_machine_stall_ms);
  }
  return v;
}

}  // namespace sluice::tune
