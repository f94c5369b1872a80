#include "scheduler/task_locality.h"

#include "common/config_keys.h"

namespace sluice {

namespace {
constexpr const char* kExecutorPrefix = "executor:";
}

const char* localityName(TaskLocality level) {
  switch (level) {
    case TaskLocality::kProcessLocal: return "PROCESS_LOCAL";
    case TaskLocality::kNodeLocal: return "NODE_LOCAL";
    case TaskLocality::kNoPref: return "NO_PREF";
    case TaskLocality::kAny: return "ANY";
  }
  return "ANY";
}

LocalityWaits LocalityWaits::fromConf(const Conf& conf) {
  auto base = conf.get(keys::kLocalityWait);
  LocalityWaits w;
  w.process_ms = conf.get(keys::kLocalityWaitProcess, base).count();
  w.node_ms = conf.get(keys::kLocalityWaitNode, base).count();
  return w;
}

int64_t LocalityWaits::at(TaskLocality level) const {
  switch (level) {
    case TaskLocality::kProcessLocal: return process_ms;
    case TaskLocality::kNodeLocal: return node_ms;
    default: return 0;
  }
}

TaskLocality localityOf(const std::vector<std::string>& prefs, const std::string& executor_id,
                        const std::string& host) {
  if (prefs.empty()) return TaskLocality::kNoPref;
  TaskLocality best = TaskLocality::kAny;
  for (const auto& loc : prefs) {
    if (loc.rfind(kExecutorPrefix, 0) == 0) {
      if (loc.compare(9, std::string::npos, executor_id) == 0) return TaskLocality::kProcessLocal;
    } else if (loc == host) {
      best = TaskLocality::kNodeLocal;
    }
  }
  return best;
}

}  // namespace sluice
