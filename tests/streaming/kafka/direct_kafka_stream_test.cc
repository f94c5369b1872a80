// The direct Kafka stream against librdkafka's mock cluster, in local mode on the manual
// clock: one RDD partition per Kafka partition with contiguous ranges, every record once,
// maxRatePerPartition, HasOffsetRanges and commitAsync, and the errors a user sees.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <set>

#include "streaming/kafka/kafka_utils.h"
#include "streaming/kafka/range_planner.h"
#include "streaming/kafka/range_reader.h"
#include "tests/streaming/kafka/kafka_test_util.h"
#include "tests/streaming/streaming_test_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kPartitions = 4;

// What each batch saw: its ranges (HasOffsetRanges), its partition count, its records.
struct Seen {
  std::mutex mu;
  std::map<Time, std::vector<OffsetRange>> ranges;
  std::map<Time, int> partitions;
  std::vector<std::pair<std::string, std::string>> records;
};

std::unique_ptr<Context> kafkaContext(const std::map<std::string, std::string>& extra = {}) {
  Conf conf;
  conf.set("streaming.clock", "manual");
  conf.set("ui.enabled", "false");
  for (const auto& [k, v] : extra) conf.set(k, v);
  auto ctx = Context::create({"local[2]", "kafka-test", "", conf});
  REQUIRE(ctx.isOk());
  return std::move(*ctx);
}

void watch(DStream<KafkaUtils::KeyValue> stream, std::shared_ptr<Seen> seen) {
  stream.foreachRDD([seen](const RDD<KafkaUtils::KeyValue>& rdd, Time t) {
    auto rows = rdd.collect();
    std::lock_guard<std::mutex> lock(seen->mu);
    seen->ranges[t] = offsetRanges(rdd);
    seen->partitions[t] = rdd.numPartitions();
    seen->records.insert(seen->records.end(), rows.begin(), rows.end());
  });
}

}  // namespace

TEST_CASE("a 4-partition topic gives batches of 4 partitions with contiguous ranges, every record once",
          "[kafka]") {
  auto cluster = startMockKafka("events", kPartitions);
  auto ctx = kafkaContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto seen = std::make_shared<Seen>();
  watch(KafkaUtils::createDirectStream(ssc, {{"bootstrap.servers", cluster->bootstrap()},
                                             {"auto.offset.reset", "earliest"}},
                                       {"events"}),
        seen);
  produceNumbered(cluster->bootstrap(), "events", kPartitions, 0, 100);
  ssc.start();
  auto batch = [&](int i) {
    ssc.manualClock()->advance(1000);
    REQUIRE(ssc.waitForBatch(ssc.zeroTime() + i * 1000, 30s));
  };
  batch(1);
  produceNumbered(cluster->bootstrap(), "events", kPartitions, 100, 57);
  batch(2);
  batch(3);  // nothing new: empty ranges
  produceNumbered(cluster->bootstrap(), "events", kPartitions, 157, 3);
  batch(4);
  ssc.stop();

  std::lock_guard<std::mutex> lock(seen->mu);
  REQUIRE(seen->ranges.size() == 4);
  std::map<int, int64_t> next;  // partition -> where its next range must start
  int64_t total = 0;
  for (const auto& [t, ranges] : seen->ranges) {
    CHECK(seen->partitions[t] == kPartitions);
    REQUIRE(ranges.size() == kPartitions);
    for (int p = 0; p < kPartitions; ++p) {
      CHECK(ranges[p].topic == "events");
      CHECK(ranges[p].partition == p);
      CHECK(ranges[p].from == next[p]);
      CHECK(ranges[p].until >= ranges[p].from);
      next[p] = ranges[p].until;
      total += ranges[p].count();
    }
  }
  CHECK(total == 160);
  std::multiset<std::string> values;
  for (const auto& [key, value] : seen->records) {
    CHECK(key == "k" + value.substr(1));
    values.insert(value);
  }
  REQUIRE(values.size() == 160);
  for (int i = 0; i < 160; ++i) CHECK(values.count("r" + std::to_string(i)) == 1);
}

