// ReceiverSink: what a streaming receiver running inside a task may ask of its executor —
// store a block of received records and report it to the driver, learn that it must stop.
// The streaming room implements it (streaming/receiver/receiver_sink_impl.h) and an executor
// hands it out through its ReceiverHost (executor/receiver_host.h); receivers only see this.
//
// THREADING: every method is thread-safe (a receiver stores from its own threads).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stop_token>
#include <string>

#include "common/status.h"

namespace sluice {

class ReceiverSink {
 public:
  virtual ~ReceiverSink() = default;

  virtual int streamId() const = 0;
  // How often buffered records are cut into a block (streaming.blockInterval).
  virtual std::chrono::milliseconds blockInterval() const = 0;
  // Stores a block (bytes: the Cereal encoding of a std::vector<T> of num_records records)
  // in this executor's BlockManager, and in a second executor's when the storage level
  // asks for a replica, then reports it to the driver. Returns once the driver has
  // recorded the block; an error means it was not recorded and will not be processed.
  // position: where the source is after the block ("" when the receiver does not say).
  virtual Status pushBlock(std::string bytes, int64_t num_records, std::string position = "") = 0;
  // An empty buffer with room for capacity bytes, for the next block's bytes: the sink may
  // hand back the buffer of a block it stored and has since dropped, whose memory is
  // already mapped (BufferPool). The default is a new one.
  virtual std::string takeBlockBuffer(size_t capacity) {
    std::string buffer;
    buffer.reserve(capacity);
    return buffer;
  }
  // Turns on the receiver write-ahead log (streaming.receiver.writeAheadLog.enable): from
  // now on pushBlock() first writes each block durably to a WAL under dir, and reports its
  // handle with it. Call before the first pushBlock(). Unimplemented where there is no WAL.
  virtual Status enableWriteAheadLog(const std::string& /*dir*/) {
    return Status::internal("this executor has no receiver write-ahead log");
  }
  // The position of the stream's last block the driver recorded when this receiver
  // registered (see Receiver::resumePosition), "" when none.
  virtual std::string resumePosition() const { return ""; }
  // The rate limit (streaming.receiver.maxRate, backpressure): blocks until n more records
  // may be stored, so that a receiver's source is slowed down rather than buffered.
  // Returns false when stop was requested first (the records may be stored anyway, a
  // stopping receiver's last ones). Without a limit, returns true at once.
  virtual bool waitToPush(int64_t /*n*/, std::stop_token /*stop*/) { return true; }
  // The current limit in records per second, 0 when there is none.
  virtual int64_t rateLimit() const { return 0; }
  // Tells the driver (one log line there) without stopping the receiver.
  virtual void reportError(const std::string& message) = 0;
  // True once the driver asked this receiver to stop, or the executor is stopping.
  virtual bool stopRequested() const = 0;
  // Waits up to timeout for stopRequested(); returns it.
  virtual bool waitForStop(std::chrono::milliseconds timeout) = 0;
};

}  // namespace sluice
