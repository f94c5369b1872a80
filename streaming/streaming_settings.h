// StreamingSettings: the configuration a StreamingContext reads, parsed once when it is
// built (the Context's Conf does not change afterwards). A bad value is logged and its
// default used (Conf's rule), except streaming.receiver.replication, whose error is kept
// for receiverStream() to throw (StreamingContext::receiverReplication()).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/conf.h"
#include "common/status.h"
#include "streaming/duration.h"

namespace sluice {

struct StreamingSettings {
  bool manual_clock = false;  // streaming.clock=manual (else the system clock)
  int concurrent_jobs = 1;    // streaming.concurrentJobs
  // scheduler.locality.waitMax of the batches' jobs: streaming.locality.maxWaitFraction
  // (default 0.2) of the batch interval, as "<n>ms"; "" (no cap) when the fraction is < 0.
  std::string locality_wait_max;

  std::string checkpoint_dir;  // streaming.checkpoint.dir, "" when not set
  // streaming.checkpoint.interval: default 10 batch intervals and at least 10 s.
  std::chrono::milliseconds checkpoint_interval{0};
  int checkpoint_keep = 10;   // streaming.checkpoint.keep
  bool receiver_wal = false;  // streaming.receiver.writeAheadLog.enable
  // streaming.receiver.replication: nullopt when not set; replication_error is not empty
  // when it is set to anything but a positive integer.
  std::optional<int> receiver_replication;
  std::string receiver_replication_error;

  // streaming.gracefulStopTimeout: default 10 batch intervals (Spark's).
  std::chrono::milliseconds graceful_stop_timeout{0};
  bool stop_gracefully_on_shutdown = false;  // streaming.stopGracefullyOnShutdown
  // The driver UI's keys (ui.*) are the Context's: driver/context.cc.
};

// Reads the settings of a StreamingContext with this batch interval from conf. Never
// throws.
StreamingSettings readStreamingSettings(const Conf& conf, Duration batch);

// The batch interval a StreamingContext runs at: streaming.batchDuration when it is set,
// else the interval the application gave in code.
struct BatchInterval {
  Duration effective;
  Duration in_code;
  bool from_conf = false;  // streaming.batchDuration was set (even to the code's value)
  // For messages: "250 ms" or "250 ms (streaming.batchDuration; the application gives 1000 ms)".
  std::string describe() const;
};

// Resolves the interval of a StreamingContext whose application gives in_code. Unlike
// Conf's rule for other keys (warn, use the default), a streaming.batchDuration that is not
// a positive duration is an InvalidArgument error: a sweep must not run at the code's
// interval by mistake. So is a non-positive interval in code that nothing overrides.
StatusOr<BatchInterval> resolveBatchInterval(const Conf& conf, Duration in_code);

}  // namespace sluice
