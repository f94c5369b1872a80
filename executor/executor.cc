#include "executor/executor.h"

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/app_loader.h"
#include "executor/task_context_impl.h"
#include "rdd/broadcast.h"
#include "rdd/rdd_base.h"
#include "rpc/frame_limit.h"

namespace sluice {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Executor::StageState {
  rpc::StageBinary binary;
  std::shared_ptr<Node> root;
};

Executor::Executor(ExecutorOptions options)
    : options_(std::move(options)),
      driver_(rpc::Peer::dealer(options_.driver_endpoint)),
      transport_("executor " + options_.executor_id) {
  if (options_.work_dir.empty()) options_.work_dir = fs::temp_directory_path() / ("sluice-executor-" + options_.executor_id);
  blocks_ = std::make_unique<BlockManager>(options_.work_dir + "/blocks", options_.memory_bytes / 2);
}

Executor::~Executor() { stop(); }

Status Executor::start() {
  auto bound = transport_.bind("tcp://" + options_.host + ":0");
  if (!bound) return bound.status();
  block_endpoint_ = *bound;
  transport_.setHandler([this](const rpc::Peer& from, rpc::Envelope&& msg) { handle(from, std::move(msg)); });
  transport_.start();

  rpc::RegisterExecutor reg{options_.executor_id, options_.host, block_endpoint_, options_.cores,
                            static_cast<int32_t>(::getpid())};
  auto answer = transport_.call(driver_, reg, 30s);
  if (!answer) return Status::unavailable("cannot register with driver " + options_.driver_endpoint + ": " + answer.status().message());
  auto reply = rpc::decodeAs<rpc::RegisterExecutorReply>(*answer);
  if (!reply) return reply.status();
  if (!reply->ok) return Status::aborted("driver refused executor " + options_.executor_id + ": " + reply->error);
  conf_ = reply->conf;
  // shuffle.memoryLimit: the shuffle output kept in memory before spilling (half the executor's memory).
  if (conf_.contains("shuffle.memoryLimit")) blocks_->setMemoryLimit(conf_.getBytes("shuffle.memoryLimit", 0));
  transport_.setMaxFrameBytes(rpc::maxFrameBytes(conf_));
  if (!options_.in_process) SLUICE_RETURN_IF_ERROR(fetchAndLoadApp(*reply));

  BroadcastCache::instance().setFetcher([this](int64_t id) -> StatusOr<std::string> {
    auto r = transport_.call(driver_, rpc::FetchBroadcast{id}, 60s);
    if (!r) return r.status();
    auto b = rpc::decodeAs<rpc::FetchBroadcastReply>(*r);
    if (!b) return b.status();
    if (!b->found) return Status::notFound("broadcast " + std::to_string(id) + " is not on the driver");
    return std::move(b->bytes);
  });
  for (int i = 0; i < options_.cores; ++i) workers_.emplace_back([this] { taskLoop(); });
  heartbeat_ = std::thread([this] { heartbeatLoop(); });
  spdlog::info("executor {} registered with {} ({} cores, blocks at {})", options_.executor_id,
               options_.driver_endpoint, options_.cores, block_endpoint_);
  return Status::ok();
}

Status Executor::fetchAndLoadApp(const rpc::RegisterExecutorReply& reply) {
  fs::path dir = fs::path(options_.work_dir) / "apps";
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path file = dir / ("app-" + reply.app_hash + ".so");
  auto existing = describeAppFile(file.string());
  if (!existing || existing->hash != reply.app_hash) {
    constexpr int64_t kChunk = 8 << 20;
    std::string bytes;
    while (static_cast<int64_t>(bytes.size()) < reply.app_size) {
      int64_t len = std::min(kChunk, reply.app_size - static_cast<int64_t>(bytes.size()));
      auto r = transport_.call(driver_, rpc::FetchApp{reply.app_hash, static_cast<int64_t>(bytes.size()), len}, 30s);
      if (!r) return Status::unavailable("cannot fetch the application: " + r.status().message());
      auto chunk = rpc::decodeAs<rpc::FetchAppReply>(*r);
      if (!chunk) return chunk.status();
      if (!chunk->error.empty()) return Status::aborted("driver could not send the application: " + chunk->error);
      if (chunk->bytes.empty()) return Status::corruption("driver sent an empty application chunk");
      bytes += chunk->bytes;
    }
    fs::path tmp = file;
    tmp += ".tmp" + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) return Status::ioError("cannot write " + tmp.string());
    }
    auto got = describeAppFile(tmp.string());
    if (!got || got->hash != reply.app_hash) {
      fs::remove(tmp, ec);
      return Status::corruption("application bytes from the driver do not match hash " + reply.app_hash);
    }
    fs::rename(tmp, file, ec);
    spdlog::info("fetched application {} ({} bytes)", reply.app_hash, reply.app_size);
  }
  auto handle = loadAppLibrary(file.string());
  return handle ? Status::ok() : handle.status();
}

