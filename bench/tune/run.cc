#include "bench/tune/run.h"

#include <signal.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "bench/tune/app_process.h"
#include "bench/tune/grid.h"
#include "bench/tune/interrupt.h"
#include "bench/tune/rest_client.h"
#include "bench/tune/stall_probe.h"
#include "common/clock.h"

namespace sluice::tune {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

int64_t nowMs() { return SystemClock().nowMs(); }

// Sleeps until the epoch time target_ms, waking every 100 ms to notice an interrupt.
void sleepUntil(int64_t target_ms) {
  while (!interrupted()) {
    int64_t left = target_ms - nowMs();
    if (left <= 0) return;
    std::this_thread::sleep_for(milliseconds(std::min<int64_t>(left, 100)));
  }
}

std::string quote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t'\"\\$[]{}*?;&|<>()") == std::string::npos) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The run so far, merging every REST snapshot of the batches by batch time.
class RunRecorder {
 public:
  RunRecorder(const RunSpec& spec, std::string log_prefix, const StallProbe& probe) : probe_(probe) {
    m_.spec = spec;
    m_.log_prefix = std::move(log_prefix);
  }
  RunMeasurement& measurement() { return m_; }
  void merge(const std::vector<BatchRecord>& snapshot, int64_t taken_ms) {
    for (const auto& b : snapshot) batches_[b.batch_time_ms] = b;
    m_.end_poll_ms = taken_ms;
  }
  int64_t newestBatchMs() const { return batches_.empty() ? 0 : batches_.rbegin()->first; }
  RunResult fail(RunFailure failure, std::string error) {
    m_.error = std::move(error);
    return finish(failure);
  }
  RunResult finish(RunFailure failure = RunFailure::kNone) {
    m_.batches.clear();
    for (const auto& [t, b] : batches_) m_.batches.push_back(b);
    m_.stalls = probe_.stalls();
    return {m_, failure};
  }

 private:
  const StallProbe& probe_;
  RunMeasurement m_;
  std::map<int64_t, BatchRecord> batches_;
};

// Why the process ended, with its last log lines.
std::string endedMessage(AppProcess& app, const ExitInfo& exit, const std::string& when) {
  return "sluice-submit " + exit.describe() + " " + when + "; its last lines:\n" +
         app.stderrTail(8);
}

}  // namespace

