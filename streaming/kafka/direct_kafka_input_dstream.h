// DirectKafkaInputDStream<T>: Spark's direct Kafka stream, no receiver. Each batch's RDD is a
// KafkaRDD with one partition per subscribed Kafka partition and the batch's offset range
// for each (direct_kafka_stream_core.h says how the ranges are chosen and logged).
//
// THREADING: compute() on the job generator's thread; commitAsync() from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "streaming/dstream/input_dstreams.h"
#include "streaming/kafka/direct_kafka_stream_core.h"
#include "streaming/kafka/kafka_rdd.h"

namespace sluice {

template <class T>
class DirectKafkaInputDStream : public InputDStream<T> {
 public:
  DirectKafkaInputDStream(StreamingContext* ssc, int id, Duration batch,
                          std::unique_ptr<kafka::DirectKafkaStreamCore> core)
      : InputDStream<T>(ssc, id, batch), core_(std::move(core)) {}
  std::string name() const override { return "DirectKafkaInputDStream"; }
  std::vector<Time> recoverFrom(const std::string& checkpoint_dir) override {
    return core_->recoverFrom(checkpoint_dir);
  }
  // Spark's CanCommitOffsets.commitAsync: the ranges' until offsets go to group.id's
  // committed offsets when the next batch is generated. Failures are logged.
  void commitAsync(std::vector<OffsetRange> ranges) { core_->commitAsync(std::move(ranges)); }
  kafka::DirectKafkaStreamCore& core() { return *core_; }

 protected:
  std::optional<RDD<T>> compute(Time t) override {
    int64_t interval_ms = this->slideDuration().ms;
    if (this->variableIntervals()) {
      if (previous_ < 0 || previous_ >= t) previous_ = std::max(this->zeroTime(), t - interval_ms);
      interval_ms = t - previous_;
    }
    previous_ = t;
    std::vector<OffsetRange> ranges = core_->rangesFor(t, interval_ms);
    int64_t records = 0;
    for (const OffsetRange& r : ranges) records += r.count();
    this->setRecords(t, records);
    JobContext* ctx = this->jobContext();
    return RDD<T>(ctx, std::make_shared<KafkaRDD<T>>(ctx->newRddId(), core_->params(), std::move(ranges),
                                                     core_->pollMs()));
  }

 private:
  std::unique_ptr<kafka::DirectKafkaStreamCore> core_;
  Time previous_ = -1;
};

}  // namespace sluice
