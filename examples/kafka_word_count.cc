// kafka_word_count: counts the words of the records of Kafka topics, per batch, with a direct
// Kafka stream (Spark's DirectKafkaWordCount).
//
//   sluice-kafka-mock --topic words:4 --produce words --rate 100000 &     # prints "bootstrap <servers>"
//   sluice-submit --master local[2] libkafka_word_count.so <servers> words [batch-ms=1000]
//       [seconds=0] [output-prefix] [group-id]
//
// Reads each topic (comma-separated) from its earliest offset. Prints each batch's words
// counted, its five most frequent words, its offset ranges and its delays. Runs until
// stopped, or for `seconds` and then stops gracefully. With an output prefix, each batch's
// counts are also saved as "word count" lines under <prefix>-<batch-ms>/ (a batch re-run
// after a restart replaces its directory: with --conf streaming.checkpoint.dir=<dir> a
// restarted driver re-runs the batches that had not completed on the same offset ranges,
// so that the saved counts count every record once). With a group id, every batch commits
// its ranges to that consumer group (commitAsync), where Kafka's tools can see the progress.
#include <algorithm>
#include <iostream>
#include <sstream>

#include <sluice/sluice.h>

namespace {

class DelayPrinter : public sluice::StreamingListener {
 public:
  void onBatchCompleted(const sluice::BatchInfo& b) override {
    std::cout << "batch " << b.batch_time << " ms: " << b.num_records << " records, scheduling delay "
              << b.schedulingDelayMs() << " ms, processing " << b.processingTimeMs() << " ms, total delay "
              << b.totalDelayMs() << " ms" << std::endl;
  }
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string part; std::getline(in, part, sep);)
    if (!part.empty()) out.push_back(part);
  return out;
}

}  // namespace

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr << "usage: kafka_word_count <bootstrap-servers> <topics> [batch-ms=1000] [seconds=0] [output-prefix] "
                 "[group-id]\n";
    return 2;
  }
  int batch_ms = args.size() > 2 ? std::stoi(args[2]) : 1000;
  int seconds = args.size() > 3 ? std::stoi(args[3]) : 0;
  std::string prefix = args.size() > 4 ? args[4] : "";
  std::string group = args.size() > 5 ? args[5] : "";
  sluice::KafkaParams params{{"bootstrap.servers", args[0]}, {"auto.offset.reset", "earliest"}};
  if (!group.empty()) params["group.id"] = group;
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto lines = sluice::KafkaUtils::createDirectValueStream(ssc, params, split(args[1], ','));
  lines.foreachRDD([lines, group](const sluice::RDD<std::string>& rdd, sluice::Time t) {
    std::ostringstream line;
    line << "batch " << t << " ms reads";
    auto ranges = sluice::offsetRanges(rdd);
    for (const auto& r : ranges) line << " " << r.describe();
    std::cout << line.str() << std::endl;
    if (!group.empty()) sluice::KafkaUtils::commitAsync(lines, ranges);
  }, "offsetRanges");
  auto counts = lines
                    .flatMap([](const std::string& line) {
                      std::vector<std::string> words;
                      std::istringstream in(line);
                      for (std::string w; in >> w;) words.push_back(std::move(w));
                      return words;
                    })
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
  if (!prefix.empty())
    counts.map([](std::pair<std::string, int64_t>&& kv) { return kv.first + " " + std::to_string(kv.second); })
        .saveAsTextFiles(prefix);
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
