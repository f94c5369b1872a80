#include "streaming/streaming_context.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <thread>

#include "common/shutdown_hooks.h"
#include "streaming/batch_locality_listener.h"
#include "streaming/recovery/block_metadata_log.h"
#include "streaming/ui/driver_ui.h"
#include "streaming/receiver_tracker.h"
#include "streaming/receiver/reliable_socket_receiver.h"
#include "streaming/recovery/streaming_checkpoint.h"
#include "streaming/ui/streaming_rest.h"
#include "scheduler/task_set.h"
#include "wal/wal_options.h"

namespace sluice {

JobContext* DStreamBase::jobContext() const { return &ssc_->context(); }

namespace {

// The scheduler.locality.waitMax of a batch's jobs: streaming.locality.maxWaitFraction
// (default 0.2) of the batch interval; "" (no cap) when the fraction is negative.
std::string batchLocalityWaitMax(const Conf& conf, Duration batch) {
  double fraction = 0.2;
  if (std::string text = conf.get("streaming.locality.maxWaitFraction"); !text.empty()) {
    try {
      fraction = std::stod(text);
    } catch (const std::exception&) {
      spdlog::error("streaming.locality.maxWaitFraction: '{}' is not a number; using {}", text, fraction);
    }
  }
  if (fraction < 0) return "";
  return std::to_string(static_cast<int64_t>(static_cast<double>(batch.ms) * fraction)) + "ms";
}

}  // namespace

StreamingContext::StreamingContext(Context& ctx, Duration batch_interval)
    : ctx_(ctx), batch_(batch_interval), receivers_(std::make_unique<ReceiverTracker>()) {
  if (batch_.ms <= 0) throw std::invalid_argument("the batch interval must be positive");
  if (ctx.conf().get("streaming.clock", "system") == "manual") {
    auto manual = std::make_unique<ManualClock>(0);
    manual_clock_ = manual.get();
    clock_ = std::move(manual);
  } else {
    clock_ = std::make_unique<SystemClock>();
  }
  int concurrent = static_cast<int>(ctx.conf().getInt("streaming.concurrentJobs", 1));
  jobs_ = std::make_unique<JobScheduler>(*clock_, concurrent, [this](Time t) {
    // Keep what windows and slice() may still read, one batch more for safety.
    graph_.clearMetadata(t);
    receivers_->batchCompleted(t);
    writeCheckpoint(false);
  });
  generator_ = std::make_unique<JobGenerator>(*clock_, batch_, graph_, *jobs_,
                                              [this](Time t) { receivers_->allocateBlocksToBatch(t); });
  // Each job runs in its output operation's pool, tagged with its batch (every property is
  // set for every job, so nothing leaks from one job to the next on a worker thread). Its
  // tasks wait for locality at most a fraction of the batch interval (SCHEDULING.md).
  jobs_->setErrorHandler([this](Time t, const std::string& message) { noteError(t, message); });
  std::string wait_max = batchLocalityWaitMax(ctx.conf(), batch_);
  jobs_->setJobWrapper([this, wait_max](const StreamingJob& job, const std::function<void()>& body) {
    ctx_.setLocalProperty("scheduler.pool", job.pool);
    ctx_.setLocalProperty("job.group", kBatchJobGroupPrefix + std::to_string(job.time));
    ctx_.setLocalProperty(kLocalityWaitMaxProperty, wait_max);
    body();
  });
  locality_ = std::make_unique<BatchLocalityListener>(*jobs_);
  ctx_.addListener(locality_.get());
}

StreamingContext::~StreamingContext() {
  if (shutdown_hook_) removeShutdownHook(shutdown_hook_);
  stop(false, false);
  ui_.reset();
  ctx_.removeListener(locality_.get());
}

StreamingProgress StreamingContext::progress() const {
  StreamingProgress p;
  p.start_ms = zero_time_;
  p.batch_duration_ms = batch_.ms;
  p.active = jobs_->activeBatches();
  p.completed = jobs_->completedBatches();
  p.num_total_completed = jobs_->numCompletedBatches();
  p.num_total_processed_records = jobs_->numProcessedRecords();
  p.receivers = receivers_->receivers();
  return p;
}

int StreamingContext::uiPort() const { return ui_ ? ui_->port() : -1; }

void StreamingContext::startUi() {
  const Conf& conf = ctx_.conf();
  if (!conf.getBool("ui.enabled", true)) return;
  DriverUI::Options o;
  o.host = conf.get("driver.bindAddress", "0.0.0.0");
  o.port = static_cast<int>(conf.getInt("ui.port", 4040));
  o.max_retries = static_cast<int>(conf.getInt("ui.port.maxRetries", 16));
  o.app_id = ctx_.appId();
  o.app_name = ctx_.appName();
  auto ui = DriverUI::start(o, [this] { return progress(); });
  if (!ui) {
    spdlog::error("{}; streaming goes on without its UI", ui.status().message());
    return;
  }
  ui_ = std::move(*ui);
}

DStream<std::string> StreamingContext::socketTextStream(const std::string& host, int port) {
  return receiverStream<std::string>(std::make_shared<SocketTextReceiver>(host, port));
}

DStream<std::string> StreamingContext::reliableSocketTextStream(const std::string& host, int port) {
  return receiverStream<std::string>(std::make_shared<ReliableSocketReceiver>(host, port));
}

DStream<std::string> StreamingContext::rateStream(int64_t records_per_second, int record_bytes, int vocabulary) {
  return receiverStream<std::string>(std::make_shared<RateReceiver>(records_per_second, record_bytes, vocabulary));
}

DStream<std::string> StreamingContext::textFileStream(const std::string& dir) {
  if (state_ != State::kInitialized) throw std::logic_error("add input streams before StreamingContext::start()");
  auto node = std::make_shared<FileInputDStream>(this, graph_.nextInputId(), batch_, dir);
  graph_.addInput(std::make_shared<InputStreamAdapter<std::string>>(node));
  return DStream<std::string>(this, node);
}

void StreamingContext::checkpoint(const std::string& dir) {
  if (state_ != State::kInitialized) throw std::logic_error("set the checkpoint directory before StreamingContext::start()");
  checkpoint_dir_ = dir;
}

std::string StreamingContext::checkpointDir() const {
  return checkpoint_dir_.empty() ? ctx_.conf().get("streaming.checkpoint.dir", "") : checkpoint_dir_;
}

bool StreamingContext::receiverWalEnabled() const {
  return ctx_.conf().getBool("streaming.receiver.writeAheadLog.enable", false);
}

int StreamingContext::receiverReplication(int receiver_default) const {
  const std::string key = "streaming.receiver.replication";
  if (!ctx_.conf().contains(key)) return receiver_default;
  std::string text = ctx_.conf().get(key);
  size_t used = 0;
  int copies = 0;
  try {
    copies = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || copies < 1) {
    throw std::invalid_argument(key + " must be a positive integer (copies of each received block), got '" + text +
                                "'");
  }
  return copies;
}

std::string StreamingContext::receiverWalDir(int stream_id) const {
  if (!receiverWalEnabled()) return "";
  return checkpointDir() + "/receivedData/" + std::to_string(stream_id);
}

std::unique_ptr<StreamingContext> StreamingContext::getOrCreate(
    const std::string& checkpoint_dir, const std::function<std::unique_ptr<StreamingContext>()>& create) {
  auto ssc = create();
  if (!ssc) throw std::invalid_argument("getOrCreate: create() returned no StreamingContext");
  ssc->checkpoint(checkpoint_dir);
  return ssc;
}

void StreamingContext::recoverFromCheckpoint(const std::string& dir) {
  const Conf& conf = ctx_.conf();
  graph_identity_ = graphIdentity(graph_);
  auto interval = conf.getDuration("streaming.checkpoint.interval",
                                   std::chrono::milliseconds(std::max<int64_t>(10 * batch_.ms, 10'000)));
  checkpointer_ = std::make_unique<StreamingCheckpointer>(dir, static_cast<int>(conf.getInt("streaming.checkpoint.keep", 10)),
                                                          Milliseconds(interval.count()));
  auto loaded = checkpointer_->loadFor(graph_identity_, batch_);
  if (!loaded) throw std::invalid_argument(loaded.status().message());
  std::set<Time> rerun;
  if (*loaded) {
    const StreamingCheckpoint& cp = **loaded;
    spdlog::info("recovering from the checkpoint of {} in {}: {} batches were pending, the state of {} streams saved",
                 cp.time_ms, dir, cp.pending_batches.size(), cp.states.size());
    zero_time_ = cp.zero_time;  // the same batch times as before, windows aligned as before
    recovered_states_ = cp.states;
    // Without the metadata WAL nothing says what a pending batch read: re-running it would
    // replace its output with an empty one.
    if (receiverWalEnabled()) {
      rerun.insert(cp.pending_batches.begin(), cp.pending_batches.end());
    } else if (!cp.pending_batches.empty()) {
      spdlog::warn("recovery: {} batches were pending and are lost: without the receiver WAL "
                   "(streaming.receiver.writeAheadLog.enable) their blocks are not known",
                   cp.pending_batches.size());
    }
  }
  if (receiverWalEnabled()) {
    auto options = wal::WalOptions::fromConf(conf);
    if (!options) throw std::invalid_argument(options.status().message());
    auto log = BlockMetadataLog::open(dir + "/receivedBlockMetadata", *options);
    if (!log) throw std::runtime_error(log.status().message());
    auto recovered = (*log)->recover();
    if (!recovered) throw std::runtime_error("cannot recover the block metadata log: " + recovered.status().message());
    for (Time t : recovered->incompleteBatches()) rerun.insert(t);
    if (!recovered->unallocated.empty()) {
      spdlog::warn("recovery: {} blocks reported to the previous driver were in no batch; the next batch processes them",
                   recovered->unallocated.size());
    }
    receivers_->restore(std::move(*recovered));
    metadata_log_ = std::move(*log);
    receivers_->setMetadataLog(metadata_log_.get());
  }
  rerun_.assign(rerun.begin(), rerun.end());
  if (!rerun_.empty()) spdlog::warn("recovery: re-running {} incomplete batches at their batch times", rerun_.size());
}

void StreamingContext::writeCheckpoint(bool force) {
  std::lock_guard<std::mutex> lock(checkpoint_mu_);
  int64_t now = SystemClock().nowMs();
  // Called after every batch: build the checkpoint (state bytes included) only when due.
  if (!checkpointer_ || !(force || checkpointer_->due(now))) return;
  StreamingCheckpoint cp;
  cp.graph_identity = graph_identity_;
  cp.batch_ms = batch_.ms;
  cp.zero_time = zero_time_;
  for (const BatchInfo& b : jobs_->activeBatches()) cp.pending_batches.push_back(b.batch_time);
  // The oldest batch a restart from this checkpoint re-runs, and the state it starts from.
  Time from = cp.pending_batches.empty() ? std::max(generator_->lastGeneratedBatch(), zero_time_)
                                         : *std::min_element(cp.pending_batches.begin(), cp.pending_batches.end());
  cp.states = states_.keepFrom(from);
  cp.conf = ctx_.conf().all();
  Time needed = std::min(from, states_.oldestNeeded(cp.states, zero_time_)) - graph_.maxRememberDuration().ms;
  auto written = checkpointer_->maybeWrite(std::move(cp), now, true);
  if (!written) {
    spdlog::warn("cannot write a checkpoint: {}", written.status().message());
  } else if (*written) {
    // Blocks a restart from this checkpoint may read again stay in the WAL.
    receivers_->retainFrom(needed);
  }
}

int DStreamBase::addStateStream(std::function<void(const StateSnapshot&)> restore) const {
  return ssc_->stateSnapshots().add(std::move(restore));
}

bool DStreamBase::checkpointsState() const { return !ssc_->checkpointDir().empty(); }

void DStreamBase::saveState(int id, Time t, std::string bytes) const {
  ssc_->stateSnapshots().save(id, t, std::move(bytes));
}

void StreamingContext::start() {
  State expected = State::kInitialized;
  if (state_ != expected) throw std::logic_error("StreamingContext has already been started or stopped");
  if (receiverWalEnabled() && checkpointDir().empty()) {
    throw std::invalid_argument(
        "streaming.receiver.writeAheadLog.enable=true needs a checkpoint directory: call "
        "StreamingContext::checkpoint(dir) or set --conf streaming.checkpoint.dir=<dir>");
  }
  if (receiverWalEnabled()) spdlog::info("receiver write-ahead log on, under {}/receivedData", checkpointDir());
  int64_t now = clock_->nowMs();
  zero_time_ = now - now % batch_.ms;
  if (!checkpointDir().empty()) recoverFromCheckpoint(checkpointDir());
  Status st = graph_.start(zero_time_, batch_, remember_);
  if (!st) throw std::invalid_argument(st.message());
  states_.restore(recovered_states_);
  recovered_states_.clear();
  jobs_->start();
  if (receivers_->hasReceivers()) receivers_->start(ctx_, ctx_.schedulerBackend());
  // The next batch time after now on the grid of zero_time_ (a restarted driver keeps its
  // predecessor's), after the re-runs of incomplete batches.
  Time first = now - (now - zero_time_) % batch_.ms + batch_.ms;
  generator_->start(zero_time_, first, std::move(rerun_));
  writeCheckpoint(true);
  startUi();
  state_ = State::kActive;
  // As Spark: SIGTERM stops streaming, gracefully when streaming.stopGracefullyOnShutdown.
  bool graceful = ctx_.conf().getBool("streaming.stopGracefullyOnShutdown", false);
  if (graceful) extendShutdownTimeout(gracefulStopTimeout() + std::chrono::seconds(30));
  shutdown_hook_ = addShutdownHook(kStreamingShutdownPriority, [this, graceful] { stop(false, graceful); });
  spdlog::info("streaming started: batch interval {} ms, first batch at {}", batch_.ms, zero_time_ + batch_.ms);
}

std::chrono::milliseconds StreamingContext::gracefulStopTimeout() const {
  // Spark's spark.streaming.gracefulStopTimeout: 10 batch intervals by default.
  return ctx_.conf().getDuration("streaming.gracefulStopTimeout", std::chrono::milliseconds(10 * batch_.ms));
}

void StreamingContext::stop(bool stop_context, bool graceful) {
  std::lock_guard<std::mutex> stopping(stop_mu_);  // a shutdown hook and main() may race
  if (state_ == State::kActive) {
    if (graceful) stopGracefully();
    else stopNow();
    writeCheckpoint(true);
    spdlog::info("streaming stopped{}", graceful ? " gracefully" : "");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = State::kStopped;
  }
  cv_.notify_all();
  if (stop_context) ctx_.stop();
}

void StreamingContext::stopGracefully() {
  using Clock = std::chrono::steady_clock;
  auto timeout = gracefulStopTimeout();
  auto deadline = Clock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
  };
  // Receivers stop first and push their last blocks; the batches go on until every
  // received block belongs to one, and every batch generated so far is processed.
  receivers_->stop(std::min(left(), ReceiverTracker::kDefaultStopTimeout));
  while (receivers_->hasUnallocatedBlocks() && left().count() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Time last = generator_->lastGeneratedBatch();
  generator_->stop();
  bool drained = (last < 0 || jobs_->waitForBatch(last, left())) && jobs_->stop(true, left());
  if (!drained) {
    spdlog::warn("graceful stop timed out after {} ms (streaming.gracefulStopTimeout); stopping the remaining "
                 "batches",
                 timeout.count());
    stopJobs();
  }
}

void StreamingContext::stopNow() {
  generator_->stop();
  receivers_->stop();
  stopJobs();
}

void StreamingContext::stopJobs() {
  // As Spark's JobScheduler, which gives running jobs 2 s: then they are cancelled (their
  // stages may wait for executors that are gone), and the job threads end.
  if (jobs_->stop(false, std::chrono::seconds(2))) return;
  spdlog::warn("batches still running after 2 s; cancelling their jobs");
  do {
    for (const BatchInfo& b : jobs_->activeBatches()) {
      ctx_.cancelJobGroup(kBatchJobGroupPrefix + std::to_string(b.batch_time), "streaming is stopping");
    }
  } while (!jobs_->stop(false, std::chrono::milliseconds(500)));
}

void StreamingContext::noteError(Time t, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.empty()) return;
    error_ = "batch " + std::to_string(t) + ": " + message;
  }
  cv_.notify_all();
}

bool StreamingContext::awaitTermination(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto ended = [&] { return state_ == State::kStopped || !error_.empty(); };
  bool done = true;
  if (timeout.count() < 0) cv_.wait(lock, ended);
  else done = cv_.wait_for(lock, timeout, ended);
  if (!error_.empty()) throw JobFailedError(error_);
  return done;
}

}  // namespace sluice
