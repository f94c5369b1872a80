#include "driver/streaming_context.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "common/shutdown_hooks.h"
#include "driver/driver_ui.h"
#include "driver/receiver_tracker.h"
#include "driver/reliable_socket_receiver.h"
#include "driver/streaming_rest.h"

namespace sluice {

JobContext* DStreamBase::jobContext() const { return &ssc_->context(); }

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
  });
  generator_ = std::make_unique<JobGenerator>(*clock_, batch_, graph_, *jobs_,
                                              [this](Time t) { receivers_->allocateBlocksToBatch(t); });
}

StreamingContext::~StreamingContext() {
  if (shutdown_hook_) removeShutdownHook(shutdown_hook_);
  stop(false, false);
  ui_.reset();
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

std::string StreamingContext::receiverWalDir(int stream_id) const {
  if (!receiverWalEnabled()) return "";
  return checkpointDir() + "/receivedData/" + std::to_string(stream_id);
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
  Status st = graph_.start(zero_time_, batch_, remember_);
  if (!st) throw std::invalid_argument(st.message());
  jobs_->start();
  if (receivers_->hasReceivers()) receivers_->start(ctx_, ctx_.executorBackend());
  generator_->start(zero_time_);
  startUi();
  state_ = State::kActive;
  // As Spark: SIGTERM stops streaming, gracefully when streaming.stopGracefullyOnShutdown.
  bool graceful = ctx_.conf().getBool("streaming.stopGracefullyOnShutdown", false);
  shutdown_hook_ = addShutdownHook(kStreamingShutdownPriority, [this, graceful] { stop(false, graceful); });
  spdlog::info("streaming started: batch interval {} ms, first batch at {}", batch_.ms, zero_time_ + batch_.ms);
}

void StreamingContext::stop(bool stop_context, bool graceful) {
  std::lock_guard<std::mutex> stopping(stop_mu_);  // a shutdown hook and main() may race
  if (state_ == State::kActive) {
    if (graceful) {
      // Receivers stop first and push their last blocks; the batches go on until every
      // received block belongs to one, and every batch generated so far is processed.
      receivers_->stop();
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10) + std::chrono::milliseconds(2 * batch_.ms);
      while (receivers_->hasUnallocatedBlocks() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      Time last = generator_->lastGeneratedBatch();
      generator_->stop();
      if (last >= 0) jobs_->waitForBatch(last, std::chrono::hours(1));
      jobs_->stop(true);
    } else {
      generator_->stop();
      receivers_->stop();
      jobs_->stop(false);
    }
    spdlog::info("streaming stopped{}", graceful ? " gracefully" : "");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = State::kStopped;
  }
  cv_.notify_all();
  if (stop_context) ctx_.stop();
}

bool StreamingContext::awaitTermination(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto stopped = [&] { return state_ == State::kStopped; };
  if (timeout.count() < 0) {
    cv_.wait(lock, stopped);
    return true;
  }
  return cv_.wait_for(lock, timeout, stopped);
}

}  // namespace sluice
