// The shuffle: ShuffleDependency (map side: bucket records by partitioner, combining them
// first when the aggregator allows) and ShuffledRDD (reduce side: read every map output's
// bucket for this partition and merge). Buckets are Cereal-encoded std::vector<pair<K,X>>
// where X is C after a map-side combine and V otherwise.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rdd/combine_map.h"
#include "rdd/partitioner.h"
#include "rdd/rdd_node.h"

namespace sluice {

// No aggregation: the reduce side emits the (K, V) records as they arrive.
template <class V>
struct NoAggregator {
  static constexpr bool kAggregates = false;
  static constexpr bool kMapSideCombine = false;
  using Combiner = V;
  void save(cereal::BinaryOutputArchive&) const {}
  static NoAggregator load(BoundedInputArchive&) { return {}; }
};

// combineByKey's three functions: create(V) -> C, mergeValue(C&, V), mergeCombiners(C&, C).
// mergeValue and mergeCombiners update the combiner in place.
template <class V, class C, class Create, class MergeValue, class MergeCombiners, bool kCombine>
struct Aggregator {
  static constexpr bool kAggregates = true;
  static constexpr bool kMapSideCombine = kCombine;
  using Combiner = C;
  Create create;
  MergeValue merge_value;
  MergeCombiners merge_combiners;

  void save(cereal::BinaryOutputArchive& ar) const {
    saveFunction(ar, create);
    saveFunction(ar, merge_value);
    saveFunction(ar, merge_combiners);
  }
  static Aggregator load(BoundedInputArchive& ar) {
    Create c = loadFunction<Create>(ar);
    MergeValue mv = loadFunction<MergeValue>(ar);
    MergeCombiners mc = loadFunction<MergeCombiners>(ar);
    return Aggregator{c, mv, mc};
  }
};

template <class K, class V, class Agg>
class ShuffleDependency : public Registered<ShuffleDependency<K, V, Agg>, ShuffleDependencyBase> {
 public:
  using C = typename Agg::Combiner;
  using Base = Registered<ShuffleDependency<K, V, Agg>, ShuffleDependencyBase>;

  ShuffleDependency(int shuffle_id, std::shared_ptr<RDDNode<std::pair<K, V>>> parent,
                    Partitioner<K> partitioner, Agg agg)
      : Base(shuffle_id, partitioner.num_partitions),
        parent_(std::move(parent)),
        partitioner_(std::move(partitioner)),
        agg_(agg) {}

  std::shared_ptr<RDDBase> mapSide() const override { return parent_; }
  const Partitioner<K>& partitioner() const { return partitioner_; }
  const Agg& aggregator() const { return agg_; }

  void runMapTask(int map_id, TaskContext& ctx) const override {
    int n = partitioner_.num_partitions;
    std::vector<std::string> buckets(n);
    if constexpr (Agg::kMapSideCombine) {
      CombineMap<K, V, Agg> combined(agg_);
      parent_->iterate(map_id, ctx, [&](std::pair<K, V>&& kv) {
        combined.addValue(std::move(kv.first), std::move(kv.second));
      });
      std::vector<std::vector<std::pair<K, C>>> rows(n);
      for (auto& [k, c] : combined.entries()) {
        rows[partitioner_.partition(k)].emplace_back(k, std::move(c));
      }
      encodeBuckets(rows, buckets, ctx);
    } else {
      std::vector<std::vector<std::pair<K, V>>> rows(n);
      parent_->iterate(map_id, ctx, [&](std::pair<K, V>&& kv) {
        int p = partitioner_.partition(kv.first);
        rows[p].push_back(std::move(kv));
      });
      encodeBuckets(rows, buckets, ctx);
    }
    ctx.writeShuffle(this->shuffle_id_, map_id, std::move(buckets));
  }

