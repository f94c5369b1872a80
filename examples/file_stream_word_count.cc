// file_stream_word_count: counts the words of every new file moved into a directory, per
// batch (Spark's HdfsWordCount over textFileStream). Each file is read exactly once; write
// files elsewhere and `mv` them in, so that no half-written file is picked up.
//
//   sluice-submit --master local[2] libfile_stream_word_count.so <dir> [batch-ms=2000]
//       [seconds=0] [output-prefix]
//
// Prints each batch's counts; with an output prefix also saves them under
// <prefix>-<batch-ms>/.
#include <iostream>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.empty()) {
    std::cerr << "usage: file_stream_word_count <dir> [batch-ms=2000] [seconds=0] [output-prefix]\n";
    return 2;
  }
  int batch_ms = args.size() > 1 ? std::stoi(args[1]) : 2000;
  int seconds = args.size() > 2 ? std::stoi(args[2]) : 0;
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(batch_ms));
  auto counts = ssc.textFileStream(args[0])
                    .flatMap([](const std::string& line) { return sluice::words(line); })
                    .map([](std::string&& w) { return std::pair<std::string, int64_t>(std::move(w), 1); })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; });
  counts.print(20);
  if (args.size() > 3)
    counts.map([](std::pair<std::string, int64_t>&& kv) { return kv.first + " " + std::to_string(kv.second); })
        .saveAsTextFiles(args[3]);
  ssc.start();
  if (seconds > 0) {
    ssc.awaitTermination(std::chrono::seconds(seconds));
    ssc.stop(false, /*graceful=*/true);
  } else {
    ssc.awaitTermination();
  }
  return 0;
}
