// Output operations: foreachRDD and what is built on it (print, saveAsTextFiles).
#pragma once

#include <functional>

#include "driver/dstream_graph.h"
#include "driver/dstream_node.h"

namespace sluice {

template <class T>
class ForEachOutput : public OutputStream {
 public:
  using Fn = std::function<void(const RDD<T>&, Time)>;
  ForEachOutput(std::shared_ptr<DStreamNode<T>> parent, Fn f, int id, std::string name)
      : parent_(std::move(parent)), f_(std::move(f)), id_(id), name_(std::move(name)) {}

  std::shared_ptr<DStreamBase> stream() override { return parent_; }
  std::optional<StreamingJob> generateJob(Time t) override {
    auto rdd = parent_->getOrCompute(t);
    if (!rdd) return std::nullopt;
    Fn f = f_;
    RDD<T> r = *rdd;
    return StreamingJob{t, id_, name_, [f, r, t] { f(r, t); }};
  }

 private:
  std::shared_ptr<DStreamNode<T>> parent_;
  Fn f_;
  int id_;
  std::string name_;
};

}  // namespace sluice