  void save(LineageWriter& w) const override {
    w(this->shuffle_id_);
    w.writeNode(parent_.get());
    w(partitioner_);
    agg_.save(w.ar());
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    int shuffle_id;
    r(shuffle_id);
    auto parent = r.readNodeAs<RDDNode<std::pair<K, V>>>();
    Partitioner<K> partitioner;
    r(partitioner);
    Agg agg = Agg::load(r.ar());
    return std::make_shared<ShuffleDependency>(shuffle_id, std::move(parent), std::move(partitioner), agg);
  }

 private:
  template <class Rows>
  static void encodeBuckets(const std::vector<Rows>& rows, std::vector<std::string>& buckets,
                            TaskContext& ctx) {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].empty()) continue;
      ctx.metrics().records_written += static_cast<int64_t>(rows[i].size());
      buckets[i] = toBytes(rows[i]);
      ctx.metrics().shuffle_bytes_written += static_cast<int64_t>(buckets[i].size());
    }
  }

  std::shared_ptr<RDDNode<std::pair<K, V>>> parent_;
  Partitioner<K> partitioner_;
  Agg agg_;
};

// The reduce side. On executors the dependency (and so the map-side lineage) is absent:
// the task needs only the shuffle id and the aggregator.
template <class K, class V, class Agg>
class ShuffledRDD
    : public Registered<ShuffledRDD<K, V, Agg>, RDDNode<std::pair<K, typename Agg::Combiner>>> {
 public:
  using C = typename Agg::Combiner;
  using Out = std::pair<K, C>;
  using Base = Registered<ShuffledRDD<K, V, Agg>, RDDNode<Out>>;
  using Dep = ShuffleDependency<K, V, Agg>;

  ShuffledRDD(int id, std::shared_ptr<Dep> dep)
      : Base(id, dep->numReducePartitions()), shuffle_id_(dep->shuffleId()), agg_(dep->aggregator()), dep_(std::move(dep)) {}
  ShuffledRDD(int id, int num_partitions, int shuffle_id, Agg agg)
      : Base(id, num_partitions), shuffle_id_(shuffle_id), agg_(agg) {}

  std::vector<Dependency> dependencies() const override { return {{nullptr, dep_}}; }
  std::string name() const override { return "ShuffledRDD[" + std::to_string(this->id_) + "]"; }
  int shuffleId() const { return shuffle_id_; }

  void compute(int split, TaskContext& ctx, Emit<Out> emit) override {
    if constexpr (!Agg::kAggregates) {
      readRows<std::pair<K, V>>(split, ctx, [&](std::pair<K, V>&& kv) { emit(std::move(kv)); });
    } else {
      CombineMap<K, V, Agg> combined(agg_);
      if constexpr (Agg::kMapSideCombine) {
        readRows<Out>(split, ctx, [&](Out&& kc) {
          combined.addCombiner(std::move(kc.first), std::move(kc.second));
        });
      } else {
        readRows<std::pair<K, V>>(split, ctx, [&](std::pair<K, V>&& kv) {
          combined.addValue(std::move(kv.first), std::move(kv.second));
        });
      }
      for (auto& [k, c] : combined.entries()) {
        Out out(k, std::move(c));
        emit(std::move(out));
      }
    }
  }

  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w(shuffle_id_);
    agg_.save(w.ar());
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    int shuffle_id;
    r(shuffle_id);
    Agg agg = Agg::load(r.ar());
    auto node = std::make_shared<ShuffledRDD>(base.id, base.num_partitions, shuffle_id, agg);
    node->applyBase(base);
    return node;
  }

 private:
  template <class Row, class Fn>
  void readRows(int split, TaskContext& ctx, Fn&& fn) {
    ctx.readShuffle(shuffle_id_, split, [&](std::string_view block) {
      std::vector<Row> rows;
      Status st = fromBytes(block, rows);
      if (!st) throw std::runtime_error("corrupt shuffle block: " + st.message());
      ctx.metrics().records_read += static_cast<int64_t>(rows.size());
      for (Row& row : rows) fn(std::move(row));
    });
  }

  int shuffle_id_;
  Agg agg_;
  std::shared_ptr<Dep> dep_;
};

}  // namespace sluice
