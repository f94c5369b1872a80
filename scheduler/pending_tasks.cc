#include "scheduler/pending_tasks.h"

namespace sluice {

void PendingTasks::add(int index, const std::vector<std::string>& prefs) {
  static const std::string kExecutorPrefix = "executor:";
  for (const auto& loc : prefs) {
    if (loc.rfind(kExecutorPrefix, 0) == 0) for_executor[loc.substr(kExecutorPrefix.size())].push_back(index);
    else for_host[loc].push_back(index);
  }
  if (prefs.empty()) no_prefs.push_back(index);
  all.push_back(index);
}

std::optional<int> PendingTasks::take(std::deque<int>& list, const Predicate& waiting, const Predicate& eligible) {
  for (auto it = list.begin(); it != list.end();) {
    if (!waiting(*it)) {
      it = list.erase(it);
      continue;
    }
    if (eligible(*it)) {
      int index = *it;
      list.erase(it);
      return index;
    }
    ++it;
  }
  return std::nullopt;
}

bool PendingTasks::anyWaiting(std::deque<int>& list, const Predicate& waiting) {
  while (!list.empty() && !waiting(list.front())) list.pop_front();
  if (list.empty()) return false;
  // A launched index may stay behind a waiting one (it was taken from another list); the
  // front waits, which is all the caller asks.
  return true;
}

bool PendingTasks::anyWaiting(std::map<std::string, std::deque<int>>& lists, const Predicate& waiting) {
  for (auto& [key, list] : lists) {
    if (anyWaiting(list, waiting)) return true;
  }
  return false;
}

}  // namespace sluice
