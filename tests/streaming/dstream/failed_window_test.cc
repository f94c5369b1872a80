// Issue 11 item 7, end to end in local mode on the manual clock: a reduceByKeyAndWindow
// whose filter drops a key that still has values in the window fails its batches; every
// later batch still ends (failed), awaitTermination reports the error, stop() returns.
#include <catch2/catch.hpp>

#include <future>

#include "tests/streaming/test_input_stream.h"

using namespace sluice;
using namespace sluice::testing;
using SI = std::pair<std::string, int>;

TEST_CASE("a window whose filter dropped a key fails its batches, and every later batch still ends",
          "[streaming][window]") {
  auto ctx = manualContext();
  const Duration batch = Milliseconds(500);
  StreamingContext ssc(*ctx, batch);
  auto windowed = testInputStream<SI>(ssc, {{{"c", 0}}})
                      .reduceByKeyAndWindow([](int a, int b) { return a + b; }, [](int a, int b) { return a - b; },
                                            batch, batch, 0, [](const SI& kv) { return kv.second != 0; });
  BatchCollector<SI> out;
  out.attach(windowed);
  ssc.start();
  for (int i = 1; i <= 5; ++i) {
    ssc.manualClock()->advance(batch.ms);
    // Before the fix, batch 5's job waited forever for a stage nobody submitted.
    REQUIRE(ssc.waitForBatch(ssc.zeroTime() + i * batch.ms, std::chrono::seconds(60)));
  }
  auto batches = ssc.jobScheduler().completedBatches();
  REQUIRE(batches.size() == 5);
  CHECK(batches[0].output_ops.begin()->second.failure.empty());  // ("c", 0) filtered out
  for (int i = 1; i < 5; ++i) {
    INFO("batch " << i + 1);
    const std::string& failure = batches[i].output_ops.begin()->second.failure;
    CHECK(failure.find("the filter function probably dropped it") != std::string::npos);
  }
  CHECK(out.batches() == Seqs<SI>{{}});  // only batch 1 produced output (nothing)

  // As Spark, awaitTermination rethrows the first error.
  CHECK_THROWS_WITH(ssc.awaitTermination(std::chrono::milliseconds(0)),
                    Catch::Matchers::Contains("the filter function probably dropped it"));
  auto stopped = std::async(std::launch::async, [&] { ssc.stop(); });
  REQUIRE(stopped.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
}
