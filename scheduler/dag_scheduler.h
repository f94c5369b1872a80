// DAGScheduler: turns each job into stages (StageBuilder), submits parent stages first,
// hands each stage's missing partitions to the task scheduler (a TaskSubmitter) as a
// TaskSet, tracks map outputs, and recovers from lost map output by resubmitting the stages
// that made it (dag_failures.cc; scheduler/SCHEDULING.md "Failures").
//
// THREADING: the public calls only post events; all state lives on one event loop thread.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/conf.h"
#include "common/event_loop.h"
#include "scheduler/listener.h"
#include "scheduler/map_output_tracker.h"
#include "scheduler/scheduler_backend.h"
#include "scheduler/stage_builder.h"
#include "scheduler/task_submitter.h"

namespace sluice {

using JobResult = StatusOr<std::vector<std::string>>;

class DAGScheduler : public TaskSchedulerListener {
 public:
  DAGScheduler(const Conf& conf, MapOutputTracker& tracker);
  ~DAGScheduler() override;

  // Before start(). The task scheduler (the TaskScheduler, or a test's fake) must outlive
  // this object.
  void setTaskScheduler(TaskSubmitter* task_scheduler) { task_scheduler_ = task_scheduler; }
  // Any time; the listener sees every event posted after this call. It must outlive this
  // object (or the scheduler's stop()).
  void addListener(SchedulerListener* listener) { loop_.post(AddListener{listener}); }
  // Before start(): told (on the event loop) which shuffles were dropped, so that
  // executors can delete their outputs. It must not block.
  void setShuffleCleaner(std::function<void(const std::vector<int>&)> cleaner) { cleaner_ = std::move(cleaner); }
  // Drops, soon, the map stages of the shuffles that nothing outside the scheduler refers
  // to and no active job needs (also done whenever a job ends); their ids go to the
  // shuffle cleaner.
  void cleanUnreferencedShuffles() { loop_.post(CleanShuffles{}); }
  void start();
  // Stops the event loop; every job not ended yet (and every job submitted later) fails
  // with "the context was shut down", so that no caller of submitJob waits forever.
  // Idempotent.
  void stop();

  // Computes the partitions of rdd; the future holds each partition's bytes or the reason
  // the job failed. pool names the scheduling pool ("" for the default); placement goes
  // to every task set of the job. The job's start and end are logged at info ("job 3
  // started: ...", "job 3 finished in 120 ms"), at debug with quiet_log.
  std::future<JobResult> submitJob(std::shared_ptr<RDDBase> rdd, std::vector<int> partitions,
                                   std::string pool = "", std::string group = "", TaskSetPlacement placement = {},
                                   bool quiet_log = false);
  // Once this returns, listener is never called again (it may be called until then).
  void removeListener(SchedulerListener* listener);
  // Fails every active job of the group (the job.group it was submitted with) with reason
  // and stops its stages that no other job needs (Spark's cancelJobGroup). Asynchronous.
  void cancelJobGroup(std::string group, std::string reason);

  // TaskSchedulerListener: post events.
  void taskEnded(TaskEnd end) override;
  void taskSetFailed(int stage_id, int stage_attempt, std::string reason) override;
  void executorLost(const std::string& executor_id, const std::string& reason) override;
  void executorAdded(const ExecutorAdded& executor) override;

 private:
  struct JobSubmitted {
    int job_id;
    std::shared_ptr<RDDBase> rdd;
    std::vector<int> partitions;
    std::string pool;
    std::shared_ptr<std::promise<JobResult>> promise;
    std::string group;
    TaskSetPlacement placement;
    bool quiet_log = false;
  };
  struct TaskSetFailed {
    int stage_id;
    int attempt;
    std::string reason;
  };
  struct ExecutorLost {
    std::string executor_id;
    std::string reason;
  };
  struct ResubmitFailedStages {};
  struct CancelJobGroup {
    std::string group;
    std::string reason;
  };
  struct CleanShuffles {};
  struct AddListener {
    SchedulerListener* listener;
  };
  struct RemoveListener {
    SchedulerListener* listener;
    std::shared_ptr<std::promise<void>> done;
  };
  using Event = std::variant<JobSubmitted, TaskEnd, TaskSetFailed, ExecutorLost, ResubmitFailedStages, AddListener,
                             RemoveListener, CancelJobGroup,
                             CleanShuffles, ExecutorAdded>;

