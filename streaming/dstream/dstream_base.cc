#include "streaming/dstream/dstream_base.h"

#include <spdlog/spdlog.h>

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
