// PendingTasks: the indexes of a task set's tasks waiting for launch, listed by where they
// would run local (Spark's PendingTasksByLocality). An index is added to the list of each
// executor ("executor:<id>") and host it prefers, or to no_prefs, and always to all.
// Lists are cleaned lazily: a launched index stays in its other lists and is skipped by
// take() once the caller's waiting predicate says it no longer waits.
//
// THREADING: not thread-safe; owned by a TaskSetManager.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

class PendingTasks {
 public:
  using Predicate = std::function<bool(int index)>;

  void add(int index, const std::vector<std::string>& prefs);

  // The first index of list that still waits and is eligible, removed from list; drops the
  // indexes that no longer wait on the way.
  static std::optional<int> take(std::deque<int>& list, const Predicate& waiting, const Predicate& eligible);
  // Whether list holds an index that still waits. Drops the indexes at its front that no
  // longer wait, so that asking again after every launch costs O(1) amortized, not a scan
  // over the launched tasks (which would make a task set's placement O(tasks^2)).
  static bool anyWaiting(std::deque<int>& list, const Predicate& waiting);
  static bool anyWaiting(std::map<std::string, std::deque<int>>& lists, const Predicate& waiting);

  std::map<std::string, std::deque<int>> for_executor;
  std::map<std::string, std::deque<int>> for_host;
  std::deque<int> no_prefs;
  std::deque<int> all;
};

}  // namespace sluice
