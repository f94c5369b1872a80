#include "streaming/streaming_settings.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "common/config_keys.h"

namespace sluice {
namespace {

std::string batchLocalityWaitMax(const Conf& conf, Duration batch) {
  double fraction = conf.get(keys::kStreamingLocalityMaxWaitFraction);
  if (fraction < 0) return "";
  return std::to_string(static_cast<int64_t>(static_cast<double>(batch.ms) * fraction)) + "ms";
}

void readReceiverReplication(const Conf& conf, StreamingSettings& s) {
  const std::string key = keys::kStreamingReceiverReplication.name;
  if (!conf.contains(key)) return;
  std::string text = conf.get(key);
  size_t used = 0;
  int copies = 0;
  try {
    copies = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || copies < 1) {
    s.receiver_replication_error =
        key + " must be a positive integer (copies of each received block), got '" + text + "'";
    return;
  }
  s.receiver_replication = copies;
}

}  // namespace

StreamingSettings readStreamingSettings(const Conf& conf, Duration batch) {
  StreamingSettings s;
  s.manual_clock = conf.get(keys::kStreamingClock) == "manual";
  s.concurrent_jobs = static_cast<int>(conf.get(keys::kStreamingConcurrentJobs));
  s.locality_wait_max = batchLocalityWaitMax(conf, batch);
  s.checkpoint_dir = conf.get(keys::kStreamingCheckpointDir);
  s.checkpoint_interval = conf.get(keys::kStreamingCheckpointInterval,
                                 std::chrono::milliseconds(std::max<int64_t>(10 * batch.ms, 10'000)));
  s.checkpoint_keep = static_cast<int>(conf.get(keys::kStreamingCheckpointKeep));
  s.receiver_wal = conf.get(keys::kStreamingReceiverWalEnable);
  readReceiverReplication(conf, s);
  s.graceful_stop_timeout = conf.get(keys::kStreamingGracefulStopTimeout, std::chrono::milliseconds(10 * batch.ms));
  s.stop_gracefully_on_shutdown = conf.get(keys::kStreamingStopGracefullyOnShutdown);
  return s;
}

std::string BatchInterval::describe() const {
  if (!from_conf) return effective.toString();
  return effective.toString() + " (" + keys::kStreamingBatchDuration.name + "; the application gives " +
         in_code.toString() + ")";
}

StatusOr<BatchInterval> resolveBatchInterval(const Conf& conf, Duration in_code) {
  BatchInterval interval{in_code, in_code, false};
  const std::string key = keys::kStreamingBatchDuration.name;
  if (conf.contains(key)) {
    std::string text = conf.get(key);
    auto parsed = parseDuration(text);
    if (!parsed || parsed->count() <= 0) {
      return Status::invalidArgument(key + " must be a positive duration such as 250ms or 2s, got '" + text + "'");
    }
    interval.effective = Milliseconds(parsed->count());
    interval.from_conf = true;
  }
  if (interval.effective.ms <= 0) return Status::invalidArgument("the batch interval must be positive");
  return interval;
}

}  // namespace sluice
