#include "streaming/streaming_context.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "common/config_keys.h"
#include "common/shutdown_hooks.h"
#include "streaming/adaptive/adaptive_batch_interval.h"
#include "streaming/rate/rate_controller.h"
#include "streaming/receiver/reliable_socket_receiver.h"
#include "streaming/receiver_tracker.h"
#include "streaming/recovery/block_metadata_log.h"
#include "streaming/recovery/checkpoint_recovery.h"
#include "streaming/recovery/checkpoint_writer.h"
#include "streaming/ui/streaming_tab.h"

namespace sluice {

namespace {

BatchInterval resolveOrThrow(const Conf& conf, Duration in_code) {
  auto interval = resolveBatchInterval(conf, in_code);
  if (!interval) throw std::invalid_argument(interval.status().message());
  return *interval;
}

std::unique_ptr<AdaptiveBatchInterval> adaptiveOrThrow(const Conf& conf, Duration initial) {
  auto adaptive = AdaptiveBatchInterval::fromConf(conf, initial);
  if (!adaptive) throw std::invalid_argument(adaptive.status().message());
  return std::move(*adaptive);
}

// The interval the settings that scale with it (graceful stop timeout, checkpoint interval,
// locality wait cap) are computed from: with an adaptive interval, the longest it may take.
Duration settingsInterval(const Conf& conf, Duration batch) {
  if (!conf.get(keys::kStreamingBatchDurationAdaptive)) return batch;
  return std::max(batch, Milliseconds(conf.get(keys::kStreamingBatchDurationAdaptiveMax).count()));
}

}  // namespace

StreamingContext::StreamingContext(Context& ctx, Duration batch_interval)
    : ctx_(ctx),
      interval_(resolveOrThrow(ctx.conf(), batch_interval)),
      batch_(interval_.effective),
      settings_(readStreamingSettings(ctx.conf(), settingsInterval(ctx.conf(), batch_))),
      receivers_(std::make_unique<ReceiverTracker>()),
      adaptive_(adaptiveOrThrow(ctx.conf(), batch_)) {
  if (settings_.manual_clock) {
    auto manual = std::make_unique<ManualClock>(0);
    manual_clock_ = manual.get();
    clock_ = std::move(manual);
  } else {
    clock_ = std::make_unique<SystemClock>();
  }
  wiring_ = std::make_unique<StreamingWiring>(ctx_, *clock_, batch_, settings_, graph_, *receivers_, waiter_,
                                              adaptive_.get());
}

StreamingContext::~StreamingContext() {
  if (shutdown_hook_) removeShutdownHook(shutdown_hook_);
  stop(false, false);
  ui_.reset();
}

StreamingProgress StreamingContext::progress() const {
  StreamingProgress p;
  p.start_ms = zero_time_;
  p.batch_duration_ms = adaptive_ ? adaptive_->interval().ms : batch_.ms;
  p.adaptive_interval = adaptive_ != nullptr;
  const JobScheduler& jobs = wiring_->jobs();
  p.active = jobs.activeBatches();
  p.completed = jobs.completedBatches();
  p.num_total_completed = jobs.numCompletedBatches();
  p.num_total_processed_records = jobs.numProcessedRecords();
  p.receivers = receivers_->receivers();
  p.overload = jobs.overload();
  p.num_dropped_batches = static_cast<int64_t>(jobs.droppedBatches().size());
  return p;
}

int StreamingContext::uiPort() const {
  DriverWebUi* ui = ctx_.webUi();
  return ui ? ui->port() : -1;
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
  // Listed here on the driver, read by executors: both need the path the submitter meant.
  auto node = std::make_shared<FileInputDStream>(this, graph_.nextInputId(), batch_, ctx_.absolutePath(dir));
  graph_.addInput(std::make_shared<InputStreamAdapter<std::string>>(node));
  return DStream<std::string>(this, node);
}

void StreamingContext::checkpoint(const std::string& dir) {
  if (state_ != State::kInitialized) throw std::logic_error("set the checkpoint directory before StreamingContext::start()");
  checkpoint_dir_ = ctx_.absolutePath(dir);  // receivers write their WALs under it from their own dirs
}

std::string StreamingContext::checkpointDir() const {
  return checkpoint_dir_.empty() ? settings_.checkpoint_dir : checkpoint_dir_;
}

bool StreamingContext::receiverWalEnabled() const { return settings_.receiver_wal; }

int StreamingContext::receiverReplication(int receiver_default) const {
  if (!settings_.receiver_replication_error.empty()) {
    throw std::invalid_argument(settings_.receiver_replication_error);
  }
  return settings_.receiver_replication.value_or(receiver_default);
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

void StreamingContext::writeCheckpoint(bool force) {
  if (checkpoints_) checkpoints_->write(force);
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
  if (interval_.from_conf) {
    spdlog::info("batch interval {} from {}, overriding the {} the application gives", batch_.toString(),
                 keys::kStreamingBatchDuration.name, interval_.in_code.toString());
  }
  // Before anything is recovered or started: the windows must fit the interval in effect.
  if (Status valid = graph_.validate(batch_); !valid) {
    std::string origin = interval_.from_conf ? "; the batch interval is " + interval_.describe() : "";
    throw std::invalid_argument(valid.message() + origin);
  }
  if (adaptive_) {
    if (Status valid = graph_.validateVariableIntervals(); !valid) throw std::invalid_argument(valid.message());
    if (ctx_.conf().get(keys::kStreamingBackpressureEnabled)) {
      throw std::invalid_argument(std::string(keys::kStreamingBackpressureEnabled.name) + " and " +
                                  keys::kStreamingBatchDurationAdaptive.name +
                                  " both answer slow batches, one by slowing the receivers, the other by "
                                  "lengthening the interval: enable one of them");
    }
  }
  auto backpressure = RateController::fromConf(ctx_.conf(), batch_.ms, *receivers_);
  if (!backpressure) throw std::invalid_argument(backpressure.status().message());
  if (adaptive_) wiring_->jobs().addListener(adaptive_.get());
  rate_controller_ = std::move(*backpressure);
  if (rate_controller_) wiring_->jobs().addListener(rate_controller_.get());
  int64_t now = clock_->nowMs();
  zero_time_ = now - now % batch_.ms;
  std::vector<Time> rerun;  // incomplete batches of the previous run
  SavedStates recovered_states;
  if (!checkpointDir().empty()) {
    CheckpointRecovery recovered =
        recoverFromCheckpoint(checkpointDir(), graph_, batch_, settings_, ctx_.conf(), *receivers_);
    if (recovered.zero_time) zero_time_ = *recovered.zero_time;
    recovered_states = std::move(recovered.states);
    rerun = std::move(recovered.rerun);
    metadata_log_ = std::move(recovered.metadata_log);
    checkpoints_ = std::make_unique<CheckpointWriter>(
        std::move(recovered.checkpointer), std::move(recovered.graph_identity), batch_, zero_time_,
        CheckpointWriter::Sources{graph_, wiring_->jobs(), wiring_->generator(), states_, *receivers_, ctx_.conf()});
    wiring_->setCheckpointWriter(checkpoints_.get());
    // Inputs that fixed their batches' data when generating them (direct Kafka streams)
    // re-run the batches that had not completed, on the same data.
    for (const auto& input : graph_.inputs()) {
      for (Time t : input->recoverFrom(checkpointDir())) rerun.push_back(t);
    }
    std::sort(rerun.begin(), rerun.end());
    rerun.erase(std::unique(rerun.begin(), rerun.end()), rerun.end());
  }
  Status st = graph_.start(zero_time_, batch_, remember_, adaptive_ != nullptr);
  if (!st) throw std::invalid_argument(st.message());
  states_.restore(recovered_states);
  wiring_->jobs().start();
  if (receivers_->hasReceivers()) receivers_->start(ctx_, ctx_.schedulerBackend());
  // The next batch time after now on the grid of zero_time_ (a restarted driver keeps its
  // predecessor's), after the re-runs of incomplete batches.
  Time first = now - (now - zero_time_) % batch_.ms + batch_.ms;
  wiring_->generator().start(zero_time_, first, std::move(rerun));
  writeCheckpoint(true);
  if (DriverWebUi* ui = ctx_.webUi()) ui_ = std::make_unique<StreamingTab>(*ui, [this] { return progress(); });
  state_ = State::kActive;
  // As Spark: SIGTERM stops streaming, gracefully when streaming.stopGracefullyOnShutdown.
  bool graceful = settings_.stop_gracefully_on_shutdown;
  if (graceful) extendShutdownTimeout(gracefulStopTimeout() + std::chrono::seconds(30));
  shutdown_hook_ = addShutdownHook(kStreamingShutdownPriority, [this, graceful] { stop(false, graceful); });
  spdlog::info("streaming started: batch interval {} ms{}, first batch at {}", batch_.ms,
               adaptive_ ? " (" + adaptive_->describe() + ")" : "", first);
}

std::chrono::milliseconds StreamingContext::gracefulStopTimeout() const { return settings_.graceful_stop_timeout; }

void StreamingContext::stop(bool stop_context, bool graceful) {
  std::lock_guard<std::mutex> stopping(stop_mu_);  // a shutdown hook and main() may race
  if (state_ == State::kActive) {
    if (graceful) stopGracefully();
    else stopNow();
    writeCheckpoint(true);
    spdlog::info("streaming stopped{}", graceful ? " gracefully" : "");
  }
  state_ = State::kStopped;
  waiter_.notifyStop();
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
  JobGenerator& generator = wiring_->generator();
  JobScheduler& jobs = wiring_->jobs();
  Time last = generator.lastGeneratedBatch();
  generator.stop();
  bool drained = (last < 0 || jobs.waitForBatch(last, left())) && jobs.stop(true, left());
  if (!drained) {
    spdlog::warn("graceful stop timed out after {} ms (streaming.gracefulStopTimeout); stopping the remaining "
                 "batches",
                 timeout.count());
    stopJobs();
  }
}

void StreamingContext::stopNow() {
  wiring_->generator().stop();
  receivers_->stop();
  stopJobs();
}

void StreamingContext::stopJobs() {
  // As Spark's JobScheduler, which gives running jobs 2 s: then they are cancelled (their
  // stages may wait for executors that are gone), and the job threads end.
  JobScheduler& jobs = wiring_->jobs();
  if (!jobs.stop(false, std::chrono::seconds(2))) {
    spdlog::warn("batches still running after 2 s; cancelling their jobs");
    do {
      for (const BatchInfo& b : jobs.activeBatches()) {
        ctx_.cancelJobGroup(kBatchJobGroupPrefix + std::to_string(b.batch_time), "streaming is stopping");
      }
    } while (!jobs.stop(false, std::chrono::milliseconds(500)));
  }
  std::vector<Time> dropped = jobs.droppedBatches();
  if (dropped.empty()) {
    spdlog::debug("stopped with no queued batches");
  } else {
    spdlog::warn("stopped with {} queued batches not run (batch times {} to {}): they were generated but not "
                 "processed, and their records are dropped; a graceful stop processes them first "
                 "(ssc.stop(..., graceful=true), or streaming.stopGracefullyOnShutdown=true for SIGTERM)",
                 dropped.size(), dropped.front(), dropped.back());
  }
}

bool StreamingContext::awaitTermination(std::chrono::milliseconds timeout) {
  return waiter_.waitForStopOrError(timeout);
}

}  // namespace sluice
