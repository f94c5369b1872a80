#include "streaming/receiver_tracker.h"

#include <spdlog/spdlog.h>

#include <set>

#include "common/clock.h"
#include "streaming/recovery/block_metadata_log.h"
#include "driver/context.h"
#include "driver/coarse_grained_scheduler_backend.h"
#include "rpc/streaming_messages.h"
#include "scheduler/task_set.h"
#include "wal/write_ahead_log.h"

namespace sluice {
using namespace std::chrono_literals;

namespace {

constexpr int64_t kWalCleanupMarginMs = 10'000;

// Deletes the segments of the receiver WAL in dir that end at or before threshold. The
// executor that writes there never writes to a segment whose time range has passed, so
// this is safe while it runs.
void cleanupReceiverWal(const std::string& dir, Time threshold) {
  if (threshold <= 0) return;
  wal::WalOptions options;
  options.append_to_last_segment = false;
  auto log = wal::WriteAheadLog::open(dir, options);
  if (!log) {
    spdlog::warn("cannot clean up the receiver WAL in {}: {}", dir, log.status().message());
    return;
  }
  auto removed = (*log)->cleanup(threshold);
  if (!removed) {
    spdlog::warn("cannot clean up the receiver WAL in {}: {}", dir, removed.status().message());
  } else if (*removed > 0) {
    spdlog::debug("receiver WAL {}: deleted {} old segments", dir, *removed);
  }
}

}  // namespace

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
    backend_->setExtraHandler([this](const rpc::Peer& from, rpc::Envelope&& msg) { handle(from, std::move(msg)); });
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, e] : receivers_) {
    e.runner = std::thread([this, id = id] { runReceiver(id); });
  }
}

// One receiver's job, launched again (after a pause) each time it ends while streaming runs.
void ReceiverTracker::runReceiver(int stream_id) {
  ctx_->setLocalProperty("job.group", kReceiverJobGroup);
  // The receiver's task holds its core until it is stopped: the scheduler does not wait
  // for an executor whose every core is held so.
  ctx_->setLocalProperty(kLongRunningProperty, "true");
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
  if (backend_) backend_->setExtraHandler(nullptr);
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

void ReceiverTracker::handle(const rpc::Peer& from, rpc::Envelope&& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kRegisterReceiver: {
      auto r = rpc::decodeAs<rpc::RegisterReceiver>(msg);
      if (!r) break;
      {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = receivers_.find(r->stream_id);
        if (it == receivers_.end()) break;
        it->second.info.active = true;
        it->second.info.executor_id = r->executor_id;
        it->second.info.host = r->host;
        it->second.info.started_ms = SystemClock().nowMs();
      }
      spdlog::info("receiver {} started on executor {} ({})", r->stream_id, r->executor_id, r->host);
      rpc::RegisterReceiverReply reply;
      {
        std::lock_guard<std::mutex> lock(mu_);
        reply.resume_position = positions_[r->stream_id];
      }
      for (auto& peer : backend_->executors())
        if (peer.executor_id != r->executor_id) reply.peers.push_back(std::move(peer));
      backend_->reply(from, msg, reply);
      if (listener_) listener_(r->stream_id, r->executor_id + " (" + r->host + ")", false);
      return;
    }
    case rpc::MessageTag::kAddBlock: {
      auto r = rpc::decodeAs<rpc::AddBlock>(msg);
      rpc::AddBlockReply reply;
      if (!r) {
        reply.error = r.status().message();
      } else {
        Status st = addBlock({r->stream_id, r->block_id, r->executor_id, r->endpoint, r->host, r->num_records,
                              r->bytes, r->replica_executor_id, r->replica_endpoint, r->wal_dir, r->wal_handle,
                              r->position});
        reply.ok = st.isOk();
        if (!st) reply.error = st.message();
      }
      if (backend_) backend_->reply(from, msg, reply);
      return;
    }
    case rpc::MessageTag::kReceiverError: {
      auto r = rpc::decodeAs<rpc::ReceiverError>(msg);
      if (!r) break;
      noteError(r->stream_id, r->message);
      return;
    }
    default:
      break;
  }
  spdlog::warn("driver: dropped unexpected or malformed {} from {}", rpc::tagName(msg.tag), from.toString());
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
  std::lock_guard<std::mutex> lock(mu_);
  // Logged under mu_, so that the log orders reports and allocations as memory does.
  if (metadata_log_) {
    Status st = metadata_log_->blockAdded(block);
    if (!st) {
      spdlog::error("cannot log block {} to the driver's metadata WAL: {}", block.block_id, st.message());
      return st;
    }
  }
  auto it = receivers_.find(block.stream_id);
  if (it != receivers_.end()) {
    it->second.info.records += block.num_records;
    ++it->second.info.blocks;
  }
  if (!block.position.empty()) positions_[block.stream_id] = block.position;
  unallocated_[block.stream_id].push_back(std::move(block));
  return Status::ok();
}

