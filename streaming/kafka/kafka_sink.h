// saveToKafka: an output to Kafka (the Kafka sink of output operations). Every task sends
// its partition's records to topic through a producer of its executor's pool
// (kafka_producer_pool.h: a producer per executor slot, reused across batches), waits for
// every delivery report, and fails, naming the topic and partition, when one failed: the
// batch's output operation then fails as any failed task does. Records are the values
// (std::string) or (key, value) pairs of strings. Delivery is at least once: a task that is
// retried sends its records again.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "common/serialize.h"
#include "rdd/broadcast.h"
#include "rdd/function_ref.h"
#include "rdd/rdd.h"
#include "streaming/kafka/kafka_params.h"

namespace sluice {

struct KafkaSinkSpec {
  KafkaParams params;
  std::string topic;
  template <class A> void serialize(A& ar) { ar(params, topic); }
};

namespace kafka {

using SendRecord = FunctionRef<void(const std::string& key, const std::string& value)>;
// Runs records(send) with a pooled producer for spec, then flushes; returns how many were
// delivered. Throws std::runtime_error (the task fails) when a record cannot be sent or
// delivered.
int64_t writePartition(const KafkaSinkSpec& spec, FunctionRef<void(SendRecord)> records);

}  // namespace kafka

// Sends every record of rdd to topic (a job; throws JobFailedError when a task fails).
template <class T>
void saveToKafka(const RDD<T>& rdd, const KafkaParams& params, const std::string& topic) {
  static_assert(std::is_same_v<T, std::string> || std::is_same_v<T, std::pair<std::string, std::string>>,
                "saveToKafka sends strings (values) or (key, value) pairs of strings");
  JobContext* ctx = rdd.context();
  KafkaSinkSpec spec{params, topic};
  // The spec travels as a broadcast (a map capture is not shippable), dropped after the job.
  auto shipped = Broadcast<KafkaSinkSpec>(ctx->newBroadcast(toBytes(spec), std::make_shared<KafkaSinkSpec>(spec)));
  struct DropBroadcast {
    JobContext* ctx;
    int64_t id;
    ~DropBroadcast() { ctx->cleanup(CleanupRequest::broadcast(id)); }
  } drop{ctx, shipped.id()};
  auto sent = rdd.template partitions<int64_t>([shipped](int, PartitionSource<T> source, Emit<int64_t> emit) {
    int64_t n = kafka::writePartition(shipped.value(), [&](kafka::SendRecord send) {
      source([&](T&& x) {
        if constexpr (std::is_same_v<T, std::string>) {
          send(std::string(), x);
        } else {
          send(x.first, x.second);
        }
      });
    });
    emit(std::move(n));
  });
  sent.collect();
}

}  // namespace sluice
