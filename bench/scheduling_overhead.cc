// scheduling_overhead: the scheduler's share of a micro-batch. Each job is a two-stage
// job with 4 tasks per stage (parallelize(4 slices) -> map to pairs -> reduceByKey(4) ->
// collect); the figure is the time from the job's submission to the launch of its last
// task, which includes running the (tiny) first stage. Run it on 2 executors:
//
//   sluice-submit --master 'local-cluster[2,1,512]' build/lib/libscheduling_overhead.so [jobs]
//
// Prints one JSON line on stdout:
//   {"bench":"scheduling_overhead","jobs":N,"p50_us":..,"p99_us":..,"stage1_p50_us":..,...}
// where stage1 is submission to the last launch of the first stage (pure scheduling).
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

#include <sluice/sluice.h>

#include "common/clock.h"

namespace {

// Records, per stage, the latest task launch of the jobs it sees.
class LaunchRecorder : public sluice::SchedulerListener {
 public:
  void onTaskEnd(const sluice::TaskEnd& end) override {
    if (end.state == sluice::rpc::TaskState::kFailed || end.state == sluice::rpc::TaskState::kKilled) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto& t = last_launch_[end.stage_id];
    t = std::max(t, end.launch_nanos);
  }
  // Latest launch per stage since the last call, by stage id.
  std::map<int, int64_t> take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(last_launch_, {});
  }

 private:
  std::mutex mu_;
  std::map<int, int64_t> last_launch_;
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
  LaunchRecorder recorder;
  ctx.addListener(&recorder);
  for (int i = 0; i < 10; ++i) runJob(ctx);  // warm-up: app loaded, sockets connected
  recorder.take();
  std::vector<int64_t> total_us, stage1_us;
  for (int i = 0; i < jobs; ++i) {
    int64_t submit = sluice::monotonicNanos();
    if (runJob(ctx) != 8) {
      std::fprintf(stderr, "job %d returned a wrong result\n", i);
      return 1;
    }
    auto launches = recorder.take();  // the job's two stages
    if (launches.size() != 2) {
      std::fprintf(stderr, "job %d had %zu stages, expected 2\n", i, launches.size());
      return 1;
    }
    int64_t first = std::min(launches.begin()->second, launches.rbegin()->second);
    int64_t last = std::max(launches.begin()->second, launches.rbegin()->second);
    stage1_us.push_back((first - submit) / 1000);
    total_us.push_back((last - submit) / 1000);
  }
  std::printf(
      "{\"bench\":\"scheduling_overhead\",\"master\":\"%s\",\"jobs\":%d,\"tasks_per_stage\":4,"
      "\"p50_us\":%lld,\"p99_us\":%lld,\"stage1_p50_us\":%lld,\"stage1_p99_us\":%lld}\n",
      ctx.master().c_str(), jobs, static_cast<long long>(percentile(total_us, 0.5)),
      static_cast<long long>(percentile(total_us, 0.99)), static_cast<long long>(percentile(stage1_us, 0.5)),
      static_cast<long long>(percentile(stage1_us, 0.99)));
  std::printf("scheduling_overhead_p50_us %lld\nscheduling_overhead_p99_us %lld\n",
              static_cast<long long>(percentile(total_us, 0.5)), static_cast<long long>(percentile(total_us, 0.99)));
  ctx.stop();
  return 0;
}
