// failing_window: the smallest case of issue 11 item 7 as an application. A
// reduceByKeyAndWindow with an inverse function whose filter drops ("c", 0) while that
// value is still in the window: batch 2 fails, awaitTermination rethrows the error, and the
// driver exits non-zero.
//
//   sluice-submit --master local[2] libfailing_window_app.so
#include <sluice/sluice.h>

SLUICE_APP(ctx, args) {
  (void)args;
  using SI = std::pair<std::string, int>;
  const auto batch = sluice::Milliseconds(500);
  sluice::StreamingContext ssc(ctx, batch);
  auto queue = std::make_shared<sluice::RDDQueue<SI>>();
  queue->push(ctx.parallelize(std::vector<SI>{{"c", 0}}, 2));
  ssc.queueStream(queue)
      .reduceByKeyAndWindow([](int a, int b) { return a + b; }, [](int a, int b) { return a - b; }, batch, batch, 0,
                            [](const SI& kv) { return kv.second != 0; })
      .foreachRDD([](const sluice::RDD<SI>& rdd) { rdd.count(); }, "count");
  ssc.start();
  ssc.awaitTermination();  // throws the first batch error
  return 0;
}
