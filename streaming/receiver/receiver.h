// Receiver<T>: the base of every streaming receiver (Spark's Receiver). A receiver is
// created on the driver, shipped to an executor inside a long-running task that holds one
// task slot, and run there: onStart() starts its own threads, which call store() for every
// record; the executor cuts the stored records into a block every streaming.blockInterval
// and reports each block to the driver, where it becomes one partition of a batch's RDD.
//
// To write one, derive from ReceiverBase<YourReceiver, T> and give YourReceiver a default
// constructor and a Cereal serialize() of its configuration (host, port, ...): that is what
// travels to the executor.
//
//   class LineReceiver : public sluice::ReceiverBase<LineReceiver, std::string> {
//    public:
//     void onStart() override { thread_ = std::thread([this] { while (!isStopped()) store(next()); }); }
//     void onStop() override { thread_.join(); }
//     template <class A> void serialize(A& ar) { ar(path_); }
//     ...
//   };
//   auto lines = ssc.receiverStream(std::make_shared<LineReceiver>(...));
//
// THREADING: store(), storeBlock(), restart(), stop(), reportError() and isStopped() may be
// called from any of the receiver's threads. onStart() must not block; onStop() must end
// the threads onStart() started (it may wait for them).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/serialize.h"
#include "streaming/receiver/block_generator.h"
#include "rdd/node.h"
#include "rdd/receiver_sink.h"

namespace sluice {

template <class T>
class Receiver : public Node {
 public:
  using value_type = T;

  // Starts receiving: must return at once, leaving the work to the receiver's threads.
  virtual void onStart() = 0;
  // Stops receiving: ends and joins whatever onStart() started.
  virtual void onStop() = 0;
  // For logs and the UI.
  virtual std::string name() const { return "Receiver"; }
  // A host (or "executor:<id>") to run on; "" lets the scheduler choose.
  virtual std::string preferredLocation() const { return ""; }
  // How many executors keep each received block (Spark's storage level _2 is 2): the one
  // that runs the receiver, and replication - 1 others when the application has them.
  // Conf streaming.receiver.replication=N overrides it for every receiver of the
  // application; with the receiver WAL on, each block is kept on one executor only.
  int replication() const { return replication_; }
  void setReplication(int copies) { replication_ = copies < 1 ? 1 : copies; }

