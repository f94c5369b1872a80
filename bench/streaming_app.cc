// The streaming benchmark application (bench/README.md, "Streaming"): word count over the
// rate source at one batch interval and rate, printed as one JSON line.
//
//   sluice-submit --master local[2] libstreaming_bench_app.so <lines-per-s> <interval-ms>
//       <seconds> [line-bytes=40]
//
// Batches completed in the first second are warm-up and not measured. "stable" means
// that the total delay (batch time to the end of its processing) stayed below the
// interval for 99% of the measured batches and no batch was left queued at the end.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <mutex>

#include <sluice/sluice.h>

namespace {

class Recorder : public sluice::StreamingListener {
 public:
  void onBatchCompleted(const sluice::BatchInfo& b) override {
    std::lock_guard<std::mutex> lock(mu_);
    batches_.push_back(b);
  }
  std::vector<sluice::BatchInfo> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::vector<sluice::BatchInfo> batches_;
};

int64_t percentile(std::vector<int64_t> v, double q) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

std::string quantiles(const std::vector<int64_t>& v) {
  return "{\"p50\":" + std::to_string(percentile(v, 0.5)) + ",\"p99\":" + std::to_string(percentile(v, 0.99)) + "}";
}

}  // namespace

SLUICE_APP(ctx, args) {
  if (args.size() < 3) {
    std::cerr << "usage: streaming_bench_app <lines-per-s> <interval-ms> <seconds> [line-bytes=40]\n";
    return 2;
  }
  int64_t rate = std::stoll(args[0]);
  int interval = std::stoi(args[1]);
  int seconds = std::stoi(args[2]);
  int line_bytes = args.size() > 3 ? std::stoi(args[3]) : 40;
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(interval));
  ssc.rateStream(rate, line_bytes, 10000)
      .flatMap([](const std::string& line) {
        std::vector<std::string> words;
        size_t i = 0;
        while (i < line.size()) {
          size_t j = line.find(' ', i);
          if (j == std::string::npos) j = line.size();
          if (j > i) words.emplace_back(line, i, j - i);
          i = j + 1;
        }
        return words;
      })
      .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; })
      .foreachRDD([](const sluice::RDD<std::pair<std::string, int64_t>>& rdd) { rdd.count(); });
  Recorder recorder;
  ssc.addStreamingListener(&recorder);
  ssc.start();
  int64_t warm_end = ssc.zeroTime() + 1000;
  ssc.awaitTermination(std::chrono::seconds(seconds + 1));
  int64_t end = sluice::SystemClock().nowMs();
  auto queued = ssc.progress().active.size();
  ssc.stop();

  std::vector<int64_t> sched, proc, total;
  int64_t records = 0, first_ms = -1;
  for (const auto& b : recorder.batches()) {
    if (b.processing_end_ms < warm_end) continue;
    if (first_ms < 0) first_ms = b.processing_end_ms;
    records += b.num_records;
    sched.push_back(b.schedulingDelayMs());
    proc.push_back(b.processingTimeMs());
    total.push_back(b.processing_end_ms - b.batch_time);
  }
  double window_s = static_cast<double>(end - warm_end) / 1000.0;
  bool stable = !total.empty() && percentile(total, 0.99) < interval && queued <= 1;
  std::printf(
      "{\"bench\":\"streaming\",\"master\":\"%s\",\"interval_ms\":%d,\"target_lines_per_s\":%lld,\"line_bytes\":%d,"
      "\"batches\":%zu,\"lines_per_s\":%.0f,\"scheduling_delay_ms\":%s,\"processing_time_ms\":%s,"
      "\"total_delay_ms\":%s,\"queued_at_end\":%zu,\"stable\":%s}\n",
      ctx.master().c_str(), interval, static_cast<long long>(rate), line_bytes, total.size(),
      static_cast<double>(records) / window_s, quantiles(sched).c_str(), quantiles(proc).c_str(),
      quantiles(total).c_str(), queued, stable ? "true" : "false");
  std::fflush(stdout);
  return 0;
}
