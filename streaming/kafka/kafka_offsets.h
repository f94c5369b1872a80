// KafkaOffsets: what the driver of a direct Kafka stream asks the brokers (Spark's
// DirectKafkaInputDStream's consumer): the partitions of the subscribed topics, each
// partition's earliest and latest offsets, and commits to a consumer group's offsets.
//
// THREADING: one thread at a time (the job generator's; commit() from the job threads is
// serialized by the stream).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "streaming/kafka/kafka_params.h"
#include "streaming/kafka/offset_range.h"

namespace sluice::kafka {

class RdKafkaClient;

// Topics by name, or every topic whose whole name matches pattern (ECMAScript regex).
struct Subscription {
  std::vector<std::string> topics;
  std::string pattern;
  std::string describe() const;
};

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
  std::string describe() const { return topic + "-" + std::to_string(partition); }
};

struct Watermarks {
  int64_t low = 0;   // the earliest offset still on the brokers
  int64_t high = 0;  // one past the latest record
};

class KafkaOffsets {
 public:
  // A consumer client for params; InvalidArgument for a bad or missing setting.
  static StatusOr<std::unique_ptr<KafkaOffsets>> open(const KafkaParams& params, std::chrono::milliseconds timeout);
  ~KafkaOffsets();

  // The partitions of every subscribed topic, sorted. Unavailable when the brokers do not
  // answer within the timeout, NotFound naming a listed topic that does not exist.
  StatusOr<std::vector<TopicPartition>> partitions(const Subscription& subscription);
  // Unavailable, naming the topic and partition, when the brokers do not answer.
  StatusOr<Watermarks> watermarks(const TopicPartition& tp);
  // Stores each range's until offset as group.id's committed offset of its partition.
  Status commit(const std::vector<OffsetRange>& ranges);
  // group.id's committed offset of each partition, -1 where none (Kafka's monitoring view).
  StatusOr<std::vector<int64_t>> committed(const std::vector<TopicPartition>& partitions);

 private:
  KafkaOffsets(std::unique_ptr<RdKafkaClient> client, std::chrono::milliseconds timeout);
  std::unique_ptr<RdKafkaClient> client_;
  std::chrono::milliseconds timeout_;
};

}  // namespace sluice::kafka