void Executor::handle(const rpc::Peer& from, rpc::Envelope&& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kLaunchTask: {
      auto task = rpc::decodeAs<rpc::LaunchTask>(msg);
      if (!task) {
        transport_.reportMalformed(from, task.status().message());
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      // The stage's binary comes with its first task here only; a later task of the stage
      // may be taken by another thread first, so keep the binary apart from the task now.
      auto key = std::make_pair(task->stage_id, task->stage_attempt);
      if (task->stage && !stages_.count(key)) stage_binaries_.emplace(key, *task->stage);
      queue_.push_back(std::move(*task));
      task_cv_.notify_one();
      return;
    }
    case rpc::MessageTag::kKillTask:
      if (auto kill = rpc::decodeAs<rpc::KillTask>(msg)) {
        killTask(*kill);
      } else {
        transport_.reportMalformed(from, kill.status().message());
      }
      return;
    case rpc::MessageTag::kFetchBlocks:
      serveFetchBlocks(from, msg);
      return;
    case rpc::MessageTag::kReleaseStage: {
      if (auto r = rpc::decodeAs<rpc::ReleaseStage>(msg)) {
        std::lock_guard<std::mutex> lock(mu_);
        stages_.erase({r->stage_id, r->stage_attempt});
        stage_binaries_.erase({r->stage_id, r->stage_attempt});
      }
      return;
    }
    case rpc::MessageTag::kRemoveBlocks: {
      if (auto r = rpc::decodeAs<rpc::RemoveBlocks>(msg)) {
        for (int s : r->shuffle_ids) blocks_->removeShuffle(s);
        for (int id : r->rdd_ids) blocks_->removeRdd(id);
        for (const auto& id : r->block_ids) blocks_->removeBlock(id);
        if (!options_.in_process) {  // in-process, the cache is the driver's: it removes the values itself
          for (int64_t id : r->broadcast_ids) BroadcastCache::instance().remove(id);
        }
        spdlog::debug("executor {} removed {} shuffles, {} RDDs, {} blocks, {} broadcasts", options_.executor_id,
                      r->shuffle_ids.size(), r->rdd_ids.size(), r->block_ids.size(), r->broadcast_ids.size());
      } else {
        transport_.reportMalformed(from, r.status().message());
      }
      return;
    }
    case rpc::MessageTag::kStopReceiver:
    case rpc::MessageTag::kFetchStreamBlock:
    case rpc::MessageTag::kReplicateBlock:
      handleStreaming(from, std::move(msg));
      return;
    case rpc::MessageTag::kStopExecutor: {
      auto r = rpc::decodeAs<rpc::StopExecutor>(msg);
      spdlog::info("executor {} asked to stop: {}", options_.executor_id, r ? r->reason : "");
      stopReceivers("the executor is stopping");
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      cv_.notify_all();
      task_cv_.notify_all();
      return;
    }
    default:
      spdlog::warn("executor {}: unexpected message {} from {}", options_.executor_id, rpc::tagName(msg.tag),
                   from.toString());
  }
}

void Executor::killTask(const rpc::KillTask& kill) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->task_id != kill.task_id) continue;
    queue_.erase(it);
    spdlog::info("executor {}: killed queued task {}: {}", options_.executor_id, kill.task_id, kill.reason);
    rpc::TaskStatus status;
    status.task_id = kill.task_id;
    status.executor_id = options_.executor_id;
    status.state = rpc::TaskState::kKilled;
    status.error = "killed: " + kill.reason;
    transport_.send(driver_, status);
    return;
  }
  // A running task cannot be interrupted: its end is reported as KILLED, without a result.
  if (running_.count(kill.task_id)) {
    spdlog::info("executor {}: task {} will be reported killed when it ends: {}", options_.executor_id, kill.task_id,
                 kill.reason);
    killed_.insert(kill.task_id);
  }
}

void Executor::serveFetchBlocks(const rpc::Peer& from, const rpc::Envelope& msg) {
  rpc::FetchBlocksReply reply;
  auto req = rpc::decodeAs<rpc::FetchBlocks>(msg);
  if (!req) {
    transport_.reportMalformed(from, req.status().message());
    reply.error = req.status().message();
  } else {
    for (int map_id : req->map_ids) {
      auto bucket = blocks_->getShuffleBucket(req->shuffle_id, map_id, req->reduce_id);
      if (!bucket) {
        reply.error = bucket.status().message();
        reply.missing_map_id = map_id;
        reply.blocks.clear();
        break;
      }
      reply.blocks.push_back(std::move(*bucket));
    }
  }
  transport_.reply(from, msg, reply);
}

