// interval_app: the application of the batch interval tests (issue 13). A queueStream of
// <batches> RDDs of <records> numbers each, one RDD a batch; each batch counts its records,
// then takes <processing-ms> longer (to be slower than its interval on purpose), and prints
// "batch <time> ms: <n> records". With <window-ms> <slide-ms> it counts a window of the
// stream instead. The interval in code is <batch-ms>; sluice-submit --batch-duration
// overrides it.
//
//   interval_app <batch-ms> <batches> <records> <processing-ms> [<window-ms> <slide-ms>]
//
// Runs until SIGTERM.
#include <chrono>
#include <iostream>
#include <numeric>
#include <thread>

#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  if (args.size() != 4 && args.size() != 6) {
    std::cerr << "usage: interval_app <batch-ms> <batches> <records> <processing-ms> [<window-ms> <slide-ms>]\n";
    return 2;
  }
  auto arg = [&](size_t i) { return std::stoll(args[i]); };
  int64_t batches = arg(1), records = arg(2), processing_ms = arg(3);
  sluice::StreamingContext ssc(ctx, sluice::Milliseconds(arg(0)));
  std::cout << "batch interval " << ssc.batchDuration().ms << " ms" << std::endl;
  auto queue = std::make_shared<sluice::RDDQueue<int64_t>>();
  for (int64_t b = 0; b < batches; ++b) {
    std::vector<int64_t> rows(static_cast<size_t>(records));
    std::iota(rows.begin(), rows.end(), b * records);
    queue->push(ctx.parallelize(std::move(rows), 2));
  }
  auto input = ssc.queueStream(queue);
  auto counted = args.size() == 6 ? input.window(sluice::Milliseconds(arg(4)), sluice::Milliseconds(arg(5))) : input;
  counted.foreachRDD([processing_ms](const sluice::RDD<int64_t>& rdd, sluice::Time t) {
    int64_t n = rdd.count();
    if (processing_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(processing_ms));
    std::cout << "batch " << t << " ms: " << n << " records" << std::endl;
  });
  ssc.start();
  ssc.awaitTermination();
  return 0;
}
