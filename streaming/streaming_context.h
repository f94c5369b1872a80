// StreamingContext: the entry point of a streaming application (Spark's
// StreamingContext): the user API. It owns the DStream graph and the receivers, over a
// Context that runs the batches' jobs; the rest lives in files of its own:
//   streaming_settings.h            the streaming configuration, read once
//   streaming_wiring.h              the batch timer and job scheduler, and their hooks
//   recovery/checkpoint_recovery.h  what start() takes over from a checkpoint
//   recovery/checkpoint_writer.h    the checkpoints written while streaming runs
//   ui/streaming_tab.h              its pages, REST paths and metrics in the driver UI
//
// With --conf streaming.clock=manual the batch timer follows a ManualClock that tests
// advance (manualClock()), as Spark's tests do; otherwise the system clock.
//
// With streaming.batchDuration.adaptive=true the interval changes from batch to batch
// (streaming/adaptive/): it starts at the interval in effect and follows processing time.
// Such a graph may have no window and no stateful stream (start() refuses them), and
// backpressure must be off.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "driver/context.h"
#include "streaming/context_waiter.h"
#include "streaming/dstream/dstream_graph.h"
#include "streaming/duration.h"
#include "streaming/job_generator.h"
#include "streaming/job_scheduler.h"
#include "streaming/recovery/state_snapshots.h"
#include "streaming/streaming_listener.h"
#include "streaming/streaming_progress.h"
#include "streaming/streaming_settings.h"
#include "streaming/streaming_wiring.h"

namespace sluice {

template <class T>
class DStream;
template <class T>
class RDDQueue;
template <class T>
class Receiver;
class ReceiverTracker;
class RateController;
class StreamingTab;
class BlockMetadataLog;
class CheckpointWriter;

class AdaptiveBatchInterval;

class StreamingContext {
 public:
  enum class State { kInitialized, kActive, kStopped };

  // ctx must outlive this object. The batch interval is batch_interval unless conf
  // streaming.batchDuration overrides it (sluice-submit --batch-duration), so that one
  // compiled application can be run at several intervals; batchDuration() is the interval
  // in effect, from here on (input streams and windows made before start() see it).
  // Throws std::invalid_argument when the interval is not positive or the key does not
  // read as a positive duration, or a streaming.batchDuration.adaptive.* value is out of
  // range.
  StreamingContext(Context& ctx, Duration batch_interval);
  // Spark's getOrCreate for a driver that may be a restart: create() builds the context and
  // its whole DStream graph (code cannot be read back from disk, so it always runs), and
  // checkpointDir becomes its checkpoint directory. start() then recovers from what is
  // there: it refuses (std::invalid_argument) a checkpoint written by a different graph or
  // batch interval; it keeps the earlier driver's batch times, starts stateful streams
  // from their checkpointed state, and, with the receiver WAL on, re-runs every batch that
  // did not complete at its own batch time on its own blocks (so that saveAsTextFiles
  // replaces that batch's output) and gives the blocks no batch took to the next batch.
  static std::unique_ptr<StreamingContext> getOrCreate(const std::string& checkpoint_dir,
                                                       const std::function<std::unique_ptr<StreamingContext>()>& create);
  // Stops (not gracefully) if still active.
  ~StreamingContext();
  StreamingContext(const StreamingContext&) = delete;
  StreamingContext& operator=(const StreamingContext&) = delete;

  Context& context() { return ctx_; }
  // The interval batches are cut at: streaming.batchDuration when set, else the one given
  // to the constructor (batchInterval() says which).
  Duration batchDuration() const { return batch_; }
  const BatchInterval& batchInterval() const { return interval_; }
  // Null unless streaming.batchDuration.adaptive is on; then interval() is the next batch's.
  const AdaptiveBatchInterval* adaptiveInterval() const { return adaptive_.get(); }
  State state() const { return state_.load(); }

