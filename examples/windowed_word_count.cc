// windowed_word_count: word counts over a sliding window of the lines received on a TCP
// socket, kept up to date with an inverse function (Spark's reduceByKeyAndWindow with
// invReduceFunc): each slide adds the newest batch and subtracts the one that left.
//
//   sluice-gen --port 9999 --rate 10000 &
//   sluice-submit --master local[2] libwindowed_word_count.so 127.0.0.1 9999 [batch-ms=1000]
//       [window-s=30] [slide-s=1] [seconds=0]
//
// Prints the window's five most frequent words at every slide. Words whose count dropped
// to zero are filtered out of the window's state.
#include <algorithm>
#include <iostream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr << "usage: windowed_word_count <host> <port> [batch-ms=1000] [window-s=30] [slide-s=1] [seconds=0]\n";
    return 2;
  }
  auto arg = [&](size_t i, int def) { return args.size() > i ? std::stoi(args[i]) : def; };
  int batch_ms = arg(2, 1000), window_s = arg(3, 30), slide_s = arg(4, 1), seconds = arg(5, 0);
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  ssc.socketTextStream(args[0], std::stoi(args[1]))
      .flatMap([](const std::string& line) { return sluice::words(line); })
      .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
      .reduceByKeyAndWindow([](int64_t a, int64_t b) { return a + b; }, [](int64_t a, int64_t b) { return a - b; },
                            sluice::Seconds(window_s), sluice::Seconds(slide_s), 0,
                            [](const std::pair<std::string, int64_t>& kv) { return kv.second != 0; })
      .foreachRDD([](const sluice::RDD<std::pair<std::string, int64_t>>& rdd, sluice::Time t) {
        auto all = rdd.collect();
        auto top = std::min<size_t>(5, all.size());
        std::partial_sort(all.begin(), all.begin() + top, all.end(), [](auto& a, auto& b) {
          return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        std::cout << "window ending " << t << " ms: " << all.size() << " words;";
        for (size_t i = 0; i < top; ++i) std::cout << " " << all[i].first << "=" << all[i].second;
        std::cout << std::endl;
      });
  ssc.start();
  if (seconds > 0) {
    ssc.awaitTermination(std::chrono::seconds(seconds));
    ssc.stop(false, /*graceful=*/true);
  } else {
    ssc.awaitTermination();
  }
  return 0;
}
