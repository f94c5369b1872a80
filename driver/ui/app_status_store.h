// AppStatusStore: the driver's record of its jobs, stages and executors, kept from the
// scheduler's events (Spark's AppStatusListener + AppStatusStore), for the driver UI's
// pages, its REST API and /metrics.
//
// Bounded, so that a stream running for months does not grow it: it keeps the last
// `retained_jobs` jobs and `retained_stages` stage attempts (ui.retainedJobs,
// ui.retainedStages), dropping the oldest finished ones first, and only the executors
// registered now. Running jobs and stages are always kept. The totals (AppStatusTotals)
// count everything since the start.
//
// THREADING: the SchedulerListener callbacks run on the DAGScheduler's event loop; the
// readers on any thread (the UI's). One mutex; readers get copies.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "driver/ui/app_status.h"
#include "scheduler/listener.h"

namespace sluice {

class AppStatusStore : public SchedulerListener {
 public:
  struct Limits {
    size_t retained_jobs = 1000;    // ui.retainedJobs
    size_t retained_stages = 1000;  // ui.retainedStages
  };
  // clock stamps the events' times (wall clock ms); it must outlive the store.
  AppStatusStore(Limits limits, const Clock& clock);

  void onJobStart(const JobInfo& job) override;
  void onJobEnd(const JobInfo& job) override;
  void onStageSubmitted(const StageInfo& stage) override;
  void onStageCompleted(const StageInfo& stage) override;
  void onTaskEnd(const TaskEnd& task) override;
  void onExecutorAdded(const ExecutorAdded& executor) override;
  void onExecutorRemoved(const ExecutorRemoved& executor) override;

  // Newest first.
  std::vector<JobUiData> jobs() const;
  std::optional<JobUiData> job(int job_id) const;
  // Every kept attempt, newest stage first (attempts of one stage newest first).
  std::vector<StageUiData> stages() const;
  // The kept attempts of one stage, oldest first (Spark's /stages/<id>); empty if none.
  std::vector<StageUiData> stageAttempts(int stage_id) const;
  // The executors registered now, by id.
  std::vector<ExecutorUiData> executors() const;
  AppStatusTotals totals() const;

 private:
  using StageKey = std::pair<int, int>;  // (stage id, attempt)
  struct LiveJob {
    JobUiData data;
    std::set<StageKey> completed_indices;  // (stage id, partition), while it runs
  };
  // The running jobs that include the stage, in job id order.
  std::vector<LiveJob*> runningJobsOfLocked(int stage_id);
  void trimJobsLocked();
  void trimStagesLocked();
  void countStageEndLocked(const StageUiData& stage);

  const Limits limits_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::map<int, LiveJob> jobs_;                 // by job id
  // stage id -> the running jobs that include it, so that a task's end touches its jobs
  // only, not every retained job.
  std::map<int, std::vector<int>> running_jobs_of_stage_;
  std::map<StageKey, StageUiData> stages_;
  std::map<StageKey, std::set<int>> stage_indices_;  // partitions done, while a stage runs
  std::map<std::string, ExecutorUiData> executors_;
  AppStatusTotals totals_;
};

}  // namespace sluice