RunResult runOnce(const TuneOptions& options, const std::string& submit_path, const RunSpec& spec,
                  SweepProgress& progress) {
  const std::string log_prefix = "logs/" + spec.run_id;
  const std::string abs_prefix = options.out_dir + "/" + log_prefix;
  // Pauses of the machine longer than an interval, for the verdict's explanation (at least
  // 5 ms: the probe sleeps 1 ms between looks, so shorter gaps are mostly its own wake-ups).
  StallProbe probe(std::max<int64_t>(spec.interval_ms, 5));
  RunRecorder rec(spec, log_prefix, probe);
  RunMeasurement& m = rec.measurement();
  auto argv = submitCommand(options, submit_path, spec);
  {
    std::ofstream cmd(abs_prefix + ".cmd", std::ios::trunc);
    for (size_t i = 0; i < argv.size(); ++i) cmd << (i ? " " : "") << quote(argv[i]);
    cmd << "\n";
  }
  for (const char* ext : {".out", ".err"}) std::ofstream(abs_prefix + ext, std::ios::trunc);
  auto app = AppProcess::start(argv, abs_prefix);
  if (!app)
    return rec.fail(RunFailure::kStartup,
                    "cannot start " + submit_path + ": " + app.status().message());
  AppProcess& proc = **app;
  auto stopApp = [&] {
    progress.phase("stopping");
    auto t0 = steady_clock::now();
    ExitInfo e = proc.stop(options.stop_timeout);
    if (e.signal == SIGKILL && steady_clock::now() - t0 >= options.stop_timeout)
      progress.note(fmt::format("{}: the driver did not stop within {} s of SIGTERM and was killed",
                                spec.run_id, options.stop_timeout.count() / 1000));
  };
  struct StopOnReturn {
    std::function<void()> stop;
    ~StopOnReturn() { stop(); }
  } stop_on_return{stopApp};

  // The REST API, then the first completed batch.
  const auto start_deadline = steady_clock::now() + options.start_timeout;
  const std::string timeout_text =
      fmt::format("within {} s (--start-timeout)", options.start_timeout.count() / 1000);
  std::unique_ptr<StreamingRestClient> rest;
  StreamingStatistics stats;
  while (true) {
    if (interrupted()) return rec.fail(RunFailure::kInterrupted, "interrupted");
    if (auto e = proc.exited())
      return rec.fail(RunFailure::kStartup, endedMessage(proc, *e, "before its first batch"));
    if (steady_clock::now() > start_deadline)
      return rec.fail(
          RunFailure::kStartup,
          (rest ? "no completed batch " : "no \"REST API at\" line in the driver's log ") +
              timeout_text);
    if (!rest) {
      if (auto url = proc.restUrl()) {
        auto client = StreamingRestClient::connect(*url, options.ui_secret);
        if (client)
          rest = std::move(*client);
        else
          spdlog::debug("{}: {}", spec.run_id, client.status().message());
      }
    } else if (auto s = rest->statistics()) {
      stats = *s;
      if (stats.batch_duration_ms != spec.interval_ms)
        return rec.fail(
            RunFailure::kWrongInterval,
            fmt::format(
                "the application runs {} ms batches, not the {} ms asked: this Sluice does not "
                "apply streaming.batchDuration, or the application ignores it; give the interval "
                "in its arguments with {{interval_ms}}",
                stats.batch_duration_ms, spec.interval_ms));
      if (stats.completed_batches > 0) break;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }

  m.first_batch_ms = nowMs();
  m.warm_end_ms = m.first_batch_ms + options.warmup.count();
  m.measure_end_ms = m.warm_end_ms + options.measure.count();
  m.num_receivers = stats.num_receivers;
  const int64_t poll_ms = std::clamp<int64_t>(spec.interval_ms * 250, 100, 2000);
  auto poll = [&] {
    int64_t taken = nowMs();
    auto batches = rest->batches();
    if (batches)
      rec.merge(*batches, taken);
    else
      spdlog::debug("{}: {}", spec.run_id, batches.status().message());
    return batches.isOk();
  };
  for (int64_t next_poll = nowMs();;) {
    int64_t now = nowMs();
    if (now >= m.measure_end_ms) break;
    if (now >= next_poll) {
      poll();
      next_poll = now + poll_ms;
    }
    if (now < m.warm_end_ms)
      progress.phase("warm-up", static_cast<int>((now - m.first_batch_ms) / 1000),
                     static_cast<int>(options.warmup.count() / 1000));
    else
      progress.phase("measuring", static_cast<int>((now - m.warm_end_ms) / 1000),
                     static_cast<int>(options.measure.count() / 1000));
    sleepUntil(std::min(
        {next_poll, now + 1000, m.measure_end_ms}));  // the progress is redrawn every second
    if (interrupted()) return rec.fail(RunFailure::kInterrupted, "interrupted");
    if (auto e = proc.exited())
      return rec.fail(RunFailure::kDuring, endedMessage(proc, *e, "during the run"));
  }
  // The last snapshot, once the driver has generated the measured period's last batch (a
  // tick may come a little late on a loaded machine), or at most a second or two late.
  const int64_t last_deadline = m.measure_end_ms + std::max<int64_t>(1000, 2 * spec.interval_ms);
  while (true) {
    bool ok = poll();
    if (ok && rec.newestBatchMs() > m.measure_end_ms - spec.interval_ms) break;
    if (nowMs() >= last_deadline || interrupted()) {
      if (!ok)
        progress.note(spec.run_id +
                      ": the last snapshot of the batches failed; using the one before");
      break;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  if (auto s = rest->statistics()) m.num_receivers = std::max(m.num_receivers, s->num_receivers);
  return rec.finish();
}

}  // namespace sluice::tune
