// RDDNode<T>: an RDD whose records have type T, and the narrow (no-shuffle) node kinds.
// Records are pushed, one at a time, into an Emit<T> sink, so a chain of narrow
// transformations runs as one loop without intermediate vectors.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/serialize.h"
#include "rdd/rdd_base.h"
#include "rdd/shipping.h"

namespace sluice {

template <class T>
class RDDNode : public RDDBase {
 public:
  using value_type = T;
  using RDDBase::RDDBase;

  // Pushes split's records into emit. Throws on user or I/O errors (the task fails).
  virtual void compute(int split, TaskContext& ctx, Emit<T> emit) = 0;

  // compute(), or the cached copy when this RDD is persisted.
  void iterate(int split, TaskContext& ctx, Emit<T> emit) {
    if (storage_ == StorageLevel::kNone) {
      compute(split, ctx, emit);
      return;
    }
    auto cached = std::static_pointer_cast<const std::vector<T>>(ctx.getCachedPartition(id_, split));
    if (!cached) {
      auto rows = std::make_shared<std::vector<T>>();
      compute(split, ctx, [&](T&& x) { rows->push_back(std::move(x)); });
      ctx.putCachedPartition(id_, split, rows, static_cast<int64_t>(rows->size() * sizeof(T)));
      cached = rows;
    }
    for (const T& x : *cached) {
      T copy = x;
      emit(std::move(copy));
    }
  }

  void computeToBytes(int split, TaskContext& ctx, std::string* out) override {
    std::vector<T> rows;
    iterate(split, ctx, [&](T&& x) { rows.push_back(std::move(x)); });
    ctx.metrics().records_written += static_cast<int64_t>(rows.size());
    appendBytes(out, rows);
  }
};

// The user's data, cut into slices on the driver (sc.parallelize).
template <class T>
class ParallelCollectionRDD : public Registered<ParallelCollectionRDD<T>, RDDNode<T>> {
 public:
  ParallelCollectionRDD(int id, std::vector<std::vector<T>> slices)
      : Registered<ParallelCollectionRDD<T>, RDDNode<T>>(id, static_cast<int>(slices.size())),
        slices_(std::move(slices)) {}

  std::vector<Dependency> dependencies() const override { return {}; }
  std::string name() const override { return "ParallelCollectionRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<T> emit) override {
    for (const T& x : slices_.at(split)) {
      T copy = x;
      ++ctx.metrics().records_read;
      emit(std::move(copy));
    }
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w(slices_);
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    std::vector<std::vector<T>> slices;
    r(slices);
    auto node = std::make_shared<ParallelCollectionRDD>(base.id, std::move(slices));
    node->applyBase(base);
    return node;
  }

 private:
  std::vector<std::vector<T>> slices_;
};

// Record-at-a-time transformation: f(T&&, Emit<U>) may emit any number of records. map,
// flatMap, filter and the keyed value transformations are all this node.
template <class T, class U, class F>
class PipeRDD : public Registered<PipeRDD<T, U, F>, RDDNode<U>> {
 public:
  PipeRDD(int id, std::shared_ptr<RDDNode<T>> parent, F f)
      : Registered<PipeRDD<T, U, F>, RDDNode<U>>(id, parent->numPartitions()),
        parent_(std::move(parent)),
        f_(f) {}

  std::vector<Dependency> dependencies() const override { return {{parent_, nullptr}}; }
  std::vector<std::string> preferredLocations(int split) const override {
    return parent_->preferredLocations(split);
  }
  std::string name() const override { return "MapPartitionsRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<U> emit) override {
    parent_->iterate(split, ctx, [&](T&& x) { f_(std::move(x), emit); });
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w.writeNode(parent_.get());
    saveFunction(w.ar(), f_);
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    auto parent = r.readNodeAs<RDDNode<T>>();
    auto node = std::make_shared<PipeRDD>(base.id, std::move(parent), loadFunction<F>(r.ar()));
    node->applyBase(base);
    return node;
  }

 private:
  std::shared_ptr<RDDNode<T>> parent_;
  F f_;
};

// Concatenates the partitions of its parents (rdd.union).
template <class T>
class UnionRDD : public Registered<UnionRDD<T>, RDDNode<T>> {
 public:
  UnionRDD(int id, std::vector<std::shared_ptr<RDDNode<T>>> parents)
      : Registered<UnionRDD<T>, RDDNode<T>>(id, totalPartitions(parents)), parents_(std::move(parents)) {}

  std::vector<Dependency> dependencies() const override {
    std::vector<Dependency> deps;
    for (auto& p : parents_) deps.push_back({p, nullptr});
    return deps;
  }
  std::vector<std::string> preferredLocations(int split) const override {
    auto [parent, parent_split] = locate(split);
    return parents_[parent]->preferredLocations(parent_split);
  }
  std::string name() const override { return "UnionRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<T> emit) override {
    auto [parent, parent_split] = locate(split);
    parents_[parent]->iterate(parent_split, ctx, emit);
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w(static_cast<uint32_t>(parents_.size()));
    for (auto& p : parents_) w.writeNode(p.get());
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    uint32_t n;
    r(n);
    std::vector<std::shared_ptr<RDDNode<T>>> parents;
    for (uint32_t i = 0; i < n; ++i) parents.push_back(r.readNodeAs<RDDNode<T>>());
    auto node = std::make_shared<UnionRDD>(base.id, std::move(parents));
    node->applyBase(base);
    return node;
  }

 private:
  static int totalPartitions(const std::vector<std::shared_ptr<RDDNode<T>>>& parents) {
    int n = 0;
    for (auto& p : parents) n += p->numPartitions();
    return n;
  }
  std::pair<size_t, int> locate(int split) const {
    for (size_t i = 0; i < parents_.size(); ++i) {
      if (split < parents_[i]->numPartitions()) return {i, split};
      split -= parents_[i]->numPartitions();
    }
    throw std::out_of_range("UnionRDD split out of range");
  }

  std::vector<std::shared_ptr<RDDNode<T>>> parents_;
};

// Fewer partitions without a shuffle: child i reads a contiguous range of parent splits.
template <class T>
class CoalescedRDD : public Registered<CoalescedRDD<T>, RDDNode<T>> {
 public:
  CoalescedRDD(int id, std::shared_ptr<RDDNode<T>> parent, int num_partitions)
      : Registered<CoalescedRDD<T>, RDDNode<T>>(
            id, std::max(1, std::min(num_partitions, parent->numPartitions()))),
        parent_(std::move(parent)) {}

  std::vector<Dependency> dependencies() const override { return {{parent_, nullptr}}; }
  std::string name() const override { return "CoalescedRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<T> emit) override {
    int parents = parent_->numPartitions();
    int n = this->num_partitions_;
    int begin = static_cast<int>(int64_t{split} * parents / n);
    int end = static_cast<int>(int64_t{split + 1} * parents / n);
    for (int p = begin; p < end; ++p) parent_->iterate(p, ctx, emit);
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w.writeNode(parent_.get());
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    auto parent = r.readNodeAs<RDDNode<T>>();
    auto node = std::make_shared<CoalescedRDD>(base.id, std::move(parent), base.num_partitions);
    node->applyBase(base);
    return node;
  }

 private:
  std::shared_ptr<RDDNode<T>> parent_;
};

}  // namespace sluice