  // RDDs pushed to queue become the batches' input: one per batch, or all queued at once.
  template <class T>
  DStream<T> queueStream(std::shared_ptr<RDDQueue<T>> queue, bool one_at_a_time = true);
  // Records from a receiver of the application's own (see streaming/receiver/receiver.h), run as a
  // long-running task on an executor.
  template <class T>
  DStream<T> receiverStream(std::shared_ptr<Receiver<T>> receiver);
  // Lines of text from a TCP server at host:port (reconnecting when the connection ends).
  // Each block is kept on 2 executors while the receiver WAL is off, unless conf
  // streaming.receiver.replication says otherwise (see receiverReplication()).
  DStream<std::string> socketTextStream(const std::string& host, int port);
  // Lines "<seq> ..." from a TCP server that speaks sluice-gen's acknowledged protocol
  // (sluice-gen --numbered): each block of lines is acknowledged once it is stored (in the
  // receiver WAL when that is on), and unacknowledged lines come again after a failure.
  DStream<std::string> reliableSocketTextStream(const std::string& host, int port);
  // records_per_second generated lines of record_bytes bytes of words "w<N>", N below
  // vocabulary: a source for benchmarks.
  DStream<std::string> rateStream(int64_t records_per_second, int record_bytes = 100, int vocabulary = 1000);
  // The lines of every new file moved into dir, each file read once. A relative dir, like
  // every path here, is taken against the submitter's directory (Context::absolutePath).
  DStream<std::string> textFileStream(const std::string& dir);
  // Sets the checkpoint directory (else conf streaming.checkpoint.dir). It holds
  // metadata/ (checkpoints every streaming.checkpoint.interval, default 10 batches and at
  // least 10 s, the newest streaming.checkpoint.keep=10 kept) and, with the receiver WAL
  // (streaming.receiver.writeAheadLog.enable=true), receivedData/<stream-id>/ (blocks) and
  // receivedBlockMetadata/ (the driver's block log). It must be on a file system that the
  // driver and every executor see; a relative dir is taken against the submitter's
  // directory. Before start().
  void checkpoint(const std::string& dir);
  // The checkpoint directory, "" when none is set.
  std::string checkpointDir() const;
  // Whether receivers write their blocks to a WAL before reporting them.
  bool receiverWalEnabled() const;
  // Copies of each received block, the receiving executor's included, for a receiver that
  // asks for receiver_default (socketTextStream: 2, Spark's MEMORY_AND_DISK_SER_2; other
  // receivers: 1): conf streaming.receiver.replication when set, else receiver_default.
  // With the receiver WAL on, blocks are kept on one executor whatever this says (the WAL
  // is the other copy, as in Spark). Throws std::invalid_argument when the conf is not a
  // positive integer.
  int receiverReplication(int receiver_default) const;
  // Internal: the receiver WAL directory of an input stream, "" when the WAL is off.
  std::string receiverWalDir(int stream_id) const;
  // Spark's transform(dstreams, transformFunc), with each stream's element type kept:
  // f(const RDD<A>&, const RDD<B>&, ...[, Time]) -> RDD<U>, on the driver, every batch,
  // given each stream's RDD of the batch, e.g. ssc.transform(f, words, counts, ids). The
  // streams must have one slide (std::invalid_argument otherwise); a stream without an
  // RDD for a batch is then an error, as in Spark. Defined in dstream.h.
  template <class F, class... Ts>
    requires(sizeof...(Ts) > 0)
  auto transform(F f, const DStream<Ts>&... streams);
  // The same over streams of one element type: f(std::vector<RDD<T>>[, Time]) -> RDD<U>
  // (transformStreams in dstream.h).
  template <class T, class F>
  auto transform(const std::vector<DStream<T>>& streams, F f);
  // Keeps every stream's RDDs at least this long (for slice()).
  void remember(Duration d) { remember_ = d; }

