#include "streaming/receiver_tracker.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "common/clock.h"
#include "driver/context.h"
#include "driver/coarse_grained_scheduler_backend.h"
#include "scheduler/task_set.h"

namespace sluice {
using namespace std::chrono_literals;

ReceiverTracker::~ReceiverTracker() { stop(); }

void ReceiverTracker::addReceiver(int stream_id, std::string name, ReceiverJob make) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = receivers_[stream_id];
  e.info.stream_id = stream_id;
  e.info.name = std::move(name);
  e.make = std::move(make);
}

bool ReceiverTracker::hasReceivers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !receivers_.empty();
}

void ReceiverTracker::start(Context& ctx, CoarseGrainedSchedulerBackend* backend) {
  ctx_ = &ctx;
  backend_ = backend;
  if (backend_) {
    Status st = backend_->registerHandler<rpc::RegisterReceiver>(
        [this](const rpc::Peer& from, const rpc::Envelope& request, rpc::RegisterReceiver&& m) {
          onRegisterReceiver(from, request, std::move(m));
        });
    if (st) {
      st = backend_->registerHandler<rpc::AddBlock>(
          [this](const rpc::Peer& from, const rpc::Envelope& request, rpc::AddBlock&& m) {
            onAddBlock(from, request, std::move(m));
          });
    }
    if (st) {
      st = backend_->registerHandler<rpc::ReceiverError>(
          [this](const rpc::Peer&, const rpc::Envelope&, rpc::ReceiverError&& m) {
            noteError(m.stream_id, m.message);
          });
    }
    if (!st) throw std::logic_error("a second receiver tracker on one executor backend: " + st.message());
  }
  std::lock_guard<std::mutex> lock(mu_);
  rate_limits_ = ReceiverRateLimits::fromConf(ctx.conf());  // what each receiver's sink starts with too
  for (auto& [id, e] : receivers_) {
    e.info.rate_limit = rate_limits_.startingLimit();
    e.runner = std::thread([this, id = id] { runReceiver(id); });
  }
}

// One receiver's job, launched again (after a pause) each time it ends while streaming runs.
void ReceiverTracker::runReceiver(int stream_id) {
  ctx_->setLocalProperty("job.group", kReceiverJobGroup);
  // The receiver's task holds its core until it is stopped: the scheduler does not wait
  // for an executor whose every core is held so.
  ctx_->setLocalProperty(kLongRunningProperty, "true");
  ctx_->setLocalProperty(kJobLogQuietlyProperty, "true");  // "receiver N started" says it
  for (int attempt = 0;; ++attempt) {
    std::shared_ptr<RDDBase> rdd;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (attempt > 0) cv_.wait_for(lock, 1s, [&] { return stopping_; });
      if (stopping_) {
        receivers_.at(stream_id).finished = true;
        return;
      }
      Entry& e = receivers_.at(stream_id);
      if (attempt > 0) ++e.info.restarts;
      rdd = e.make();
    }
    std::string ended = "its task ended";
    try {
      ctx_->runJob(rdd, {0});
    } catch (const std::exception& e) {
      ended = e.what();
    }
    std::lock_guard<std::mutex> lock(mu_);
    Entry& e = receivers_.at(stream_id);
    e.info.active = false;
    if (stopping_) {
      e.finished = true;
      return;
    }
    spdlog::warn("receiver {} stopped ({}); launching it again", stream_id, ended);
  }
}

bool ReceiverTracker::stop(std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return true;
    stopping_ = true;
  }
  cv_.notify_all();
  // A receiver task still queued when the first StopReceiver went out would miss it: keep
  // asking until every receiver's job has ended, or the deadline.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool stopped = true;
  while (joinFinishedRunners() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      stopped = false;
      break;
    }
    std::vector<int> running;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [id, e] : receivers_) {
        if (e.runner.joinable()) running.push_back(id);
      }
    }
    for (int id : running) {
      if (backend_) backend_->sendToAll(rpc::StopReceiver{id, "streaming is stopping"});
    }
    std::this_thread::sleep_for(100ms);
  }
  if (!stopped) {
    // No executor answers (the application was killed, its executors are gone): the jobs
    // would wait for cores forever. Cancelled, they end at once, and so do the runners.
    spdlog::warn("receivers did not stop within {} ms; cancelling their jobs", timeout.count());
    while (joinFinishedRunners() > 0) {  // again, for a job submitted after a cancel
      ctx_->cancelJobGroup(kReceiverJobGroup, "streaming is stopping and its receivers do not answer");
      std::this_thread::sleep_for(50ms);
    }
  }
  if (backend_) {
    backend_->unregisterHandler<rpc::RegisterReceiver>();
    backend_->unregisterHandler<rpc::AddBlock>();
    backend_->unregisterHandler<rpc::ReceiverError>();
  }
  return stopped;
}

