// Receiver input streams (Spark's ReceiverInputDStream): the receiver runs as a
// long-running task (ReceiverRDD, one partition that never ends until stopped), and each
// batch's RDD (BlockRDD) has one partition per block received for that batch, preferring
// the executor that holds the block.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/record_block.h"
#include "streaming/dstream/input_dstreams.h"
#include "streaming/receiver_tracker.h"
#include "streaming/recovery/wal_block_reader.h"
#include "streaming/receiver/receiver.h"

namespace sluice {

// The receiver's task: runs it on the executor until the driver stops it.
template <class T>
class ReceiverRDD : public Registered<ReceiverRDD<T>, RDDNode<T>> {
 public:
  // wal_dir: where the receiver's executor writes its WAL, "" when the receiver WAL is off.
  ReceiverRDD(int id, int stream_id, std::shared_ptr<Receiver<T>> receiver, std::string wal_dir = "")
      : Registered<ReceiverRDD<T>, RDDNode<T>>(id, 1),
        stream_id_(stream_id),
        receiver_(std::move(receiver)),
        wal_dir_(std::move(wal_dir)) {}

  std::vector<Dependency> dependencies() const override { return {}; }
  std::vector<std::string> preferredLocations(int) const override {
    std::string where = receiver_->preferredLocation();
    return where.empty() ? std::vector<std::string>{} : std::vector<std::string>{where};
  }
  std::string name() const override { return "ReceiverRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int, TaskContext& ctx, Emit<T>) override {
    auto sink = ctx.openReceiver(stream_id_, receiver_->replication());
    if (!sink) throw std::runtime_error("receivers cannot run in this task context");
    if (!wal_dir_.empty()) {
      Status st = sink->enableWriteAheadLog(wal_dir_);
      if (!st) throw std::runtime_error("receiver " + std::to_string(stream_id_) + ": " + st.message());
    }
    receiver_->run(*sink);
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w(stream_id_);
    w.writeNode(receiver_.get());
    w(wal_dir_);
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    int stream_id = 0;
    r(stream_id);
    auto receiver = r.readNodeAs<Receiver<T>>();
    std::string wal_dir;
    r(wal_dir);
    auto node = std::make_shared<ReceiverRDD>(base.id, stream_id, std::move(receiver), std::move(wal_dir));
    node->applyBase(base);
    return node;
  }

 private:
  int stream_id_;
  std::shared_ptr<Receiver<T>> receiver_;
  std::string wal_dir_;
};

// The received blocks of one batch: partition i reads block i, from this executor's
// BlockManager when it is here, else from the executor that holds it (or its replica),
// else, when the receiver WAL is on, from the WAL (Spark's WriteAheadLogBackedBlockRDD).
template <class T>
class BlockRDD : public Registered<BlockRDD<T>, RDDNode<T>> {
 public:
  BlockRDD(int id, std::vector<ReceivedBlockInfo> blocks)
      : Registered<BlockRDD<T>, RDDNode<T>>(id, static_cast<int>(blocks.size())), blocks_(std::move(blocks)) {}

  std::vector<Dependency> dependencies() const override { return {}; }
  std::vector<std::string> preferredLocations(int split) const override {
    const ReceivedBlockInfo& b = blocks_.at(split);
    std::vector<std::string> where{"executor:" + b.executor_id, b.host};
    if (!b.replica_executor_id.empty()) where.push_back("executor:" + b.replica_executor_id);
    return where;
  }
  std::string name() const override { return "BlockRDD[" + std::to_string(this->id_) + "]"; }
  void compute(int split, TaskContext& ctx, Emit<T> emit) override {
    const ReceivedBlockInfo& b = blocks_.at(split);
    auto bytes = ctx.getBlock(b.block_id);
    // With the WAL on, reading the log beats asking an executor that may be dead (a fetch
    // from a lost executor only ends at its timeout).
    if (!bytes && !b.wal_dir.empty()) {
      auto logged = readBlockFromWal(b.wal_dir, b.wal_handle);
      if (logged) {
        bytes = std::make_shared<const std::string>(std::move(*logged));
      } else {
        spdlog::warn("block {}: cannot read it from the WAL ({}); asking its executor", b.block_id,
                     logged.status().message());
      }
    }
    if (!bytes && ctx.executorId() != b.executor_id) bytes = ctx.fetchRemoteBlock(b.endpoint, b.block_id);
    if (!bytes && !b.replica_endpoint.empty()) bytes = ctx.fetchRemoteBlock(b.replica_endpoint, b.block_id);
    if (!bytes) {
      throw std::runtime_error("block " + b.block_id + " of input stream " + std::to_string(b.stream_id) +
                               " is lost (it was stored on executor " + b.executor_id + ")");
    }
    // Record by record from the block's bytes: no vector of the whole block.
    int64_t read = 0;
    Status st = forEachRecord<T>(*bytes, [&](T&& x) {
      ++read;
      emit(std::move(x));
    });
    ctx.metrics().records_read += read;
    if (!st) throw std::runtime_error("block " + b.block_id + ": " + st.message());
  }
  void save(LineageWriter& w) const override {
    this->saveBase(w);
    w(blocks_);
  }
  static std::shared_ptr<Node> load(LineageReader& r) {
    auto base = RDDBase::loadBase(r);
    std::vector<ReceivedBlockInfo> blocks;
    r(blocks);
    auto node = std::make_shared<BlockRDD>(base.id, std::move(blocks));
    node->applyBase(base);
    return node;
  }

 private:
  std::vector<ReceivedBlockInfo> blocks_;
};

template <class T>
class ReceiverInputDStream : public InputDStream<T> {
 public:
  ReceiverInputDStream(StreamingContext* ssc, int id, Duration batch, std::shared_ptr<Receiver<T>> receiver,
                       ReceiverTracker& tracker)
      : InputDStream<T>(ssc, id, batch), receiver_(std::move(receiver)), tracker_(tracker) {}
  std::string name() const override { return receiver_->name() + "InputDStream"; }

  // Makes the task that runs the receiver (the tracker launches it, and again on restart).
  std::shared_ptr<RDDBase> receiverRDD() const {
    return std::make_shared<ReceiverRDD<T>>(this->jobContext()->newRddId(), this->id(), receiver_,
                                            this->context()->receiverWalDir(this->id()));
  }

  void clearOldRDDs(Time time) override {
    InputDStream<T>::clearOldRDDs(time);
    tracker_.cleanupOldBlocks(this->id(), time - this->rememberDuration().ms);
  }

 protected:
  std::optional<RDD<T>> compute(Time t) override {
    std::vector<ReceivedBlockInfo> blocks = tracker_.blocksOfBatch(t, this->id());
    int64_t records = 0;
    for (const auto& b : blocks) records += b.num_records;
    this->setRecords(t, records);
    JobContext* ctx = this->jobContext();
    if (blocks.empty()) return emptyRDD<T>(ctx);
    return RDD<T>(ctx, std::make_shared<BlockRDD<T>>(ctx->newRddId(), std::move(blocks)));
  }

 private:
  std::shared_ptr<Receiver<T>> receiver_;
  ReceiverTracker& tracker_;
};

}  // namespace sluice
