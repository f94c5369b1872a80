// What one run of a sweep measured: the point it ran, every batch the driver's REST API
// showed, and the clock marks that split those batches into warm-up and measured ones.
// Plain values, filled by run.h and read by the judgement, the writers and the plots.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::tune {

// One grid point run once: the batch interval, the rate (records/s per receiver, 0 when
// the rate is not limited), which repeat of the point it is (1..N) and which attempt
// (1, or 2 when a contradicting point is measured again).
struct RunSpec {
  std::string run_id;  // "i250ms-r50000-n1", "-a2" appended on a second attempt
  int64_t interval_ms = 0;
  int64_t rate = 0;
  int repeat = 1;
  int attempt = 1;
};

// One batch as the REST API (/streaming/batches) last showed it. Delays are -1 when not
// known yet: a QUEUED batch has none, a PROCESSING one only its scheduling delay.
struct BatchRecord {
  int64_t batch_time_ms = 0;  // the batch's time (epoch ms), also its REST batchId
  std::string status;         // "COMPLETED", "PROCESSING" or "QUEUED"
  int64_t records = 0;
  int64_t scheduling_delay_ms = -1;
  int64_t processing_time_ms = -1;
  int64_t total_delay_ms = -1;

  bool completed() const { return status == "COMPLETED"; }
};

// A pause of the machine itself that stall_probe.h saw: for gap_ms from start_ms (epoch
// ms), the probe's thread pinned to `cpu` did not run.
struct MachineStall {
  int cpu = 0;
  int64_t start_ms = 0;
  int64_t gap_ms = 0;
};

enum class Phase { kWarmup, kMeasured, kAfter };
inline const char* phaseName(Phase phase) {
  return phase == Phase::kWarmup ? "warmup" : phase == Phase::kMeasured ? "measured" : "after";
}

// A run's record. Times are epoch milliseconds of the machine sluice-tune runs on (the
// driver runs there too, in client mode, so batch times are on the same clock).
struct RunMeasurement {
  RunSpec spec;
  std::vector<BatchRecord> batches;  // ascending batch time, each batch once
  int64_t first_batch_ms = 0;        // when the REST API first showed a completed batch
  int64_t warm_end_ms = 0;           // batches at or before this are warm-up
  int64_t measure_end_ms = 0;        // batches after warm_end_ms up to this are measured
  int64_t end_poll_ms = 0;           // when the last REST snapshot was taken
  int num_receivers = 0;             // from /streaming/statistics
  std::vector<MachineStall> stalls;  // the machine's pauses during the run (stall_probe.h)
  std::string error;                 // non-empty when the run failed; then the rest may be partial
  std::string log_prefix;  // the driver's <prefix>.out and <prefix>.err, relative to --out

  Phase phaseOf(const BatchRecord& b) const {
    if (b.batch_time_ms <= warm_end_ms) return Phase::kWarmup;
    return b.batch_time_ms <= measure_end_ms ? Phase::kMeasured : Phase::kAfter;
  }
  // Records/s offered to the application: the rate per receiver times the receivers
  // (a source without receivers counts as one); 0 when the rate is not limited.
  double offeredPerSecond() const {
    return static_cast<double>(spec.rate) * (num_receivers > 0 ? num_receivers : 1);
  }
};

}  // namespace sluice::tune
