#include "streaming/dstream/dstream_base.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "rdd/job_context.h"
#include "streaming/streaming_context.h"

namespace sluice {

void DStreamBase::initialize(Time zero_time, bool variable_intervals) {
  zero_time_ = zero_time;
  variable_intervals_ = variable_intervals;
  if (remember_.ms < slideDuration().ms) remember_ = slideDuration();
}

void DStreamBase::setMinRememberDuration(Duration d) {
  if (d > remember_) remember_ = d;
}

void DStreamBase::setCheckpointInterval(Duration interval) {
  if (zero_time_ >= 0) {
    throw std::logic_error("cannot change the checkpoint interval of " + name() +
                           " after the streaming context has started");
  }
  checkpoint_interval_ = interval;
}

std::optional<Duration> DStreamBase::checkpointInterval() const {
  if (checkpoint_interval_) return checkpoint_interval_;
  if (stateful_) return Duration{slideDuration().ms * kLineageCutBatches};
  return std::nullopt;
}

bool DStreamBase::isCheckpointTime(Time t) const {
  std::optional<Duration> interval = checkpointInterval();
  return interval && interval->ms > 0 && t > zero_time_ && (t - zero_time_) % interval->ms == 0;
}

JobContext* DStreamBase::jobContext() const { return &ssc_->context(); }

void DStreamBase::unpersistRDDs(const std::vector<int>& rdd_ids) const {
  if (rdd_ids.empty()) return;
  jobContext()->cleanup(CleanupRequest::rdds(rdd_ids));
  spdlog::debug("{}: unpersisted {} old RDDs", name(), rdd_ids.size());
}

int DStreamBase::addStateStream(std::function<void(const StateSnapshot&)> restore) const {
  return ssc_->stateSnapshots().add(std::move(restore));
}

bool DStreamBase::checkpointsState() const { return !ssc_->checkpointDir().empty(); }

void DStreamBase::saveState(int id, Time t, std::string bytes) const {
  ssc_->stateSnapshots().save(id, t, std::move(bytes));
}

}  // namespace sluice
