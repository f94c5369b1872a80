// network_word_count: counts the words of text lines received on a TCP socket, per batch
// (Spark's NetworkWordCount).
//
//   sluice-gen --port 9999 --rate 100000 &
//   sluice-submit --master local[2] libnetwork_word_count.so 127.0.0.1 9999 [batch-ms=1000]
//       [seconds=0] [output-prefix]
//
// Prints each batch's words counted, its five most frequent words and its delays. Runs
// until stopped, or for `seconds` and then stops gracefully (every received line is
// counted). With an output prefix, each batch's counts are also saved as "word count"
// lines under <prefix>-<batch-ms>/.
#include <algorithm>
#include <iostream>
#include <sstream>

#include <sluice/sluice.h>

namespace {

// Prints every batch's delays, as Spark's streaming UI shows them.
class DelayPrinter : public sluice::StreamingListener {
 public:
  void onBatchCompleted(const sluice::BatchInfo& b) override {
    std::cout << "batch " << b.batch_time << " ms: " << b.num_records << " lines, scheduling delay "
              << b.schedulingDelayMs() << " ms, processing " << b.processingTimeMs() << " ms, total delay "
              << b.totalDelayMs() << " ms" << std::endl;
  }
};

}  // namespace

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr << "usage: network_word_count <host> <port> [batch-ms=1000] [seconds=0] [output-prefix]\n";
    return 2;
  }
  int port = std::stoi(args[1]);
  int batch_ms = args.size() > 2 ? std::stoi(args[2]) : 1000;
  int seconds = args.size() > 3 ? std::stoi(args[3]) : 0;
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto counts = ssc.socketTextStream(args[0], port)
                    .flatMap([](const std::string& line) { return sluice::words(line); })
                    .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; });
  counts.foreachRDD([](const sluice::RDD<std::pair<std::string, int64_t>>& rdd, sluice::Time t) {
    auto all = rdd.collect();
    int64_t words = 0;
    for (const auto& kv : all) words += kv.second;
    auto top = std::min<size_t>(5, all.size());
    std::partial_sort(all.begin(), all.begin() + top, all.end(),
                      [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    std::ostringstream line;
    line << "batch " << t << " ms: " << words << " words counted, top words:";
    for (size_t i = 0; i < top; ++i) line << " " << all[i].first << "=" << all[i].second;
    std::cout << line.str() << std::endl;
  });
  if (args.size() > 4)
    counts.map([](std::pair<std::string, int64_t>&& kv) { return kv.first + " " + std::to_string(kv.second); })
        .saveAsTextFiles(args[4]);
  DelayPrinter printer;
  ssc.addStreamingListener(&printer);
  ssc.start();
  if (seconds > 0) {
    ssc.awaitTermination(std::chrono::seconds(seconds));
    ssc.stop(false, /*graceful=*/true);
  } else {
    ssc.awaitTermination();
  }
  return 0;
}
