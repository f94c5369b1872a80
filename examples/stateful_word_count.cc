// stateful_word_count: running word counts since the start over the lines received on a
// TCP socket (Spark's StatefulNetworkWordCount), kept two ways: updateStateByKey (every
// key's total, every batch) and mapWithState (emits the words seen in this batch with
// their new totals; words idle for the timeout are dropped from the state).
//
//   sluice-gen --port 9999 --rate 10000 &
//   sluice-submit --master local[2] libstateful_word_count.so 127.0.0.1 9999 [batch-ms=1000]
//       [idle-timeout-s=60] [seconds=0]
#include <algorithm>
#include <iostream>

#include <sluice/sluice.h>

namespace {

using WordCount = std::pair<std::string, int64_t>;

void printTop(const char* what, std::vector<WordCount> all, sluice::Time t) {
  auto top = std::min<size_t>(5, all.size());
  std::partial_sort(all.begin(), all.begin() + top, all.end(),
                    [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::cout << what << " at " << t << " ms: " << all.size() << " words;";
  for (size_t i = 0; i < top; ++i) std::cout << " " << all[i].first << "=" << all[i].second;
  std::cout << std::endl;
}

}  // namespace

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr << "usage: stateful_word_count <host> <port> [batch-ms=1000] [idle-timeout-s=60] [seconds=0]\n";
    return 2;
  }
  auto arg = [&](size_t i, int def) { return args.size() > i ? std::stoi(args[i]) : def; };
  int batch_ms = arg(2, 1000), idle_s = arg(3, 60), seconds = arg(4, 0);
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto pairs = ssc.socketTextStream(args[0], std::stoi(args[1]))
                   .flatMap([](const std::string& line) { return sluice::words(line); })
                   .map([](std::string&& w) { return WordCount(std::move(w), 1); });

  // The total of every word ever seen, recomputed for every key each batch.
  pairs
      .updateStateByKey<int64_t>([](std::vector<int64_t> counts, std::optional<int64_t> total) {
        int64_t sum = total.value_or(0);
        for (int64_t c : counts) sum += c;
        return std::optional<int64_t>(sum);
      })
      .foreachRDD([](const sluice::RDD<WordCount>& rdd, sluice::Time t) { printTop("updateStateByKey totals", rdd.collect(), t); });

  // Only the words of this batch, with their new totals; idle words time out. The batch is
  // reduced first, so that the mapping function sees each word once per batch.
  auto spec = sluice::StateSpec([](const std::string& word, std::optional<int64_t> n, sluice::State<int64_t>& state) {
                int64_t total = state.getOption().value_or(0) + n.value_or(0);
                if (!state.isTimingOut()) state.update(total);
                return WordCount(word, total);
              }).timeout(sluice::Seconds(idle_s));
  pairs.reduceByKey([](int64_t a, int64_t b) { return a + b; }).mapWithState(spec).foreachRDD(
      [](const sluice::RDD<WordCount>& rdd, sluice::Time t) { printTop("mapWithState, this batch's words", rdd.collect(), t); });

  ssc.start();
  if (seconds > 0) {
    ssc.awaitTermination(std::chrono::seconds(seconds));
    ssc.stop(false, /*graceful=*/true);
  } else {
    ssc.awaitTermination();
  }
  return 0;
}
