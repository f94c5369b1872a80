// Input streams that need no receiver: queueStream (RDDs the user pushes, as in Spark's
// tests; bounded by streaming.receiver.maxRate) — and the InputStream adapter every input
// stream uses.
#pragma once

#include <deque>
#include <map>
#include <mutex>

#include "streaming/dstream/dstream_graph.h"
#include "streaming/dstream/dstream_node.h"
#include "streaming/dstream/queue_rate_bound.h"

namespace sluice {

// A thread-safe queue of RDDs for queueStream().
template <class T>
class RDDQueue {
 public:
  void push(RDD<T> rdd) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(rdd));
  }
  std::optional<RDD<T>> pop() {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) return std::nullopt;
    RDD<T> r = queue_.front();
    queue_.pop_front();
    return r;
  }
  std::vector<RDD<T>> popAll() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<RDD<T>> all(queue_.begin(), queue_.end());
    queue_.clear();
    return all;
  }

 private:
  std::mutex mu_;
  std::deque<RDD<T>> queue_;
};

// Base of input streams: a slide of one batch, no parents, and the per-batch record counts
// the batch metrics report.
template <class T>
class InputDStream : public DStreamNode<T> {
 public:
  InputDStream(StreamingContext* ssc, int id, Duration batch) : DStreamNode<T>(ssc), id_(id), batch_(batch) {}
  Duration slideDuration() const override { return batch_; }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override { return {}; }
  int id() const { return id_; }
  // InputStream::recoverFrom().
  virtual std::vector<Time> recoverFrom(const std::string& /*checkpoint_dir*/) { return {}; }
  int64_t recordsAt(Time t) const {
    std::lock_guard<std::mutex> lock(this->mu_);
    auto it = records_.find(t);
    return it == records_.end() ? 0 : it->second;
  }

 protected:
  void setRecords(Time t, int64_t n) {
    std::lock_guard<std::mutex> lock(this->mu_);
    records_[t] = n;
    while (records_.size() > 1000) records_.erase(records_.begin());
  }

 private:
  int id_;
  Duration batch_;
  std::map<Time, int64_t> records_;
};

// Registers an InputDStream<T> node with the graph.
template <class T>
class InputStreamAdapter : public InputStream {
 public:
  explicit InputStreamAdapter(std::shared_ptr<InputDStream<T>> node) : node_(std::move(node)) {}
  std::shared_ptr<DStreamBase> stream() override { return node_; }
  int id() const override { return node_->id(); }
  int64_t recordsAt(Time t) const override { return node_->recordsAt(t); }
  std::vector<Time> recoverFrom(const std::string& checkpoint_dir) override { return node_->recoverFrom(checkpoint_dir); }

 private:
  std::shared_ptr<InputDStream<T>> node_;
};

// max_rate > 0 (streaming.receiver.maxRate) bounds each batch to max_rate x interval
// records (queue_rate_bound.h); the default RDD, given when nothing is queued, is not
// bounded.
template <class T>
class QueueInputDStream : public InputDStream<T> {
 public:
  QueueInputDStream(StreamingContext* ssc, int id, Duration batch, std::shared_ptr<RDDQueue<T>> queue,
                    bool one_at_a_time, std::optional<RDD<T>> default_rdd, int64_t max_rate = 0)
      : InputDStream<T>(ssc, id, batch), queue_(std::move(queue)), one_at_a_time_(one_at_a_time),
        default_(std::move(default_rdd)) {
    if (max_rate > 0) bound_.emplace(max_rate);
  }
  std::string name() const override { return "QueueInputDStream"; }

 protected:
  std::optional<RDD<T>> compute(Time t) override {
    std::vector<RDD<T>> rdds;
    // The time this batch covers: one interval, or with an adaptive interval its own (the
    // first batch: at most the first interval).
    int64_t interval_ms = this->slideDuration().ms;
    if (this->variableIntervals()) {
      if (previous_ < 0 || previous_ >= t) previous_ = std::max(this->zeroTime(), t - interval_ms);
      interval_ms = t - previous_;
    }
    if (bound_) {
      int64_t taken = 0;
      rdds = bound_->take(*queue_, one_at_a_time_, interval_ms, &taken);
      this->setRecords(t, taken);
    } else if (one_at_a_time_) {
      if (auto r = queue_->pop()) rdds.push_back(*r);
    } else {
      rdds = queue_->popAll();
    }
    previous_ = t;
    if (rdds.empty() && default_) return default_;
    return unionAll(this->jobContext(), rdds);
  }

 private:
  std::shared_ptr<RDDQueue<T>> queue_;
  bool one_at_a_time_;
  std::optional<RDD<T>> default_;
  std::optional<QueueRateBound<T>> bound_;
  Time previous_ = -1;  // the last batch time computed
};

}  // namespace sluice
