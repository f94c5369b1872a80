// scheduling_overhead: the scheduler's share of a micro-batch. Each job is a two-stage
// job with 4 tasks per stage (parallelize(4 slices) -> map to pairs -> reduceByKey(4) ->
// collect). Jobs alternate between per-stage scheduling and pre-scheduled reducers
// (scheduler.preScheduleReducers, set per job by its local property), so both are
// measured interleaved in one run. Run it on 2 executors:
//
//   sluice-submit --master 'local-cluster[2,1,512]' build/lib/libscheduling_overhead.so [jobs] [both|off|on]
//
// Per mode it measures, per job:
//   launch:   submission to the launch of its last task, which includes running the (tiny)
//             first stage (the figure of earlier rounds; a pre-scheduled reducer is launched
//             before its inputs exist, so for "on" it understates the wait: use the next two);
//   job:      submission to collect() returning (everything: the figure a batch sees);
//   overhead: job minus the critical path's task run time (the longest map task plus the
//             longest reduce task, as the executors measured them): the time the job spent
//             not running tasks (scheduling, messages, decoding, the shuffle fetch).
// Prints one JSON line on stdout:
//   {"bench":"scheduling_overhead","jobs":N,"p50_us":..,"p99_us":..,"stage1_p50_us":..,
//    "job_p50_us":..,"overhead_p50_us":..,"pre_p50_us":..,"pre_job_p50_us":..,"pre_overhead_p50_us":..}
// where the plain keys are per-stage scheduling ("off") and pre_* pre-scheduled ("on");
// stage1 is submission to the last launch of the first stage (pure scheduling).
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <sluice/sluice.h>

#include "common/clock.h"

namespace {

// Records, per stage, the latest task launch and the longest run of the jobs it sees.
class LaunchRecorder : public sluice::SchedulerListener {
 public:
  struct StageSeen {
    int64_t last_launch = 0;
    int64_t longest_run = 0;
  };
  void onTaskEnd(const sluice::TaskEnd& end) override {
    if (end.state == sluice::rpc::TaskState::kFailed || end.state == sluice::rpc::TaskState::kKilled) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto& seen = stages_[end.stage_id];
    seen.last_launch = std::max(seen.last_launch, end.launch_nanos);
    seen.longest_run = std::max(seen.longest_run, end.metrics.run_nanos);
  }
  // What was seen per stage since the last call, by stage id.
  std::map<int, StageSeen> take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(stages_, {});
  }

 private:
  std::mutex mu_;
  std::map<int, StageSeen> stages_;
};

struct Samples {
  std::vector<int64_t> launch_us, stage1_us, job_us, overhead_us;
};

int64_t percentile(std::vector<int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  return v[i];
}

int64_t runJob(sluice::Context& ctx) {
  std::vector<int> data(64);
  for (int i = 0; i < 64; ++i) data[static_cast<size_t>(i)] = i;
  auto out = ctx.parallelize(data, 4)
                 .map([](const int& x) { return std::pair<int, int>(x % 8, 1); })
                 .reduceByKey([](int a, int b) { return a + b; }, 4)
                 .collect();
  return static_cast<int64_t>(out.size());
}

}  // namespace

SLUICE_APP(ctx, args) {
  int jobs = args.empty() ? 200 : std::stoi(args[0]);
  std::string mode = args.size() > 1 ? args[1] : "both";
  if (mode != "both" && mode != "off" && mode != "on") {
    std::fprintf(stderr, "mode must be both, off or on, not %s\n", mode.c_str());
    return 2;
  }
  LaunchRecorder recorder;
  ctx.addListener(&recorder);
  for (int i = 0; i < 10; ++i) {  // warm-up: app loaded, sockets connected; both modes
    ctx.setLocalProperty(sluice::kPreScheduleReducersProperty, i % 2 ? "true" : "false");
    runJob(ctx);
  }
  recorder.take();
  Samples off, on;
  for (int i = 0; i < jobs; ++i) {
    bool pre = mode == "on" || (mode == "both" && i % 2 == 1);  // A B A B ...
    ctx.setLocalProperty(sluice::kPreScheduleReducersProperty, pre ? "true" : "false");
    int64_t submit = sluice::monotonicNanos();
    if (runJob(ctx) != 8) {
      std::fprintf(stderr, "job %d returned a wrong result\n", i);
      return 1;
    }
    int64_t done = sluice::monotonicNanos();
    auto stages = recorder.take();  // the job's two stages
    if (stages.size() != 2) {
      std::fprintf(stderr, "job %d had %zu stages, expected 2\n", i, stages.size());
      return 1;
    }
    const auto& map_stage = stages.begin()->second;  // the lower id
    const auto& reduce_stage = stages.rbegin()->second;
    Samples& s = pre ? on : off;
    s.stage1_us.push_back((map_stage.last_launch - submit) / 1000);
    s.launch_us.push_back((std::max(map_stage.last_launch, reduce_stage.last_launch) - submit) / 1000);
    s.job_us.push_back((done - submit) / 1000);
    s.overhead_us.push_back((done - submit - map_stage.longest_run - reduce_stage.longest_run) / 1000);
  }
  auto p50 = [](const std::vector<int64_t>& v) { return static_cast<long long>(v.empty() ? -1 : percentile(v, 0.5)); };
  auto p99 = [](const std::vector<int64_t>& v) { return static_cast<long long>(v.empty() ? -1 : percentile(v, 0.99)); };
  std::printf(
      "{\"bench\":\"scheduling_overhead\",\"master\":\"%s\",\"mode\":\"%s\",\"jobs\":%d,\"tasks_per_stage\":4,"
      "\"p50_us\":%lld,\"p99_us\":%lld,\"stage1_p50_us\":%lld,\"stage1_p99_us\":%lld,\"job_p50_us\":%lld,"
      "\"overhead_p50_us\":%lld,\"pre_p50_us\":%lld,\"pre_job_p50_us\":%lld,\"pre_overhead_p50_us\":%lld}\n",
      ctx.master().c_str(), mode.c_str(), jobs, p50(off.launch_us), p99(off.launch_us), p50(off.stage1_us),
      p99(off.stage1_us), p50(off.job_us), p50(off.overhead_us), p50(on.launch_us), p50(on.job_us),
      p50(on.overhead_us));
  std::printf("scheduling_overhead_p50_us %lld\nscheduling_overhead_p99_us %lld\n", p50(off.launch_us),
              p99(off.launch_us));
  ctx.stop();
  return 0;
}
