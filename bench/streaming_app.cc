// The streaming benchmark application (bench/README.md, "Streaming"): word count over the
// rate source at one batch interval and rate, swept by sluice-tune (bench/streaming.sh),
// which measures every batch through the driver's REST API.
//
//   sluice-submit --master local[2] libstreaming_bench_app.so <lines-per-s> <interval-ms>
//       [seconds=0] [line-bytes=40]
//
// Runs until stopped (SIGTERM), or for `seconds` and then stops. The rate source is a
// receiver, so streaming.receiver.maxRate limits it too.
#include <sluice/sluice.h>

#include <iostream>

SLUICE_APP(ctx, args) {
  if (args.size() < 2) {
    std::cerr
        << "usage: streaming_bench_app <lines-per-s> <interval-ms> [seconds=0] [line-bytes=40]\n";
    return 2;
  }
  int64_t rate = std::stoll(args[0]);
  int interval = std::stoi(args[1]);
  int seconds = args.size() > 2 ? std::stoi(args[2]) : 0;
  int line_bytes = args.size() > 3 ? std::stoi(args[3]) : 40;
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(interval));
  ssc.rateStream(rate, line_bytes, 10000)
      .flatMap([](const std::string& line) { return sluice::split(line, ' '); })
      .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; })
      .foreachRDD([](const sluice::RDD<std::pair<std::string, int64_t>>& rdd) { rdd.count(); });
  ssc.start();
  if (seconds > 0) {
    ssc.awaitTermination(std::chrono::seconds(seconds));
    ssc.stop();
  } else {
    ssc.awaitTermination();
  }
  return 0;
}
