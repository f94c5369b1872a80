#include "streaming/dstream/dstream_graph.h"

#include <functional>
#include <optional>
#include <map>
#include <set>

namespace sluice {

void DStreamGraph::addInput(std::shared_ptr<InputStream> input) {
  std::lock_guard<std::mutex> lock(mu_);
  inputs_.push_back(std::move(input));
}

void DStreamGraph::addOutput(std::shared_ptr<OutputStream> output) {
  std::lock_guard<std::mutex> lock(mu_);
  outputs_.push_back(std::move(output));
}

int DStreamGraph::numOutputs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(outputs_.size());
}

std::vector<std::shared_ptr<DStreamBase>> DStreamGraph::allStreams() const {
  std::vector<std::shared_ptr<DStreamBase>> order;  // parents before children
  std::set<DStreamBase*> seen;
  std::function<void(const std::shared_ptr<DStreamBase>&)> visit = [&](const std::shared_ptr<DStreamBase>& s) {
    if (!seen.insert(s.get()).second) return;
    for (auto& p : s->dependencies()) visit(p);
    order.push_back(s);
  };
  for (auto& o : outputs_) visit(o->stream());
  return order;
}

namespace {

// Whether stream s fits its parents: its window (if any) and slide are positive multiples
// of each parent's slide (Spark's WindowedDStream requirement).
Status checkWindowFits(const DStreamBase& s, Duration batch) {
  std::optional<Duration> window = s.windowDuration();
  if (!window) return Status::ok();
  for (const auto& parent : s.dependencies()) {
    Duration step = parent->slideDuration();
    if (window->ms > 0 && s.slideDuration().ms > 0 && window->isMultipleOf(step) &&
        s.slideDuration().isMultipleOf(step)) {
      continue;
    }
    return Status::invalidArgument(s.name() + " with window " + window->toString() + " and slide " +
                                   s.slideDuration().toString() + " does not fit batch interval " +
                                   batch.toString() + ": a window and its slide must be positive multiples of " +
                                   "the slide of the stream they window (" + step.toString() + ")");
  }
  return Status::ok();
}

// Spark's DStream.validateAtStart: a checkpoint interval set with DStream::checkpoint()
// is a positive multiple of the stream's slide.
Status checkCheckpointInterval(const DStreamBase& s) {
  std::optional<Duration> interval = s.explicitCheckpointInterval();
  if (!interval || (interval->ms > 0 && interval->isMultipleOf(s.slideDuration()))) return Status::ok();
  return Status::invalidArgument("the checkpoint interval of " + s.name() + " has been set to " +
                                 interval->toString() + ", which is not a positive multiple of its slide (" +
                                 s.slideDuration().toString() + "): set it to a multiple of " +
                                 s.slideDuration().toString());
}

}  // namespace

Status DStreamGraph::validate(Duration batch) const {
  std::lock_guard<std::mutex> lock(mu_);
  return validateLocked(batch);
}

Status DStreamGraph::validateLocked(Duration batch) const {
  if (outputs_.empty()) {
    return Status::invalidArgument("no output operations registered, so nothing to execute");
  }
  for (auto& s : allStreams()) {
    SLUICE_RETURN_IF_ERROR(checkWindowFits(*s, batch));
    SLUICE_RETURN_IF_ERROR(checkCheckpointInterval(*s));
    if (!s->slideDuration().isMultipleOf(batch)) {
      return Status::invalidArgument("the slide of " + s->name() + " (" + s->slideDuration().toString() +
                                     ") is not a multiple of the batch interval (" + batch.toString() + ")");
    }
  }
  return Status::ok();
}

Status DStreamGraph::validateVariableIntervals() const {
  std::lock_guard<std::mutex> lock(mu_);
  return validateVariableIntervalsLocked();
}

Status DStreamGraph::validateVariableIntervalsLocked() const {
  for (auto& s : allStreams()) {
    if (std::optional<Duration> window = s->windowDuration()) {
      return Status::invalidArgument(
          s->name() + " with window " + window->toString() + " and slide " + s->slideDuration().toString() +
          " cannot run with an adaptive batch interval: a window counts batches of one interval. Turn "
          "streaming.batchDuration.adaptive off, or drop the window");
    }
    if (std::optional<Duration> interval = s->explicitCheckpointInterval()) {
      return Status::invalidArgument(
          s->name() + " has a checkpoint interval (" + interval->toString() + ") and cannot run with an adaptive "
          "batch interval: checkpoint times are on a grid of batches of one interval. Turn "
          "streaming.batchDuration.adaptive off, or drop the checkpoint(interval)");
    }
    if (s->isStateful()) {
      return Status::invalidArgument(
          s->name() + " is stateful (each batch's state is computed from the previous batch's) and cannot run "
          "with an adaptive batch interval: its lineage cuts and checkpoints count batches of one interval. Turn "
          "streaming.batchDuration.adaptive off, or drop updateStateByKey/mapWithState");
    }
  }
  return Status::ok();
}

Status DStreamGraph::start(Time zero_time, Duration batch, Duration min_remember, bool variable_intervals) {
  std::lock_guard<std::mutex> lock(mu_);
  SLUICE_RETURN_IF_ERROR(validateLocked(batch));
  if (variable_intervals) SLUICE_RETURN_IF_ERROR(validateVariableIntervalsLocked());
  auto streams = allStreams();
  for (auto& s : streams) {
    s->initialize(zero_time, variable_intervals);
    s->setMinRememberDuration(min_remember);
  }
  // Children first: each parent remembers as long as its children look back.
  for (auto it = streams.rbegin(); it != streams.rend(); ++it) {
    Duration need = (*it)->rememberDuration() + (*it)->lookBackDuration();
    for (auto& p : (*it)->dependencies()) p->setMinRememberDuration(need);
  }
  return Status::ok();
}

std::vector<StreamingJob> DStreamGraph::generateJobs(Time t) {
  std::vector<std::shared_ptr<OutputStream>> outputs;
  std::vector<std::shared_ptr<DStreamBase>> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    outputs = outputs_;
    streams = allStreams();
  }
  // Checkpoints first, so that every stream of batch t reads the checkpointed copies, as
  // Spark's jobs read a checkpointed RDD once its batch is done.
  for (auto& s : streams) s->checkpointBefore(t);
  std::vector<StreamingJob> jobs;
  for (auto& o : outputs) {
    if (auto job = o->generateJob(t)) jobs.push_back(std::move(*job));
  }
  return jobs;
}

Duration DStreamGraph::maxRememberDuration() const {
  std::lock_guard<std::mutex> lock(mu_);
  Duration longest{0};
  for (auto& s : allStreams()) longest = std::max(longest, s->rememberDuration());
  return longest;
}

void DStreamGraph::clearMetadata(Time t) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& s : allStreams()) s->clearOldRDDs(t);
}

}  // namespace sluice
