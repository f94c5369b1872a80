#include "streaming/dstream/dstream_graph.h"

#include <functional>
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

Status DStreamGraph::start(Time zero_time, Duration batch, Duration min_remember) {
  std::lock_guard<std::mutex> lock(mu_);
  if (outputs_.empty()) {
    return Status::invalidArgument("no output operations registered, so nothing to execute");
  }
  auto streams = allStreams();
  for (auto& s : streams) {
    if (!s->slideDuration().isMultipleOf(batch)) {
      return Status::invalidArgument("the slide of " + s->name() + " (" + s->slideDuration().toString() +
                                     ") is not a multiple of the batch interval (" + batch.toString() + ")");
    }
    s->initialize(zero_time);
    s->setMinRememberDuration(min_remember);
  }
  // Children first: each parent remembers as long as its children look back.
  for (auto it = streams.rbegin(); it != streams.rend(); ++it) {
    Duration need = (*it)->rememberDuration() + (*it)->parentRememberDuration();
    for (auto& p : (*it)->dependencies()) p->setMinRememberDuration(need);
  }
  return Status::ok();
}

std::vector<StreamingJob> DStreamGraph::generateJobs(Time t) {
  std::vector<std::shared_ptr<OutputStream>> outputs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    outputs = outputs_;
  }
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