  // Buffers one record; it joins the block cut at the end of the current block interval.
  // Under a rate limit (streaming.receiver.maxRate, backpressure) it first waits until the
  // record is within the limit: a receiver reading a socket then reads no faster, and TCP
  // pushes its sender back. The record is copied (encoded) into the block at once: a
  // receiver may reuse its object for the next record.
  void store(const T& record) {
    sink_->waitToPush(1, run_stop_token_);
    generator_->add(record);
  }
  // Stores records as one block now, and returns OK only once the block is durable in the
  // receiver WAL (when streaming.receiver.writeAheadLog.enable=true) and the driver has
  // recorded it. This is the hook of a reliable receiver (Spark's storeBlock contract):
  // acknowledge the records to the source only after it returns OK; on an error do not
  // acknowledge them, and restart() so that the source sends them again.
  //
  //   auto st = storeBlock(std::move(batch), last_offset);
  //   if (st) source.ack(last_offset); else restart("cannot store: " + st.message());
  //
  // position, when given, is where the source is after these records (an offset): the
  // driver records it with the block and hands the last one recorded to the next run of
  // this receiver as resumePosition(), even after the driver itself restarted.
  //
  // Under a rate limit it first waits until the block's records are within the limit (as
  // store() does for one; Spark limits store() only).
  Status storeBlock(std::vector<T> records, std::string position = "") {
    auto n = static_cast<int64_t>(records.size());
    if (n == 0) return Status::ok();
    sink_->waitToPush(n, run_stop_token_);
    return sink_->pushBlock(toBytes(records), n, std::move(position));
  }
  // The position of the last block the driver recorded from this receiver (or from its
  // earlier runs, before a failure), "" when none. A receiver whose source can resend
  // records resumes after it: the driver already has everything up to there, while the
  // acknowledgement of that block may have been lost in the failure.
  std::string resumePosition() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sink_ ? sink_->resumePosition() : "";
  }
  // How often store()'s records are cut into blocks (streaming.blockInterval); a reliable
  // receiver may use it to size its own storeBlock() batches.
  std::chrono::milliseconds blockInterval() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sink_ ? sink_->blockInterval() : std::chrono::milliseconds(200);
  }
  // True once the receiver is asked to stop (by the driver, by stop(), or for a restart).
  bool isStopped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopping_ || sink_ == nullptr || sink_->stopRequested();
  }
  // Stops the receiver and starts it again after delay (e.g. after a lost connection).
  void restart(const std::string& why, std::chrono::milliseconds delay = std::chrono::milliseconds(2000)) {
    std::string message = "restarting in " + std::to_string(delay.count()) + " ms: " + why;
    spdlog::warn("receiver {} ({}): {}", sink_->streamId(), name(), message);
    sink_->reportError(message);
    signal(Signal{true, delay});
  }
  // Stops the receiver for good; its task ends.
  void stop(const std::string& why) {
    spdlog::info("receiver {} ({}) stopping: {}", sink_->streamId(), name(), why);
    signal(Signal{false, {}});
  }
  // Reports an error to the driver without stopping.
  void reportError(const std::string& why) { sink_->reportError(why); }

  // Runs the receiver until the driver stops it or it stops itself (the executor side of
  // Spark's ReceiverSupervisor): onStart, wait, onStop, and again after a restart.
  void run(ReceiverSink& sink) {
    for (;;) {
      BlockGenerator<T> generator(sink);
      std::stop_source run_stop;  // ends the rate limit's waits when this run stops
      {
        std::lock_guard<std::mutex> lock(mu_);
        sink_ = &sink;
        generator_ = &generator;
        run_stop_token_ = run_stop.get_token();
        stopping_ = false;
        signal_.reset();
      }
      generator.start();
      spdlog::info("receiver {} ({}) started", sink.streamId(), name());
      onStart();
      std::optional<Signal> got;
      while (!got) {
        if (sink.waitForStop(std::chrono::milliseconds(50))) got = Signal{false, {}};
        std::lock_guard<std::mutex> lock(mu_);
        if (signal_) got = signal_;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
      }
      run_stop.request_stop();  // a thread waiting in store() goes on, so onStop() can join it
      onStop();
      generator.stop();  // the last records become a last block
      spdlog::info("receiver {} ({}) stopped after {} blocks", sink.streamId(), name(), generator.blocksPushed());
      if (!got->restart || sink.waitForStop(got->delay)) return;
    }
  }

 private:
  struct Signal {
    bool restart = false;
    std::chrono::milliseconds delay{0};
  };
  void signal(Signal s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!signal_) signal_ = s;
  }

  int32_t replication_ = 1;
  mutable std::mutex mu_;
  ReceiverSink* sink_ = nullptr;
  BlockGenerator<T>* generator_ = nullptr;
  // Set with sink_ and generator_ before onStart(), and left alone until its threads are
  // joined: store() reads all three without the lock.
  std::stop_token run_stop_token_;
  bool stopping_ = false;
  std::optional<Signal> signal_;
};

// CRTP base that makes Derived shippable: Derived needs a default constructor and a Cereal
// `template <class A> void serialize(A&)` of its configuration.
template <class Derived, class T>
class ReceiverBase : public Registered<Derived, Receiver<T>> {
 public:
  void save(LineageWriter& w) const override {
    w(static_cast<const Derived&>(*this));
    w(static_cast<int32_t>(this->replication()));
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto receiver = std::make_shared<Derived>();
    int32_t replication = 1;
    r(*receiver);
    r(replication);
    receiver->setReplication(replication);
    return receiver;
  }
};

}  // namespace sluice
