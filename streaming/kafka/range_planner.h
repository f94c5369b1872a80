// KafkaRangePlanner: the driver side of a direct Kafka stream (Spark's
// DirectKafkaInputDStream.compute): for each batch, every subscribed partition's range, from
// where the previous batch ended to the partition's latest offset, capped by
// streaming.kafka.maxRatePerPartition and by backpressure. Partitions that appear later
// (new partitions, new topics matching a pattern) start at their earliest offset; at the
// stream's first batch every partition starts at auto.offset.reset (latest unless
// "earliest"/"smallest"), as in Spark.
//
// THREADING: plan() and restore() on one thread (the job generator's); setRate() from any.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "common/status.h"
#include "streaming/kafka/kafka_offsets.h"
#include "streaming/kafka/kafka_params.h"
#include "streaming/kafka/offset_range.h"

namespace sluice::kafka {

struct RangeLimits {
  int64_t max_rate_per_partition = 0;  // records per second per partition, 0: none
  int64_t min_rate_per_partition = 1;  // with a backpressure rate
};

class KafkaRangePlanner {
 public:
  KafkaRangePlanner(KafkaParams params, Subscription subscription, RangeLimits limits,
                    std::chrono::milliseconds metadata_timeout);
  ~KafkaRangePlanner();

  // The ranges of a batch covering interval_ms, one per partition, sorted by topic and
  // partition, each starting where the same partition's previous range ended. Errors
  // (unreachable brokers, missing topic) name the topic; nothing advances then.
  StatusOr<std::vector<OffsetRange>> plan(int64_t interval_ms);
  // Where the next batch starts: each partition's until offset of the latest plan.
  const std::map<TopicPartition, int64_t>& positions() const { return positions_; }
  // Continues from positions written by an earlier driver.
  void restore(std::map<TopicPartition, int64_t> positions) { positions_ = std::move(positions); }
  // The backpressure rate of the whole stream, records per second; 0: none.
  void setRate(int64_t records_per_second) { rate_ = records_per_second; }
  // Commits each range's until offset to group.id (commitAsync's work).
  Status commit(const std::vector<OffsetRange>& ranges);

 private:
  Status connect();
  // The most records each partition may give a batch of interval_ms, by partition.
  std::map<TopicPartition, int64_t> caps(const std::map<TopicPartition, int64_t>& lag, int64_t interval_ms) const;

  KafkaParams params_;
  Subscription subscription_;
  RangeLimits limits_;
  std::chrono::milliseconds metadata_timeout_;
  std::unique_ptr<KafkaOffsets> offsets_;
  std::map<TopicPartition, int64_t> positions_;
  std::atomic<int64_t> rate_{0};
};

}  // namespace sluice::kafka