StatusOr<std::shared_ptr<Executor::StageState>> Executor::stageFor(const rpc::LaunchTask& task) {
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(task.stage_id, task.stage_attempt);
  auto it = stages_.find(key);
  if (it != stages_.end()) return it->second;
  auto binary = stage_binaries_.find(key);
  if (binary == stage_binaries_.end()) {
    return Status::internal("task " + std::to_string(task.task_id) + " names stage " + std::to_string(task.stage_id) +
                            " which this executor does not have");
  }
  auto roots = decodeLineage(binary->second.lineage);
  if (!roots) return roots.status();
  auto state = std::make_shared<StageState>();
  state->binary = std::move(binary->second);
  state->root = roots->front();
  stage_binaries_.erase(binary);
  stages_[key] = state;
  return state;
}

void Executor::taskLoop() {
  while (true) {
    rpc::LaunchTask task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      task_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      running_.insert(task.task_id);
    }
    int64_t id = task.task_id;
    runTask(std::move(task));
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(id);
    killed_.erase(id);
  }
}

void Executor::runTask(rpc::LaunchTask task) {
  spdlog::debug("running task {} (stage {}.{} partition {})", task.task_id, task.stage_id, task.stage_attempt,
                task.partition);
  rpc::TaskStatus status;
  status.task_id = task.task_id;
  status.executor_id = options_.executor_id;
  int64_t start = monotonicNanos();
  auto stage = stageFor(task);
  if (!stage) {
    status.state = rpc::TaskState::kFailed;
    status.error = stage.status().toString();
    transport_.send(driver_, status);
    return;
  }
  ExecutorTaskContext ctx(*this, (*stage)->binary, task);
  try {
    if ((*stage)->binary.is_map_stage) {
      auto dep = std::dynamic_pointer_cast<ShuffleDependencyBase>((*stage)->root);
      if (!dep) throw std::runtime_error("map stage root is not a shuffle dependency");
      dep->runMapTask(task.partition, ctx);
    } else {
      auto rdd = std::dynamic_pointer_cast<RDDBase>((*stage)->root);
      if (!rdd) throw std::runtime_error("result stage root is not an RDD");
      rdd->computeToBytes(task.partition, ctx, &status.result);
    }
    status.state = rpc::TaskState::kFinished;
  } catch (const FetchFailedError& e) {
    status.state = rpc::TaskState::kFetchFailed;
    status.error = e.what();
    status.fetch_shuffle_id = e.shuffle_id;
    status.fetch_map_id = e.map_id;
    status.fetch_executor_id = e.executor_id;
    status.result.clear();
  } catch (const std::exception& e) {
    status.state = rpc::TaskState::kFailed;
    status.error = e.what();
    status.result.clear();
  } catch (...) {
    status.state = rpc::TaskState::kFailed;
    status.error = "unknown exception";
    status.result.clear();
  }
  status.metrics = ctx.metrics();
  status.metrics.run_nanos = monotonicNanos() - start;
  status.cached_partitions = ctx.takeCachedPartitions();
  if (status.state != rpc::TaskState::kFinished) {
    spdlog::warn("task {} (stage {}.{} partition {}) failed: {}", task.task_id, task.stage_id, task.stage_attempt,
                 task.partition, status.error);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(task.task_id);
    if (killed_.erase(task.task_id)) {
      status.state = rpc::TaskState::kKilled;
      status.error = "killed: another attempt succeeded";
      status.result.clear();
    }
  }
  spdlog::debug("task {} ended: state {} in {} us", task.task_id, static_cast<int>(status.state),
                status.metrics.run_nanos / 1000);
  transport_.send(driver_, status);
}

void Executor::heartbeatLoop() {
  auto interval = conf_.getDuration("executor.heartbeatInterval", 1000ms);
  auto driver_timeout = conf_.getDuration("executor.driverTimeout", 30000ms);
  auto last_ok = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, interval, [&] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    auto r = transport_.call(driver_, rpc::ExecutorHeartbeat{options_.executor_id}, interval * 2);
    lock.lock();
    if (r) {
      last_ok = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_ok > driver_timeout) {
      spdlog::error("executor {}: driver {} lost ({}); exiting", options_.executor_id, options_.driver_endpoint,
                    r.status().message());
      stopping_ = true;
      cv_.notify_all();
      task_cv_.notify_all();
    }
  }
}

void Executor::awaitTermination() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return stopping_; });
}

void Executor::stop() {
  stopReceivers("the executor is stopping");
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
    task_cv_.notify_all();
  }
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  if (heartbeat_.joinable()) heartbeat_.join();
  transport_.stop();
}

}  // namespace sluice
