// ContextCleaner: removes, on the driver and on every executor, what nothing can need any
// more (Spark's ContextCleaner). Every removal goes through cleanup():
//
//   shuffle outputs  the DAGScheduler drops the map stage of a shuffle that no RDD outside
//                    it refers to (at every job's end, and on every tick of this cleaner),
//                    unregisters it from the map-output tracker and hands its id here; each
//                    executor deletes the outputs, in memory and in spill files.
//   cached RDDs      a persisted RDD (trackPersisted) that nothing refers to any more is
//                    found on a tick; DStreams unpersist the RDDs of the batches they forget.
//   received blocks  the ReceiverTracker drops the blocks of batches its stream forgot.
//   broadcasts       dropped explicitly (a Broadcast<T> is a plain id that cannot be
//                    reference-counted): saveAsTextFile's after its job, a user's with
//                    Context::destroyBroadcast().
//
// "Refers to" is ownership through shared_ptr, which plays the part of Spark's weak
// references: a DStream holds the RDD of each batch it remembers, a window its previous
// window's RDD, a cached or user-held RDD its whole lineage, a running job its stages; each
// of them keeps every shuffle of its lineage. A shuffle is therefore removed only once no
// remembered batch, no live RDD and no active job can read it.
//
// THREADING: thread-safe. trackPersisted() and cleanup() never block (messages to the
// executors are queued). One thread ticks every cleaner.referenceTracking.interval (1s);
// with cleaner.referenceTracking=false there is no tick (removals at job ends, by DStreams
// and by the block cleanup still happen). After stop(), every call does nothing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/conf.h"
#include "rdd/job_context.h"

namespace sluice {

class DAGScheduler;
class CoarseGrainedSchedulerBackend;
class TaskScheduler;

class ContextCleaner {
 public:
  // What has been removed so far (each id counted once per cleanup() naming it).
  struct Stats {
    int64_t ticks = 0;
    int64_t shuffles = 0;
    int64_t rdds = 0;
    int64_t blocks = 0;
    int64_t broadcasts = 0;
  };

  // dag, tasks and backend must outlive this object, or at least its stop().
  ContextCleaner(const Conf& conf, DAGScheduler& dag, TaskScheduler& tasks,
                 CoarseGrainedSchedulerBackend& backend);
  // stop().
  ~ContextCleaner();
  ContextCleaner(const ContextCleaner&) = delete;
  ContextCleaner& operator=(const ContextCleaner&) = delete;

  void start();
  // Joins the tick thread; idempotent.
  void stop();

  // rdd was persisted: its cached partitions go once nothing but this cleaner refers to it.
  void trackPersisted(const std::shared_ptr<RDDBase>& rdd);
  // Forgets what the request names on the driver (cache locations, broadcast bytes and values;
  // shuffles are already out of the map-output tracker) and tells every executor to delete it.
  void cleanup(CleanupRequest what);
  Stats stats() const;

 private:
  void tickLoop();
  void tick();

  DAGScheduler& dag_;
  TaskScheduler& tasks_;
  CoarseGrainedSchedulerBackend& backend_;
  const bool tracking_;
  const std::chrono::milliseconds interval_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, std::weak_ptr<RDDBase>> persisted_;  // by RDD id
  Stats stats_;
  bool started_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sluice
