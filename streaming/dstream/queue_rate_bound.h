// QueueRateBound<T>: streaming.receiver.maxRate for queueStream, which has no receiver to
// slow down: each batch takes at most maxRate x batch interval records from the queue's
// RDDs, and whatever is left of an RDD stays, in order, for the next batches. Nothing is
// dropped.
//
// To split an RDD it must know how many records each of its partitions holds: the first
// time an RDD is taken from the queue, one small job counts them (the RDD is computed once
// more when its slices run; queueStream's RDDs are test and replay data). A slice is a
// range of the RDD's records, cut by partition index and offset, so a slice's records are
// the RDD's own, in its order.
//
// With one_at_a_time (queueStream's default), a batch takes from one RDD only, the rest of
// an RDD begun earlier or the next one. The budget of a batch whose rate gives less than
// one record is carried over, so that maxRate holds on average.
//
// THREADING: take() is called by the stream's compute(), one batch at a time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <numeric>
#include <optional>
#include <vector>

#include "rdd/rdd.h"

namespace sluice {

template <class T>
class RDDQueue;

template <class T>
class QueueRateBound {
 public:
  // max_rate: records per second, > 0.
  explicit QueueRateBound(int64_t max_rate) : max_rate_(static_cast<double>(max_rate)) {}

  // The slices of queued RDDs that make the next batch, which covers interval_ms (the batch
  // interval; with an adaptive one, this batch's); *taken is their record count.
  std::vector<RDD<T>> take(RDDQueue<T>& queue, bool one_at_a_time, int64_t interval_ms, int64_t* taken) {
    // Credit carries a fraction of a record over, never a whole batch's worth.
    double per_batch = max_rate_ * static_cast<double>(interval_ms) / 1000.0;
    credit_ = std::min(credit_ + per_batch, std::max(per_batch, 1.0));
    int64_t budget = static_cast<int64_t>(credit_);
    std::vector<RDD<T>> slices;
    *taken = 0;
    while (budget > 0 || (one_at_a_time && slices.empty())) {
      if (pending_.empty()) {
        auto next = queue.pop();
        if (!next) break;
        pending_.push_back(counted(std::move(*next)));
      }
      Pending& front = pending_.front();
      int64_t n = std::min(front.total - front.offset, budget);
      if (n > 0) {
        slices.push_back(slice(front, front.offset, front.offset + n));
        front.offset += n;
        budget -= n;
        *taken += n;
      }
      if (front.offset < front.total) break;  // the budget is spent; the rest waits
      if (n == 0 && front.total == 0 && slices.empty()) slices.push_back(front.rdd);  // an empty RDD is a batch too
      pending_.pop_front();
      if (one_at_a_time) break;
    }
    credit_ -= static_cast<double>(*taken);
    return slices;
  }

 private:
  struct Pending {
    RDD<T> rdd;
    std::vector<int64_t> counts;  // records of each partition
    int64_t total = 0;
    int64_t offset = 0;  // records already taken, from the first partition on
  };
  // The records [from, to) of p.rdd, by partition index and offset.
  struct Range {
    int32_t first_part, last_part;
    int64_t first_offset, last_end;  // in first_part from first_offset, in last_part up to last_end
  };

  static Pending counted(RDD<T> rdd) {
    Pending p{std::move(rdd), {}, 0, 0};
    p.counts = p.rdd.mapPartitions([](std::vector<T>&& rows) {
      return std::vector<int64_t>{static_cast<int64_t>(rows.size())};
    }).collect();
    p.total = std::accumulate(p.counts.begin(), p.counts.end(), int64_t{0});
    return p;
  }

  static RDD<T> slice(const Pending& p, int64_t from, int64_t to) {
    if (from == 0 && to == p.total) return p.rdd;
    Range r{-1, -1, 0, 0};
    int64_t start = 0;
    for (int32_t i = 0; i < static_cast<int32_t>(p.counts.size()); ++i) {
      int64_t end = start + p.counts[i];
      if (r.first_part < 0 && from < end) {
        r.first_part = i;
        r.first_offset = from - start;
      }
      if (to <= end) {
        r.last_part = i;
        r.last_end = to - start;
        break;
      }
      start = end;
    }
    return p.rdd.mapPartitionsWithIndex([r](int part, std::vector<T>&& rows) {
      if (part < r.first_part || part > r.last_part) return std::vector<T>{};
      auto begin = rows.begin() + (part == r.first_part ? r.first_offset : 0);
      auto end = part == r.last_part ? rows.begin() + r.last_end : rows.end();
      return std::vector<T>(std::make_move_iterator(begin), std::make_move_iterator(end));
    });
  }

  const double max_rate_;
  double credit_ = 0;
  std::deque<Pending> pending_;  // counted RDDs, the first maybe partly taken
};

}  // namespace sluice
