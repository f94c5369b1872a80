// ReducedWindowedDStream: reduceByKeyAndWindow with an inverse function (Spark's
// ReducedWindowedDStream). Each window's values come from the previous window's by
// removing ("inverse reducing") the batches that slid out and adding the ones that slid
// in. Keys whose value drops to the neutral value stay unless the filter removes them.
#pragma once

#include "streaming/dstream/dstream_node.h"

namespace sluice {

// For each key, its values in each of rdds (index i holds rdds[i]'s values): an N-way
// cogroup through one shuffle.
template <class K, class V>
RDD<std::pair<K, std::vector<std::vector<V>>>> cogroupMany(JobContext* ctx, const std::vector<RDD<std::pair<K, V>>>& rdds,
                                                           int num_partitions) {
  using Tagged = std::pair<int, V>;
  std::vector<RDD<std::pair<K, Tagged>>> tagged;
  for (int i = 0; i < static_cast<int>(rdds.size()); ++i) {
    tagged.push_back(rdds[i].map([i](std::pair<K, V>&& kv) {
      return std::pair<K, Tagged>(std::move(kv.first), Tagged(i, std::move(kv.second)));
    }));
  }
  int n = static_cast<int>(rdds.size());
  return unionAll(ctx, tagged).groupByKey(num_partitions).mapValues([n](std::vector<Tagged>&& values) {
    std::vector<std::vector<V>> out(n);
    for (auto& [i, v] : values) out[i].push_back(std::move(v));
    return out;
  });
}

template <class K, class V, class Reduce, class Inverse, class Filter>
class ReducedWindowedDStream : public DStreamNode<std::pair<K, V>> {
 public:
  using KV = std::pair<K, V>;
  // parent: the per-batch reduced stream (at most one value per key per batch). window and
  // slide must be multiples of the parent's slide: DStreamGraph::validate() checks it at
  // start().
  ReducedWindowedDStream(std::shared_ptr<DStreamNode<KV>> parent, Reduce reduce, Inverse inverse, Filter filter,
                         bool has_filter, Duration window, Duration slide, int num_partitions)
      : DStreamNode<KV>(parent->context()), parent_(std::move(parent)), reduce_(reduce), inverse_(inverse),
        filter_(filter), has_filter_(has_filter), window_(window), slide_(slide), num_partitions_(num_partitions) {
    this->registerStateful();
  }

  Duration slideDuration() const override { return slide_; }
  std::optional<Duration> windowDuration() const override { return window_; }
  Duration lookBackDuration() const override { return window_ + slide_; }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {parent_}; }
  std::string name() const override { return "ReducedWindowedDStream"; }

 protected:
  std::optional<RDD<KV>> compute(Time t) override {
    JobContext* ctx = this->jobContext();
    // Batches that left the window: (t - window - slide, t - window]; entered: (t - slide, t].
    auto old_rdds = sliceOf(*parent_, t - window_.ms - slide_.ms, t - window_.ms);
    auto new_rdds = sliceOf(*parent_, t - slide_.ms, t);
    std::optional<RDD<KV>> previous;
    if (t - slide_.ms > this->zeroTime()) previous = this->getOrCompute(t - slide_.ms);
    std::vector<RDD<KV>> all{previous ? *previous : emptyRDD<KV>(ctx)};
    all.insert(all.end(), old_rdds.begin(), old_rdds.end());
    all.insert(all.end(), new_rdds.begin(), new_rdds.end());
    int num_old = static_cast<int>(old_rdds.size());
    Reduce f = reduce_;
    Inverse inv = inverse_;
    auto merged = cogroupMany(ctx, all, num_partitions_).mapValues([f, inv, num_old](std::vector<std::vector<V>>&& vs) mutable {
      std::optional<V> old_sum, new_sum;
      for (size_t i = 1; i < vs.size(); ++i) {
        if (vs[i].empty()) continue;
        auto& sum = static_cast<int>(i) <= num_old ? old_sum : new_sum;
        sum = sum ? f(std::move(*sum), std::move(vs[i].front())) : std::move(vs[i].front());
      }
      if (vs[0].empty()) {
        if (!new_sum) {
          throw std::runtime_error(
              "reduceByKeyAndWindow: a key whose old values leave the window has no value in the previous window "
              "nor in the new batches; the filter function probably dropped it while values of it were still in "
              "the window (e.g. they added up to zero). A key type that does not hash or compare consistently "
              "causes this too.");
        }
        return std::move(*new_sum);
      }
      V value = std::move(vs[0].front());
      if (old_sum) value = inv(std::move(value), std::move(*old_sum));
      if (new_sum) value = f(std::move(value), std::move(*new_sum));
      return value;
    });
    // Cached as Spark persists it: the next window is computed from this one.
    if (!has_filter_) return merged.cache();
    Filter keep = filter_;
    return merged.filter([keep](const KV& kv) mutable { return keep(kv); }).cache();
  }

 private:
  std::shared_ptr<DStreamNode<KV>> parent_;
  Reduce reduce_;
  Inverse inverse_;
  Filter filter_;
  bool has_filter_;
  Duration window_;
  Duration slide_;
  int num_partitions_;
};

}  // namespace sluice
