// Context: the driver's entry point to a cluster (Spark's SparkContext). It owns the
// DAGScheduler, the TaskScheduler and the executor backend, and creates RDDs.
//
// THREADING: jobs may be submitted from several threads at once (streaming output
// operations do); each action blocks its caller until its job ends.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/conf.h"
#include "rdd/rdd.h"
#include "rdd/text_file.h"
#include "scheduler/listener.h"

namespace sluice {

class ContextCleaner;
class CoarseGrainedSchedulerBackend;
class DriverWebUi;

struct ContextOptions {
  std::string master = "local[2]";
  std::string app_name = "sluice-app";
  std::string app_path;  // the application library; required outside local mode
  Conf conf;
};

class Context : public JobContext {
 public:
  // Starts the schedulers and the executors, and waits until they registered.
  static StatusOr<std::unique_ptr<Context>> create(ContextOptions options);
  ~Context() override;

  template <class T>
  RDD<T> parallelize(std::vector<T> data, int num_slices = 0);
  // A relative path is taken against the submitter's directory (absolutePath()). Throws
  // JobFailedError when path does not exist.
  RDD<std::string> textFile(const std::string& path, int min_partitions = 0);
  template <class T>
  Broadcast<T> broadcast(const T& value);
  // Removes the broadcast from the driver and every executor (Spark's Broadcast.destroy()):
  // tasks that read it afterwards fail.
  template <class T>
  void destroyBroadcast(const Broadcast<T>& b) { cleanup(CleanupRequest::broadcast(b.id())); }

  const Conf& conf() const;
  const std::string& appId() const;
  const std::string& appName() const;
  const std::string& master() const;
  int defaultParallelism() const override;
  void addListener(SchedulerListener* listener);
  // Once this returns, listener is never called again.
  void removeListener(SchedulerListener* listener);
  // Properties of the jobs the calling thread submits from now on (Spark's
  // setLocalProperty), kept per thread; an empty value removes the key.
  // "scheduler.pool" names the FAIR pool of the thread's jobs; "scheduler.locality.waitMax"
  // (a duration) caps their locality waits and "scheduler.longRunning"="true" marks tasks
  // that hold their core until stopped (scheduler/task_set.h, TaskSetPlacement).
  void setLocalProperty(const std::string& key, const std::string& value);
  std::string getLocalProperty(const std::string& key) const;
  // Fails every running job submitted with this "job.group" (Spark's cancelJobGroup): its
  // caller gets a JobFailedError saying reason. Returns at once; the jobs end shortly.
  void cancelJobGroup(const std::string& group, const std::string& reason);
  // Stops the web UI, executors and schedulers; idempotent. failed tells a standalone master that the
  // application ended with an error.
  void stop(bool failed = false);

  // JobContext.
  int newRddId() override { return next_rdd_id_++; }
  int newShuffleId() override { return next_shuffle_id_++; }
  std::vector<std::string> runJob(std::shared_ptr<RDDBase> rdd, const std::vector<int>& partitions) override;
  int64_t newBroadcast(std::string bytes, std::shared_ptr<const void> value) override;
  void trackPersisted(const std::shared_ptr<RDDBase>& rdd) override;
  // The one way to drop cached RDDs, shuffles, received blocks and broadcasts everywhere
  // (driver/context_cleaner.h): DStreams, the receiver block cleanup and the DAGScheduler
  // all come here.
  void cleanup(CleanupRequest what) override;
  // Relative paths resolve against driver.workingDir (sluice-submit sets it to its own
  // working directory in cluster mode), else this process's working directory, which in
  // client and local mode is the submitter's.
  std::string absolutePath(const std::string& path) const override;

  // Internal, for tests: what the cleaner removed so far.
  ContextCleaner& cleaner();

  // Internal, for streaming: the driver's end of the executor protocol.
  CoarseGrainedSchedulerBackend* schedulerBackend();
  // Internal, for streaming: the driver's web UI (driver/ui/driver_web_ui.h), where the
  // streaming pages attach; null when ui.enabled=false or it could not bind. It lives as
  // long as this Context; it stops serving at stop().
  DriverWebUi* webUi();

 private:
  struct Impl;
  explicit Context(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int shutdown_hook_ = 0;
  std::atomic<int> next_rdd_id_{0};
  std::atomic<int> next_shuffle_id_{0};
  std::atomic<int64_t> next_broadcast_id_{0};
};

template <class T>
RDD<T> Context::parallelize(std::vector<T> data, int num_slices) {
  int n = num_slices > 0 ? num_slices : defaultParallelism();
  std::vector<std::vector<T>> slices(n);
  size_t total = data.size();
  for (int i = 0; i < n; ++i) {
    size_t begin = total * static_cast<size_t>(i) / static_cast<size_t>(n);
    size_t end = total * static_cast<size_t>(i + 1) / static_cast<size_t>(n);
    slices[i].assign(std::make_move_iterator(data.begin() + static_cast<std::ptrdiff_t>(begin)),
                     std::make_move_iterator(data.begin() + static_cast<std::ptrdiff_t>(end)));
  }
  return RDD<T>(this, std::make_shared<ParallelCollectionRDD<T>>(newRddId(), std::move(slices)));
}

template <class T>
Broadcast<T> Context::broadcast(const T& value) {
  return Broadcast<T>(newBroadcast(toBytes(value), std::make_shared<T>(value)));
}

}  // namespace sluice