void ReceiverTracker::restore(RecoveredBlocks recovered) {
  std::lock_guard<std::mutex> lock(mu_);
  // Blocks in the order they were reported: allocated ones by batch, then the rest.
  auto note = [this](const ReceivedBlockInfo& b) {
    if (!b.position.empty()) positions_[b.stream_id] = b.position;
  };
  for (auto& [t, blocks] : recovered.allocations) {
    auto& batch = allocated_[t];
    for (auto& b : blocks) {
      note(b);
      batch[b.stream_id].push_back(std::move(b));
    }
  }
  for (auto& b : recovered.unallocated) {
    note(b);
    unallocated_[b.stream_id].push_back(std::move(b));
  }
}

void ReceiverTracker::retainFrom(Time t) {
  retain_from_ = t;
  if (metadata_log_) metadata_log_->cleanup(t - kWalCleanupMarginMs);
}

void ReceiverTracker::batchCompleted(Time t) {
  if (!metadata_log_) return;
  Status st = metadata_log_->batchCompleted(t);
  if (!st) spdlog::warn("cannot log the completion of batch {} to the metadata WAL: {}", t, st.message());
}

void ReceiverTracker::allocateBlocksToBatch(Time t) {
  std::lock_guard<std::mutex> lock(mu_);
  if (allocated_.count(t)) return;  // allocated already (or restored: a re-run batch)
  auto& batch = allocated_[t];
  std::vector<ReceivedBlockInfo> all;
  for (auto& [stream, blocks] : unallocated_) {
    if (metadata_log_) all.insert(all.end(), blocks.begin(), blocks.end());
    batch[stream].assign(std::make_move_iterator(blocks.begin()), std::make_move_iterator(blocks.end()));
    blocks.clear();
  }
  if (metadata_log_) {
    Status st = metadata_log_->batchAllocated(t, all);
    // The blocks stay unallocated in the log: a restarted driver gives them to a new batch.
    if (!st) spdlog::warn("cannot log the allocation of batch {} to the metadata WAL: {}", t, st.message());
  }
}

std::vector<ReceivedBlockInfo> ReceiverTracker::blocksOfBatch(Time t, int stream_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = allocated_.find(t);
  if (it == allocated_.end()) return {};
  auto s = it->second.find(stream_id);
  return s == it->second.end() ? std::vector<ReceivedBlockInfo>{} : s->second;
}

void ReceiverTracker::cleanupOldBlocks(int stream_id, Time t) {
  CleanupRequest remove;
  std::set<std::string> wal_dirs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = allocated_.begin(); it != allocated_.end() && it->first <= t;) {
      auto s = it->second.find(stream_id);
      if (s != it->second.end()) {
        for (auto& b : s->second) {
          remove.block_ids.push_back(b.block_id);
          if (!b.wal_dir.empty()) wal_dirs.insert(b.wal_dir);
        }
        it->second.erase(s);
      }
      it = it->second.empty() ? allocated_.erase(it) : std::next(it);
    }
  }
  if (!remove.block_ids.empty() && ctx_) ctx_->cleanup(std::move(remove));
  // The receiver WAL: whole segments whose every block is older than t by a margin (a block
  // written just before t may be reported, and allocated, after it).
  Time threshold = std::min<Time>(t, retain_from_.load()) - kWalCleanupMarginMs;
  for (const auto& dir : wal_dirs) cleanupReceiverWal(dir, threshold);
}

bool ReceiverTracker::hasUnallocatedBlocks() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [stream, blocks] : unallocated_) {
    if (!blocks.empty()) return true;
  }
  return false;
}

std::vector<ReceiverInfo> ReceiverTracker::receivers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ReceiverInfo> out;
  for (auto& [id, e] : receivers_) out.push_back(e.info);
  return out;
}

}  // namespace sluice
