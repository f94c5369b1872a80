// StageProgress: how far one running stage attempt is, as the console progress bar
// (driver/console_progress_bar.h) shows it: Spark's numCompleteTasks and numActiveTasks.
#pragma once

namespace sluice {

struct StageProgress {
  int stage_id = 0;
  int attempt = 0;
  int num_tasks = 0;      // tasks of this attempt
  int num_completed = 0;  // succeeded
  int num_active = 0;     // running now (speculative copies included)
};

}  // namespace sluice
