// KafkaRDD<T>: the batch RDD of a direct Kafka stream (Spark's KafkaRDD): one partition per
// OffsetRange, each task reading exactly its range (range_reader.h). T is
// std::pair<std::string, std::string> (key, value) or std::string (the value). It prefers
// no host. Lineage fields (rdd/LINEAGE.md): base, the Kafka params, the ranges, the poll
// timeout in ms.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/serialize.h"
#include "rdd/rdd.h"
#include "rdd/rdd_node.h"
#include "rdd/task_context.h"
#include "streaming/kafka/kafka_params.h"
#include "streaming/kafka/offset_range.h"
#include "streaming/kafka/range_reader.h"

namespace sluice {

template <class T>
class KafkaRDD : public Registered<KafkaRDD<T>, RDDNode<T>> {
  static_assert(std::is_same_v<T, std::string> || std::is_same_v<T, std::pair<std::string, std::string>>,
                "a Kafka stream's records are (key, value) pairs of strings or the values alone");

 public:
  KafkaRDD(int id, KafkaParams params, std::vector<OffsetRange> ranges, int64_t poll_ms)
      : Registered<KafkaRDD<T>, RDDNode<T>>(id, static_cast<int>(ranges.size())),
        params_(std::move(params)),
        ranges_(std::move(ranges)),
        poll_ms_(poll_ms) {}

  const std::vector<OffsetRange>& offsetRanges() const { return ranges_; }
  std::vector<Dependency> dependencies() const override { return {}; }
  std::string name() const override { return "KafkaRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<T> emit) override {
    int64_t n = 0;
    Status st = kafka::readRange(params_, ranges_.at(split), std::chrono::milliseconds(poll_ms_),
                                 [&](std::string&& key, std::string&& value) {
                                   ++n;
                                   if constexpr (std::is_same_v<T, std::string>) {
                                     emit(std::move(value));
                                   } else {
                                     emit(std::make_pair(std::move(key), std::move(value)));
                                   }
                                 });
    ctx.metrics().records_read += n;
    if (!st) throw std::runtime_error(st.message());
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w(params_, ranges_, poll_ms_);
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    KafkaParams params;
    std::vector<OffsetRange> ranges;
    int64_t poll_ms = 0;
    r(params, ranges, poll_ms);
    auto node = std::make_shared<KafkaRDD>(base.id, std::move(params), std::move(ranges), poll_ms);
    node->applyBase(base);
    return node;
  }

 private:
  KafkaParams params_;
  std::vector<OffsetRange> ranges_;
  int64_t poll_ms_;
};

// Spark's HasOffsetRanges: the ranges of a direct Kafka stream's batch RDD (the RDD that
// foreachRDD or transform gets straight from the stream, before any transformation), empty
// for any other RDD.
template <class T>
std::vector<OffsetRange> offsetRanges(const RDD<T>& rdd) {
  if (auto kafka = std::dynamic_pointer_cast<KafkaRDD<T>>(rdd.node())) return kafka->offsetRanges();
  return {};
}

}  // namespace sluice