int ReceiverTracker::joinFinishedRunners() {
  std::lock_guard<std::mutex> lock(mu_);
  int left = 0;
  for (auto& [id, e] : receivers_) {
    // The runner returns right after its job ends; joining it then is immediate.
    if (e.runner.joinable() && e.finished) e.runner.join();
    if (e.runner.joinable()) ++left;
  }
  return left;
}

void ReceiverTracker::onRegisterReceiver(const rpc::Peer& from, const rpc::Envelope& request,
                                         rpc::RegisterReceiver&& r) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = receivers_.find(r.stream_id);
    if (it == receivers_.end()) {
      spdlog::warn("driver: dropped RegisterReceiver for unknown stream {} from {}", r.stream_id, from.toString());
      return;
    }
    it->second.info.active = true;
    it->second.info.executor_id = r.executor_id;
    it->second.info.host = r.host;
    it->second.info.started_ms = SystemClock().nowMs();
  }
  spdlog::info("receiver {} started on executor {} ({})", r.stream_id, r.executor_id, r.host);
  rpc::RegisterReceiverReply reply;
  reply.resume_position = blocks_.lastPosition(r.stream_id);
  for (auto& peer : backend_->executors())
    if (peer.executor_id != r.executor_id) reply.peers.push_back(std::move(peer));
  backend_->reply(from, request, reply);
  int64_t rate = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rate = receivers_.at(r.stream_id).backpressure_rate;
  }
  // A restarted receiver keeps backpressure's bound (its executor remembers a bound that
  // comes before the receiver's sink is ready).
  if (rate > 0) backend_->sendTo(r.executor_id, rpc::UpdateRateLimit{r.stream_id, rate});
  if (listener_) listener_(r.stream_id, r.executor_id + " (" + r.host + ")", false);
}

void ReceiverTracker::onAddBlock(const rpc::Peer& from, const rpc::Envelope& request, rpc::AddBlock&& r) {
  Status st = addBlock(std::move(r.block));
  rpc::AddBlockReply reply;
  reply.ok = st.isOk();
  if (!st) reply.error = st.message();
  backend_->reply(from, request, reply);
}

void ReceiverTracker::noteError(int stream_id, const std::string& message) {
  spdlog::warn("receiver {} reported: {}", stream_id, message);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = receivers_.find(stream_id);
    if (it != receivers_.end()) {
      it->second.info.last_error = message;
      it->second.info.last_error_ms = SystemClock().nowMs();
    }
  }
  if (listener_) listener_(stream_id, message, true);
}

Status ReceiverTracker::addBlock(ReceivedBlockInfo block) {
  int stream_id = block.stream_id;
  int64_t records = block.num_records;
  Status st = blocks_.addBlock(std::move(block));
  if (!st) {
    spdlog::error("{}", st.message());
    return st;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = receivers_.find(stream_id);
  if (it != receivers_.end()) {
    it->second.info.records += records;
    ++it->second.info.blocks;
  }
  return Status::ok();
}

void ReceiverTracker::allocateBlocksToBatch(Time t) {
  Status st = blocks_.allocateBlocksToBatch(t);
  if (!st) spdlog::warn("{}", st.message());
}

void ReceiverTracker::batchCompleted(Time t) {
  Status st = blocks_.batchCompleted(t);
  if (!st) spdlog::warn("{}", st.message());
}

void ReceiverTracker::cleanupOldBlocks(int stream_id, Time t) {
  CleanupRequest remove;
  for (auto& b : blocks_.cleanupOldBlocks(stream_id, t)) remove.block_ids.push_back(std::move(b.block_id));
  if (!remove.block_ids.empty() && ctx_) ctx_->cleanup(std::move(remove));
}

void ReceiverTracker::sendRateUpdate(int stream_id, int64_t records_per_second) {
  if (records_per_second <= 0) return;
  std::string executor_id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = receivers_.find(stream_id);
    if (it == receivers_.end()) return;
    Entry& e = it->second;
    e.backpressure_rate = records_per_second;
    e.info.rate_limit = rate_limits_.capped(records_per_second);
    if (e.info.active) executor_id = e.info.executor_id;
  }
  if (backend_ && !executor_id.empty()) {
    backend_->sendTo(executor_id, rpc::UpdateRateLimit{stream_id, records_per_second});
  }
}

std::vector<ReceiverInfo> ReceiverTracker::receivers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ReceiverInfo> out;
  for (auto& [id, e] : receivers_) out.push_back(e.info);
  return out;
}

}  // namespace sluice
