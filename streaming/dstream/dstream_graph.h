// DStreamGraph: the input and output streams of a StreamingContext. Each batch, every
// output stream gives one job (Spark's DStreamGraph).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "streaming/dstream/dstream_base.h"

namespace sluice {

struct StreamingJob {
  Time time = 0;
  int output_op_id = 0;
  std::string name;
  std::function<void()> run;
  std::string pool;  // the scheduling pool its jobs go to ("" for the default)
};

// An output operation (foreachRDD, print, saveAsTextFiles).
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual std::shared_ptr<DStreamBase> stream() = 0;
  // The job of batch t, or nothing when the stream has no RDD for t.
  virtual std::optional<StreamingJob> generateJob(Time t) = 0;
};

// An input stream: fed by a receiver, a queue, or a directory.
class InputStream {
 public:
  virtual ~InputStream() = default;
  virtual std::shared_ptr<DStreamBase> stream() = 0;
  virtual int id() const = 0;
  // Records the batch at time t reads from this input (known once t was computed).
  virtual int64_t recordsAt(Time t) const = 0;
  // For an input whose batches' data is fixed when they are generated (a direct Kafka
  // stream's offset ranges): called once by start(), before the first batch, with the
  // checkpoint directory; returns the batches an earlier driver generated that may not have
  // completed, which are re-run on the same data. Throws std::runtime_error when what it
  // saved cannot be read. Default: none.
  virtual std::vector<Time> recoverFrom(const std::string& /*checkpoint_dir*/) { return {}; }
};

class DStreamGraph {
 public:
  void addInput(std::shared_ptr<InputStream> input);
  void addOutput(std::shared_ptr<OutputStream> output);
  int nextInputId() { return next_input_id_++; }
  int numOutputs() const;
  const std::vector<std::shared_ptr<InputStream>>& inputs() const { return inputs_; }
  const std::vector<std::shared_ptr<OutputStream>>& outputs() const { return outputs_; }

  // Whether the graph can run at batch interval batch: an output exists, every window and
  // slide is a positive multiple of its parents' slides, every slide a multiple of batch
  // and every checkpoint interval set with DStream::checkpoint() a positive multiple of its
  // stream's slide. The error names the first stream that does not fit, with its window
  // and slide (or its checkpoint interval).
  Status validate(Duration batch) const;
  // Whether the graph can run with batch intervals that change from batch to batch
  // (streaming.batchDuration.adaptive): no window (their lengths and slides count batches
  // of one interval), no stateful stream (state, mapWithState, windows with an inverse
  // function: their lineage cuts and checkpoints count batches too) and no checkpoint
  // interval set with DStream::checkpoint(). The error names the
  // first stream that does not fit and says why.
  Status validateVariableIntervals() const;
  // Validates the graph and initializes every stream with the zero time and how long it
  // must remember its RDDs; with variable_intervals, validateVariableIntervals() too, and
  // any time the JobGenerator picks is a batch time of every stream.
  Status start(Time zero_time, Duration batch, Duration min_remember, bool variable_intervals = false);
  // The jobs of batch t, after each stream's checkpoint due before t (checkpointBefore).
  std::vector<StreamingJob> generateJobs(Time t);
  // After start(): the longest any stream remembers its RDDs (how far back a batch reads).
  Duration maxRememberDuration() const;
  // Forgets RDDs no later batch needs, after batch t completed.
  void clearMetadata(Time t);

 private:
  std::vector<std::shared_ptr<DStreamBase>> allStreams() const;
  Status validateLocked(Duration batch) const;
  Status validateVariableIntervalsLocked() const;

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<InputStream>> inputs_;
  std::vector<std::shared_ptr<OutputStream>> outputs_;
  int next_input_id_ = 0;
};

}  // namespace sluice
