// OffsetRange: the records [from, until) of one Kafka topic partition that one batch reads
// (Spark's OffsetRange). A direct Kafka stream's batch RDD has one partition per range,
// and a range's offsets are fixed when the batch is generated, so that re-running the
// batch reads exactly the same records.
#pragma once

#include <cstdint>
#include <string>

namespace sluice {

struct OffsetRange {
  std::string topic;
  int32_t partition = 0;
  int64_t from = 0;   // the first offset read
  int64_t until = 0;  // one past the last offset read
  int64_t count() const { return until - from; }
  // "topic-partition [from, until)", for log lines and errors.
  std::string describe() const {
    return topic + "-" + std::to_string(partition) + " [" + std::to_string(from) + ", " + std::to_string(until) + ")";
  }
  bool operator==(const OffsetRange&) const = default;
  template <class A> void serialize(A& ar) { ar(topic, partition, from, until); }
};

}  // namespace sluice
