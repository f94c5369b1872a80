#include "driver/context_cleaner.h"

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "driver/coarse_grained_scheduler_backend.h"
#include "rdd/broadcast.h"
#include "scheduler/dag_scheduler.h"
#include "scheduler/task_scheduler.h"

namespace sluice {
using namespace std::chrono_literals;

ContextCleaner::ContextCleaner(const Conf& conf, DAGScheduler& dag, TaskScheduler& tasks,
                               CoarseGrainedSchedulerBackend& backend)
    : dag_(dag),
      tasks_(tasks),
      backend_(backend),
      tracking_(conf.get(keys::kCleanerReferenceTracking)),
      interval_(std::max(conf.get(keys::kCleanerReferenceTrackingInterval), std::chrono::milliseconds(10))) {}

ContextCleaner::~ContextCleaner() { stop(); }

void ContextCleaner::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  if (tracking_) thread_ = std::thread([this] { tickLoop(); });
}

void ContextCleaner::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ContextCleaner::trackPersisted(const std::shared_ptr<RDDBase>& rdd) {
  if (!tracking_ || !rdd) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!stopping_) persisted_[rdd->id()] = rdd;
}

void ContextCleaner::cleanup(CleanupRequest what) {
  if (what.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    for (int id : what.rdd_ids) persisted_.erase(id);  // unpersisted already
    stats_.shuffles += static_cast<int64_t>(what.shuffle_ids.size());
    stats_.rdds += static_cast<int64_t>(what.rdd_ids.size());
    stats_.blocks += static_cast<int64_t>(what.block_ids.size());
    stats_.broadcasts += static_cast<int64_t>(what.broadcast_ids.size());
  }
  for (int id : what.rdd_ids) tasks_.forgetCachedRdd(id);
  for (int64_t id : what.broadcast_ids) {
    backend_.removeBroadcast(id);
    BroadcastCache::instance().remove(id);  // the driver's own value (and local mode's executor)
  }
  rpc::RemoveBlocks remove;
  remove.shuffle_ids.assign(what.shuffle_ids.begin(), what.shuffle_ids.end());
  remove.rdd_ids.assign(what.rdd_ids.begin(), what.rdd_ids.end());
  remove.block_ids = std::move(what.block_ids);
  remove.broadcast_ids = std::move(what.broadcast_ids);
  backend_.sendToAll(remove);
  if (!remove.shuffle_ids.empty()) {
    spdlog::debug("cleaner: removing shuffles {}..{} ({}) everywhere", remove.shuffle_ids.front(),
                  remove.shuffle_ids.back(), remove.shuffle_ids.size());
  }
}

ContextCleaner::Stats ContextCleaner::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void ContextCleaner::tickLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    tick();
    lock.lock();
    ++stats_.ticks;
  }
}

// Persisted RDDs nothing refers to lose their cached partitions; then the DAGScheduler drops
// the shuffles nothing refers to (possibly released just now), which come back to cleanup().
void ContextCleaner::tick() {
  CleanupRequest gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = persisted_.begin(); it != persisted_.end();) {
      if (it->second.expired()) {
        gone.rdd_ids.push_back(it->first);
        it = persisted_.erase(it);
      } else {
        ++it;
      }
    }
  }
  cleanup(std::move(gone));
  dag_.cleanUnreferencedShuffles();
}

}  // namespace sluice
