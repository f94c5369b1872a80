// TaskLocality: how close a task runs to its input (Spark's TaskLocality), and the delay
// scheduling waits per level.
//   PROCESS_LOCAL  the executor holds the input (a received or cached block)
//   NODE_LOCAL     an executor on the same host holds it
//   NO_PREF        the task has no preference
//   ANY            anywhere else
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/conf.h"

namespace sluice {

enum class TaskLocality : uint8_t { kProcessLocal = 0, kNodeLocal = 1, kNoPref = 2, kAny = 3 };

inline constexpr int kNumLocalityLevels = 4;

// "PROCESS_LOCAL", "NODE_LOCAL", "NO_PREF", "ANY".
const char* localityName(TaskLocality level);

// How long a task set waits at a level for a better offer before it accepts the next
// level: `locality.wait.process` and `locality.wait.node`, each defaulting to
// `locality.wait` (3s); NO_PREF and ANY never wait.
struct LocalityWaits {
  int64_t process_ms = 3000;
  int64_t node_ms = 3000;

  static LocalityWaits fromConf(const Conf& conf);
  int64_t at(TaskLocality level) const;
};

// The locality of running a task with preferred locations prefs ("executor:<id>" or a
// host) on executor_id at host.
TaskLocality localityOf(const std::vector<std::string>& prefs, const std::string& executor_id,
                        const std::string& host);

}  // namespace sluice
