// Stage: the tasks of a job between shuffle boundaries. A map stage computes one shuffle's
// map outputs; the result stage computes the job's partitions.
#pragma once

#include <memory>
#include <set>
#include <vector>

#include "rdd/rdd_base.h"

namespace sluice {

struct Stage {
  int id = 0;
  std::shared_ptr<RDDBase> rdd;                    // the stage's last RDD
  std::shared_ptr<ShuffleDependencyBase> shuffle;  // map stages: the shuffle it writes
  std::vector<Stage*> parents;
  int first_job_id = 0;
  std::set<int> job_ids;
  int next_attempt = 0;
  int latest_attempt = -1;
  std::set<int> pending;  // partitions the latest attempt still has to finish
  // Consecutive attempts ended by fetch failures (reset when an attempt succeeds); each
  // attempt counts once, however many of its tasks failed to fetch.
  int failed_attempts = 0;
  int last_failed_attempt = -1;  // the attempt failed_attempts counted last
  // A pre-scheduled attempt of it was withdrawn (a failure): it is not pre-scheduled again.
  bool pre_schedule_withdrawn = false;

  bool isMap() const { return shuffle != nullptr; }
  int numPartitions() const { return rdd->numPartitions(); }
};

}  // namespace sluice
