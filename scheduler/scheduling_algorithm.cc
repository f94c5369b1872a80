#include "scheduler/scheduling_algorithm.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace sluice {

StatusOr<SchedulingMode> parseSchedulingMode(const std::string& text) {
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "FIFO") return SchedulingMode::kFifo;
  if (upper == "FAIR") return SchedulingMode::kFair;
  return Status::invalidArgument("unknown scheduling mode '" + text + "' (expected FIFO or FAIR)");
}

const char* schedulingModeName(SchedulingMode mode) { return mode == SchedulingMode::kFair ? "FAIR" : "FIFO"; }

bool fifoBefore(const Schedulable& a, const Schedulable& b) {
  if (a.priority() != b.priority()) return a.priority() < b.priority();
  return a.stageId() < b.stageId();
}

namespace {
// A pool of weight 0 gets nothing beyond its minShare while another pool wants slots.
double perWeight(double running, int weight) {
  if (weight > 0) return running / weight;
  return running > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}
}  // namespace

bool fairBefore(const Schedulable& a, const Schedulable& b) {
  double running_a = a.runningTasks(), running_b = b.runningTasks();
  bool needy_a = a.runningTasks() < a.minShare();
  bool needy_b = b.runningTasks() < b.minShare();
  if (needy_a != needy_b) return needy_a;
  double key_a, key_b;
  if (needy_a) {
    key_a = running_a / std::max(a.minShare(), 1);
    key_b = running_b / std::max(b.minShare(), 1);
  } else {
    key_a = perWeight(running_a, a.weight());
    key_b = perWeight(running_b, b.weight());
  }
  if (key_a != key_b) return key_a < key_b;
  return a.name() < b.name();
}

bool scheduledBefore(SchedulingMode mode, const Schedulable& a, const Schedulable& b) {
  return mode == SchedulingMode::kFair ? fairBefore(a, b) : fifoBefore(a, b);
}

}  // namespace sluice