TEST_CASE("streaming.kafka.maxRatePerPartition caps every partition's range of a batch", "[kafka]") {
  auto cluster = startMockKafka("capped", kPartitions);
  auto ctx = kafkaContext({{"streaming.kafka.maxRatePerPartition", "5"}});
  StreamingContext ssc(*ctx, Seconds(2));  // at most 10 records per partition per batch
  auto seen = std::make_shared<Seen>();
  watch(KafkaUtils::createDirectStream(ssc, {{"bootstrap.servers", cluster->bootstrap()},
                                             {"auto.offset.reset", "earliest"}},
                                       {"capped"}),
        seen);
  produceNumbered(cluster->bootstrap(), "capped", kPartitions, 0, 100);  // 25 per partition
  ssc.start();
  for (int i = 1; i <= 4; ++i) {
    ssc.manualClock()->advance(2000);
    REQUIRE(ssc.waitForBatch(ssc.zeroTime() + i * 2000, 30s));
  }
  ssc.stop();
  std::lock_guard<std::mutex> lock(seen->mu);
  std::vector<int64_t> per_batch;
  for (const auto& [t, ranges] : seen->ranges) {
    int64_t n = 0;
    for (const auto& r : ranges) {
      CHECK(r.count() <= 10);
      n += r.count();
    }
    per_batch.push_back(n);
  }
  CHECK(per_batch == std::vector<int64_t>{40, 40, 20, 0});
  CHECK(seen->records.size() == 100);
}

TEST_CASE("a direct Kafka stream picks up partitions added to a topic", "[kafka]") {
  auto cluster = startMockKafka("grows", 2);
  auto ctx = kafkaContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto seen = std::make_shared<Seen>();
  watch(KafkaUtils::createDirectStreamPattern(ssc, {{"bootstrap.servers", cluster->bootstrap()},
                                                    {"auto.offset.reset", "earliest"}},
                                              "gro.*"),
        seen);
  produceNumbered(cluster->bootstrap(), "grows", 2, 0, 10);
  ssc.start();
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 1000, 30s));
  // A topic that matches the pattern later is read from its first offset.
  REQUIRE(cluster->createTopic("grown", 3).isOk());
  produceNumbered(cluster->bootstrap(), "grown", 3, 10, 6);
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 2000, 30s));
  ssc.stop();
  std::lock_guard<std::mutex> lock(seen->mu);
  CHECK(seen->partitions[ssc.zeroTime() + 1000] == 2);
  CHECK(seen->partitions[ssc.zeroTime() + 2000] == 5);
  CHECK(seen->records.size() == 16);
}

