// PartitionsRDD: a whole-partition transformation that pulls the parent's records through
// a PartitionSource and pushes its output into an Emit, so that count(), foreach() and
// saveAsTextFile() never hold a partition in memory. mapPartitions, glom and the
// per-partition halves of actions are all this node.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rdd/rdd_node.h"

namespace sluice {

// Calling source(emit) pushes every record of the parent partition into emit, once.
template <class T>
using PartitionSource = FunctionRef<void(Emit<T>)>;

// f(int split, PartitionSource<T> source, Emit<U> emit).
template <class T, class U, class F>
class PartitionsRDD : public Registered<PartitionsRDD<T, U, F>, RDDNode<U>> {
 public:
  PartitionsRDD(int id, std::shared_ptr<RDDNode<T>> parent, F f)
      : Registered<PartitionsRDD<T, U, F>, RDDNode<U>>(id, parent->numPartitions()),
        parent_(std::move(parent)),
        f_(f) {}

  std::vector<Dependency> dependencies() const override { return {{parent_, nullptr}}; }
  std::vector<std::string> preferredLocations(int split) const override {
    return parent_->preferredLocations(split);
  }
  std::string name() const override { return "MapPartitionsRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<U> emit) override {
    auto source = [&](Emit<T> each) { parent_->iterate(split, ctx, each); };
    f_(split, PartitionSource<T>(source), emit);
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w.writeNode(parent_.get());
    saveFunction(w.ar(), f_);
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    auto parent = r.readNodeAs<RDDNode<T>>();
    auto node = std::make_shared<PartitionsRDD>(base.id, std::move(parent), loadFunction<F>(r.ar()));
    node->applyBase(base);
    return node;
  }

 private:
  std::shared_ptr<RDDNode<T>> parent_;
  F f_;
};

}  // namespace sluice
