// RDDBase: the type-erased face of an RDD that the DAGScheduler and the executors use.
// RDDNode<T> (rdd/rdd_node.h) adds the typed compute path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rdd/node.h"
#include "rdd/task_context.h"

namespace sluice {

class RDDBase;

// The map side of a shuffle: which RDD feeds it and how its records are bucketed.
class ShuffleDependencyBase : public Node {
 public:
  ShuffleDependencyBase(int shuffle_id, int num_reduce_partitions)
      : shuffle_id_(shuffle_id), num_reduce_partitions_(num_reduce_partitions) {}
  int shuffleId() const { return shuffle_id_; }
  int numReducePartitions() const { return num_reduce_partitions_; }
  virtual std::shared_ptr<RDDBase> mapSide() const = 0;
  // Computes partition map_id of mapSide() and writes its buckets through ctx.
  virtual void runMapTask(int map_id, TaskContext& ctx) const = 0;

 protected:
  int shuffle_id_;
  int num_reduce_partitions_;
};

struct Dependency {
  // Exactly one of the two is set.
  std::shared_ptr<RDDBase> narrow_parent;
  std::shared_ptr<ShuffleDependencyBase> shuffle;
};

enum class StorageLevel : uint8_t { kNone = 0, kMemoryOnly = 1 };

class RDDBase : public Node {
 public:
  RDDBase(int id, int num_partitions) : id_(id), num_partitions_(num_partitions) {}
  int id() const { return id_; }
  int numPartitions() const { return num_partitions_; }
  StorageLevel storageLevel() const { return storage_; }
  void setStorageLevel(StorageLevel level) { storage_ = level; }

  virtual std::vector<Dependency> dependencies() const = 0;
  // Hosts or executors ("host" / "executor:<id>") that hold split's input; may be empty.
  virtual std::vector<std::string> preferredLocations(int /*split*/) const { return {}; }
  // Computes split and appends the Cereal encoding of its records (a std::vector<T>).
  virtual void computeToBytes(int split, TaskContext& ctx, std::string* out) = 0;
  // A short name for logs and the UI ("MapPartitionsRDD[3]").
  virtual std::string name() const = 0;

 protected:
  // Every node saves these first, then its own fields.
  void saveBase(LineageWriter& w) const { w(id_, num_partitions_, static_cast<uint8_t>(storage_)); }
  struct BaseFields {
    int id = 0;
    int num_partitions = 0;
    uint8_t storage = 0;
  };
  static BaseFields loadBase(LineageReader& r) {
    BaseFields f;
    r(f.id, f.num_partitions, f.storage);
    return f;
  }
  void applyBase(const BaseFields& f) { storage_ = static_cast<StorageLevel>(f.storage); }

  int id_;
  int num_partitions_;
  StorageLevel storage_ = StorageLevel::kNone;
};

}  // namespace sluice
