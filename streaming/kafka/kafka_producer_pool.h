// KafkaProducerPool: the producers of one process (an executor), so that the Kafka sink's
// tasks reuse connections across batches instead of opening one per task. A task takes a
// producer for its params (a new one when none is free), uses it alone, and gives it back
// after a successful flush; a producer that saw a failure is dropped instead, so that one
// task's failure is never reported by another. The pool holds at most as many producers per
// params as tasks ever ran at once.
//
// THREADING: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "common/status.h"
#include "streaming/kafka/kafka_params.h"
#include "streaming/kafka/kafka_producer.h"

namespace sluice::kafka {

class KafkaProducerPool {
 public:
  static KafkaProducerPool& instance();
  // A producer for params, pooled or new (InvalidArgument for bad params).
  StatusOr<std::unique_ptr<KafkaProducer>> take(const KafkaParams& params);
  // Returns a producer whose records were all delivered.
  void give(const KafkaParams& params, std::unique_ptr<KafkaProducer> producer);

 private:
  std::mutex mu_;
  std::map<KafkaParams, std::vector<std::unique_ptr<KafkaProducer>>> free_;
};

}  // namespace sluice::kafka
