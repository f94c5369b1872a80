// KafkaUtils: Spark's KafkaUtils.createDirectStream for Sluice applications.
//
//   auto lines = KafkaUtils::createDirectValueStream(ssc, {{"bootstrap.servers", brokers}}, {"events"});
//   auto pairs = KafkaUtils::createDirectStream(ssc, params, {"events"});      // (key, value)
//   pairs.foreachRDD([pairs](const RDD<std::pair<std::string, std::string>>& rdd, Time) {
//     auto ranges = offsetRanges(rdd);   // Spark's HasOffsetRanges
//     ... output ...
//     KafkaUtils::commitAsync(pairs, ranges);
//   });
//
// Every batch reads, for every partition of the subscribed topics, the offsets from where
// the previous batch ended to the latest (bounded by streaming.kafka.maxRatePerPartition
// and backpressure). params are librdkafka's settings (bootstrap.servers is needed;
// group.id for commitAsync; auto.offset.reset=earliest to start at the beginning), and
// --conf kafka.<setting>=... adds to them. With a checkpoint directory each batch's ranges
// are logged before it runs, and a restarted driver re-runs the batches that had not
// completed on the same ranges.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "streaming/kafka/direct_kafka_input_dstream.h"
#include "streaming/kafka/kafka_params.h"
#include "streaming/kafka/kafka_sink.h"
#include "streaming/streaming_context.h"

namespace sluice {

class KafkaUtils {
 public:
  using KeyValue = std::pair<std::string, std::string>;

  // (key, value) records of topics (a missing key reads as ""). Throws
  // std::invalid_argument for no topic, std::logic_error after start().
  static DStream<KeyValue> createDirectStream(StreamingContext& ssc, const KafkaParams& params,
                                              const std::vector<std::string>& topics) {
    return make<KeyValue>(ssc, params, {topics, ""});
  }
  // The values alone.
  static DStream<std::string> createDirectValueStream(StreamingContext& ssc, const KafkaParams& params,
                                                      const std::vector<std::string>& topics) {
    return make<std::string>(ssc, params, {topics, ""});
  }
  // Every topic whose whole name matches pattern (ECMAScript regex), topics created later
  // included (Spark's SubscribePattern).
  static DStream<KeyValue> createDirectStreamPattern(StreamingContext& ssc, const KafkaParams& params,
                                                     const std::string& pattern) {
    return make<KeyValue>(ssc, params, {{}, pattern});
  }

  // An output operation: every batch's records of stream (values, or (key, value) pairs of
  // strings) go to topic (kafka_sink.h); params as for createDirectStream, the conf's
  // kafka.* included. A failed delivery fails the batch's output operation.
  template <class T>
  static void writeToKafka(const DStream<T>& stream, const KafkaParams& params, const std::string& topic) {
    KafkaParams resolved = kafka::resolveParams(stream.context()->context().conf(), params);
    stream.foreachRDD([resolved, topic](const RDD<T>& rdd) { saveToKafka(rdd, resolved, topic); }, "writeToKafka");
  }

  // Spark's CanCommitOffsets.commitAsync on a stream createDirectStream made.
  template <class T>
  static void commitAsync(const DStream<T>& stream, std::vector<OffsetRange> ranges) {
    auto direct = std::dynamic_pointer_cast<DirectKafkaInputDStream<T>>(stream.node());
    if (!direct) throw std::invalid_argument("commitAsync needs the stream createDirectStream returned");
    direct->commitAsync(std::move(ranges));
  }

 private:
  template <class T>
  static DStream<T> make(StreamingContext& ssc, const KafkaParams& params, kafka::Subscription subscription) {
    if (ssc.state() != StreamingContext::State::kInitialized) {
      throw std::logic_error("add input streams before StreamingContext::start()");
    }
    int id = ssc.graph().nextInputId();
    auto core = kafka::DirectKafkaStreamCore::create(id, kafka::resolveParams(ssc.context().conf(), params),
                                                     std::move(subscription), ssc.context().conf(),
                                                     ssc.batchDuration());
    if (!core) throw std::invalid_argument(core.status().message());
    ssc.addStreamingListener(core->get());
    auto node = std::make_shared<DirectKafkaInputDStream<T>>(&ssc, id, ssc.batchDuration(), std::move(*core));
    ssc.graph().addInput(std::make_shared<InputStreamAdapter<T>>(node));
    return DStream<T>(&ssc, node);
  }
};

}  // namespace sluice
