// cleanup_app: a streaming word count with a shuffle in every batch and a window, for the
// cleaner's integration tests. Words come from rateStream (2,000 lines/s). Prints
//   batch <t>: <n> words     every batch (reduceByKey: one shuffle per batch)
//   window <t>: <n> words    every second (reduceByKeyAndWindow with an inverse function
//                            over 2 s: each slide reads the previous window's RDD)
// so that each window's total can be checked against the batches it covers.
//
//   sluice-submit --master local-cluster[2,1,1024] libcleanup_app.so [batch-ms=200]
#include <iostream>
#include <sstream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  int batch_ms = args.empty() ? 200 : std::stoi(args[0]);
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto pairs = ssc.rateStream(2000, 20, 50)
                   .flatMap([](const std::string& line) {
                     std::vector<std::string> words;
                     std::istringstream in(line);
                     for (std::string w; in >> w;) words.push_back(std::move(w));
                     return words;
                   })
                   .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); });
  auto print = [](const char* what) {
    return [what](const sluice::RDD<std::pair<std::string, int64_t>>& rdd, sluice::Time t) {
      int64_t words = 0;
      for (const auto& kv : rdd.collect()) words += kv.second;
      std::ostringstream line;
      line << what << " " << t << ": " << words << " words\n";
      std::cout << line.str() << std::flush;
    };
  };
  pairs.reduceByKey([](int64_t a, int64_t b) { return a + b; }).foreachRDD(print("batch"));
  pairs
      .reduceByKeyAndWindow([](int64_t a, int64_t b) { return a + b; }, [](int64_t a, int64_t b) { return a - b; },
                            sluice::Seconds(2), sluice::Seconds(1), 0,
                            [](const std::pair<std::string, int64_t>& kv) { return kv.second != 0; })
      .foreachRDD(print("window"));
  ssc.start();
  ssc.awaitTermination();
  return 0;
}