  // Starts the receivers and the batch timer (and, with streaming.backpressure.enabled,
  // backpressure: streaming/rate/rate_controller.h). Throws std::invalid_argument when the
  // graph is not valid (e.g. no output operation, or a window or slide that is not a
  // multiple of its parent's slide at the interval in effect: the message names the
  // stream, its window and slide, and where the interval came from), when a
  // streaming.backpressure.pid.* value is out of range, when the checkpoint directory
  // holds a checkpoint of another graph or interval, or, with an adaptive interval, when the
  // graph has a window or a stateful stream or backpressure is on (the message names the
  // stream or the keys); std::logic_error when started twice.
  void start();
  // Stops the timer and the receivers; graceful first processes all received data, for at
  // most streaming.gracefulStopTimeout (default 10 batch intervals), then stops as a
  // non-graceful stop does. A non-graceful stop gives running batches 2 s, then cancels
  // their jobs; receivers that do not answer within 10 s have their jobs cancelled. So
  // stop() returns even when the executors or the master are gone. stop_context also
  // stops the Context.
  void stop(bool stop_context = false, bool graceful = false);
  // Waits for stop(); false when timeout passed first (a negative timeout waits forever).
  // As Spark, throws JobFailedError with its message once an output operation of a batch
  // failed (streaming itself goes on until stopped).
  bool awaitTermination(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));
  // streaming.gracefulStopTimeout, default 10 batch intervals.
  std::chrono::milliseconds gracefulStopTimeout() const;

  void addStreamingListener(StreamingListener* listener) { wiring_->jobs().addListener(listener); }
  // Null unless streaming.clock=manual.
  ManualClock* manualClock() { return manual_clock_; }
  // Blocks until batch t completed.
  bool waitForBatch(Time t, std::chrono::milliseconds timeout) { return wiring_->jobs().waitForBatch(t, timeout); }

  // Internal, for the DStream API.
  DStreamGraph& graph() { return graph_; }
  JobScheduler& jobScheduler() { return wiring_->jobs(); }
  JobGenerator& jobGenerator() { return wiring_->generator(); }
  int nextOutputId() { return next_output_id_++; }
  Time zeroTime() const { return zero_time_; }
  Clock& clock() { return *clock_; }
  ReceiverTracker& receiverTracker() { return *receivers_; }
  StateSnapshots& stateSnapshots() { return states_; }
  // What the REST API shows: batches and receivers.
  StreamingProgress progress() const;
  // The driver UI's port (the Context's), -1 when ui.enabled=false or it could not bind.
  int uiPort() const;

 private:
  void stopGracefully();
  void stopNow();
  // Stops the job threads, cancelling the jobs of batches that do not end by themselves.
  void stopJobs();
  // Writes a checkpoint when there is a checkpoint directory and one is due (or force).
  void writeCheckpoint(bool force);

  Context& ctx_;
  const BatchInterval interval_;
  const Duration batch_;  // interval_.effective
  const StreamingSettings settings_;
  Duration remember_{0};
  std::string checkpoint_dir_;
  StateSnapshots states_;
  std::unique_ptr<Clock> clock_;
  ManualClock* manual_clock_ = nullptr;
  DStreamGraph graph_;
  ContextWaiter waiter_;
  std::unique_ptr<BlockMetadataLog> metadata_log_;  // with the receiver WAL; outlives receivers_
  std::unique_ptr<ReceiverTracker> receivers_;
  std::unique_ptr<RateController> rate_controller_;  // with backpressure; outlives wiring_'s job threads
  std::unique_ptr<AdaptiveBatchInterval> adaptive_;  // with an adaptive interval; outlives wiring_
  std::unique_ptr<StreamingWiring> wiring_;
  std::unique_ptr<CheckpointWriter> checkpoints_;  // from start() on, with a checkpoint directory
  std::unique_ptr<StreamingTab> ui_;  // the streaming pages of the driver UI
  std::atomic<State> state_{State::kInitialized};
  std::atomic<int> next_output_id_{0};
  Time zero_time_ = 0;
  std::mutex stop_mu_;
  int shutdown_hook_ = 0;
};

}  // namespace sluice

#include "streaming/dstream/dstream.h"
#include "streaming/streaming_sources.h"