TEST_CASE("Kafka errors name the topic: missing topic, unreachable brokers, offsets not on the brokers",
          "[kafka]") {
  auto cluster = startMockKafka("present", 1);
  kafka::KafkaRangePlanner missing({{"bootstrap.servers", cluster->bootstrap()}}, {{"absent"}, ""}, {}, 5000ms);
  auto planned = missing.plan(1000);
  REQUIRE_FALSE(planned.isOk());
  CHECK(planned.status().code() == StatusCode::kNotFound);
  CHECK_THAT(planned.status().message(), Catch::Contains("topic absent does not exist"));

  kafka::KafkaRangePlanner unreachable({{"bootstrap.servers", "127.0.0.1:1"}}, {{"present"}, ""}, {}, 500ms);
  auto none = unreachable.plan(1000);
  REQUIRE_FALSE(none.isOk());
  CHECK(none.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(none.status().message(), Catch::Contains("127.0.0.1:1"));

  produceNumbered(cluster->bootstrap(), "present", 1, 0, 5);
  OffsetRange gone{"present", 0, 50, 60};
  Status st = kafka::readRange({{"bootstrap.servers", cluster->bootstrap()}}, gone, 10s,
                               [](std::string&&, std::string&&) { FAIL("no record expected"); });
  REQUIRE_FALSE(st.isOk());
  CHECK(st.code() == StatusCode::kNotFound);
  CHECK_THAT(st.message(), Catch::Contains("topic present partition 0"));
  CHECK_THAT(st.message(), Catch::Contains("not on the brokers"));
}

TEST_CASE("a direct stream on a missing topic fails the stream: awaitTermination throws, naming the topic",
          "[kafka]") {
  // Spark's JobGenerator reports a batch whose jobs cannot be generated, and
  // awaitTermination rethrows it; before, the batch only logged it and the stream ran on.
  auto cluster = startMockKafka("present", 1);
  auto ctx = kafkaContext();
  StreamingContext ssc(*ctx, Seconds(1));
  auto seen = std::make_shared<Seen>();
  watch(KafkaUtils::createDirectStream(ssc, {{"bootstrap.servers", cluster->bootstrap()}}, {"absent"}), seen);
  ssc.start();
  ssc.manualClock()->advance(1000);
  REQUIRE(ssc.waitForBatch(ssc.zeroTime() + 1000, 30s));
  CHECK_THROWS_WITH(ssc.awaitTermination(10s), Catch::Contains("topic absent does not exist"));
  ssc.stop();
  std::lock_guard<std::mutex> lock(seen->mu);
  CHECK(seen->records.empty());
}

TEST_CASE("a backpressure rate is shared among the partitions by their lag, within maxRatePerPartition",
          "[kafka]") {
  auto cluster = startMockKafka("lagging", 2);
  auto producer = kafka::KafkaProducer::open({{"bootstrap.servers", cluster->bootstrap()}});
  REQUIRE(producer.isOk());
  for (int i = 0; i < 300; ++i) REQUIRE((*producer)->send("lagging", "", "a", 0).isOk());
  for (int i = 0; i < 100; ++i) REQUIRE((*producer)->send("lagging", "", "b", 1).isOk());
  REQUIRE((*producer)->flush().isOk());
  KafkaParams params{{"bootstrap.servers", cluster->bootstrap()}, {"auto.offset.reset", "earliest"}};
  kafka::KafkaRangePlanner planner(params, {{"lagging"}, ""}, {/*max*/ 60, /*min*/ 1}, 5000ms);
  planner.setRate(100);  // records per second for the whole stream
  auto first = planner.plan(1000);
  REQUIRE(first.isOk());
  // Shares 75 and 25 by lag (300 : 100); the first is capped at maxRatePerPartition (60).
  CHECK((*first)[0].count() == 60);
  CHECK((*first)[1].count() == 25);
  planner.setRate(0);  // no estimate: maxRatePerPartition alone
  auto second = planner.plan(1000);
  REQUIRE(second.isOk());
  CHECK((*second)[0] == OffsetRange{"lagging", 0, 60, 120});
  CHECK((*second)[1] == OffsetRange{"lagging", 1, 25, 85});
}

TEST_CASE("a range whose records retention deleted fails its task, naming the topic and partition", "[kafka]") {
  // librdkafka's mock cluster keeps about the last 5 MB of a partition; 20 MB are sent.
  auto cluster = startMockKafka("retained", 1);
  auto producer = kafka::KafkaProducer::open({{"bootstrap.servers", cluster->bootstrap()}, {"linger.ms", "20"}});
  REQUIRE(producer.isOk());
  const std::string kilobyte(1000, 'x');
  for (int i = 0; i < 20000; ++i) REQUIRE((*producer)->send("retained", "", kilobyte, 0).isOk());
  REQUIRE((*producer)->flush().isOk());
  auto offsets = kafka::KafkaOffsets::open({{"bootstrap.servers", cluster->bootstrap()}}, 5s);
  REQUIRE(offsets.isOk());
  auto marks = (*offsets)->watermarks({"retained", 0});
  REQUIRE(marks.isOk());
  REQUIRE(marks->low > 10);  // offsets 0..9 are gone
  Status st = kafka::readRange({{"bootstrap.servers", cluster->bootstrap()}}, {"retained", 0, 0, 10}, 10s,
                               [](std::string&&, std::string&&) { FAIL("no record expected"); });
  REQUIRE_FALSE(st.isOk());
  CHECK(st.code() == StatusCode::kNotFound);
  CHECK_THAT(st.message(), Catch::Contains("Kafka topic retained partition 0 offsets [0, 10)"));
  CHECK_THAT(st.message(), Catch::Contains("removed by retention"));
}
