// The Kafka sink (writeToKafka) and commitAsync against librdkafka's mock cluster, in local
// mode on the manual clock: every record delivered once, a failed delivery fails the output
// operation naming the topic, and committed offsets are the batches' until offsets.
#include <catch2/catch.hpp>

#include <algorithm>

#include "streaming/kafka/kafka_offsets.h"
#include "streaming/kafka/kafka_utils.h"
#include "streaming/kafka/range_reader.h"
#include "tests/streaming/kafka/kafka_test_util.h"
#include "tests/streaming/streaming_test_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> readAll(const std::string& bootstrap, const std::string& topic, int partitions) {
  auto offsets = kafka::KafkaOffsets::open({{"bootstrap.servers", bootstrap}}, 5s);
  REQUIRE(offsets.isOk());
  std::vector<std::string> values;
  for (int p = 0; p < partitions; ++p) {
    auto marks = (*offsets)->watermarks({topic, p});
    REQUIRE(marks.isOk());
    OffsetRange all{topic, p, marks->low, marks->high};
    REQUIRE(kafka::readRange({{"bootstrap.servers", bootstrap}}, all, 10s,
                             [&](std::string&&, std::string&& v) { values.push_back(std::move(v)); })
                .isOk());
  }
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace

TEST_CASE("writeToKafka delivers every record of every batch once, and commitAsync commits the ranges read",
          "[kafka]") {
  auto cluster = startMockKafka("in", 2);
  REQUIRE(cluster->createTopic("out", 3).isOk());
  auto ctx = manualClockContext();
  StreamingContext ssc(*ctx, Seconds(1));
  KafkaParams params{{"bootstrap.servers", cluster->bootstrap()}, {"auto.offset.reset", "earliest"},
                     {"group.id", "sink-test"}};
  auto in = KafkaUtils::createDirectValueStream(ssc, params, {"in"});
  KafkaUtils::writeToKafka(in.map([](std::string&& v) { return "copy-" + v; }), params, "out");
  in.foreachRDD([in](const RDD<std::string>& rdd) { KafkaUtils::commitAsync(in, offsetRanges(rdd)); });
  produceNumbered(cluster->bootstrap(), "in", 2, 0, 30);
  ssc.start();
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 1000, 30s));
  produceNumbered(cluster->bootstrap(), "in", 2, 30, 10);
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 2000, 30s));
  ssc.manualClock()->advance(1000);  // commits what batch 2 read
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 3000, 30s));
  ssc.stop();

  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) expected.push_back("copy-r" + std::to_string(i));
  std::sort(expected.begin(), expected.end());
  CHECK(readAll(cluster->bootstrap(), "out", 3) == expected);

  auto offsets = kafka::KafkaOffsets::open(params, 5s);
  REQUIRE(offsets.isOk());
  auto committed = (*offsets)->committed({{"in", 0}, {"in", 1}});
  REQUIRE(committed.isOk());
  CHECK(*committed == std::vector<int64_t>{20, 20});
}

TEST_CASE("a Kafka delivery that fails fails the output operation, naming the topic", "[kafka]") {
  auto ctx = manualClockContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto queue = std::make_shared<RDDQueue<std::string>>();
  queue->push(ctx->parallelize(std::vector<std::string>{"a", "b"}, 1));
  // No broker there: each record times out in librdkafka's queue.
  KafkaUtils::writeToKafka(ssc.queueStream(queue),
                           {{"bootstrap.servers", "127.0.0.1:1"}, {"message.timeout.ms", "500"}}, "nowhere");
  ssc.start();
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 1000, 60s));
  CHECK_THROWS_WITH(ssc.awaitTermination(100ms), Catch::Contains("Kafka: delivery to topic nowhere"));
  ssc.stop();
}