  struct Job {
    JobInfo info;
    Stage* final_stage = nullptr;
    std::vector<int> partitions;
    std::unordered_map<int, size_t> index_of;  // partition -> its index in partitions: O(1) per finished task
    std::vector<std::string> results;
    std::vector<bool> finished;
    int num_finished = 0;
    std::string pool;
    TaskSetPlacement placement;
    std::set<int> submitted_stages;
    std::shared_ptr<std::promise<JobResult>> promise;
    bool quiet_log = false;  // its start and end lines are debug
  };

  void handle(Event&& event);
  void onJobSubmitted(JobSubmitted& e);
  void onTaskEnd(TaskEnd& e);
  void onMapTaskSucceeded(Stage* stage, TaskEnd& e);
  void onResultTaskSucceeded(Stage* stage, TaskEnd& e);
  void onFetchFailed(Stage* stage, TaskEnd& e);
  void onTaskSetFailed(TaskSetFailed& e);
  void onExecutorLost(ExecutorLost& e);
  void onResubmitFailedStages();
  void onCancelJobGroup(CancelJobGroup& e);
  // The liveness invariant, checked after every event: each active job has a stage that
  // is running, waiting for a retry, or waiting for parents of which at least one can make
  // progress (when it finishes, its waiting children are submitted again, and with them
  // any parent whose outputs were lost meanwhile). A job
  // that has none fails (a scheduler bug must end a job, not leave it waiting forever).
  void failStuckJobs();
  bool canProgress(Stage* stage, std::set<Stage*>& seen);

  void submitStage(Stage* stage);
  // awaited: parents still running whose outputs the stage's tasks will wait for on the
  // executors (a pre-scheduled stage); empty for a stage whose parents are all available.
  void submitMissingTasks(Stage* stage, const std::vector<Stage*>& awaited = {});
  // Pre-scheduled reducers (scheduler/SCHEDULING.md): whether the stage, whose missing
  // parents were just submitted, may be submitted now too.
  bool mayPreSchedule(Stage* stage, const std::vector<Stage*>& missing);
  // The parent map stage finished: its outputs go to the pre-scheduled children awaiting it.
  void releasePreScheduledChildren(Stage* parent);
  // A failure touched the parent: its pre-scheduled children that still await outputs are
  // withdrawn and wait as any child (submitted when their parents finish).
  void withdrawPreScheduledChildren(Stage* parent, const std::string& why);
  void withdrawPreScheduled(Stage* stage, const std::string& why);
  void markStageFinished(Stage* stage);
  // Tells the listeners that the stage's latest attempt ended: failure says why it ended
  // unfinished, "" when it succeeded.
  void notifyStageEnded(const Stage* stage, const std::string& failure);
  // Submits again the waiting stages that have `parent` among their parents.
  void submitWaitingChildren(Stage* parent);
  void finishJob(int job_id, Status status);
  // Drops the stages of shuffles no RDD references any more (ContextCleaner's job).
  void cleanShuffles();
  Job* jobOf(const Stage* stage);
  int jobIdForStage(const Stage* stage) const;

  Conf conf_;
  MapOutputTracker& tracker_;
  StageBuilder builder_;
  TaskSubmitter* task_scheduler_ = nullptr;
  std::vector<SchedulerListener*> listeners_;
  std::function<void(const std::vector<int>&)> cleaner_;
  EventLoop<Event> loop_;
  std::atomic<int> next_job_id_{0};
  bool pre_schedule_reducers_;  // scheduler.preScheduleReducers: jobs that do not say otherwise

  std::map<int, Job> jobs_;
  std::set<Stage*> waiting_;
  std::set<Stage*> running_;
  std::set<Stage*> failed_;
  // Pre-scheduled stages (in running_) whose tasks await outputs -> the parents they await.
  std::map<Stage*, std::set<Stage*>> prescheduled_;
};

}  // namespace sluice
