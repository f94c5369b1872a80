#include "streaming/streaming_settings.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace sluice {
namespace {

std::string batchLocalityWaitMax(const Conf& conf, Duration batch) {
  double fraction = 0.2;
  if (std::string text = conf.get("streaming.locality.maxWaitFraction"); !text.empty()) {
    try {
      fraction = std::stod(text);
    } catch (const std::exception&) {
      spdlog::error("streaming.locality.maxWaitFraction: '{}' is not a number; using {}", text, fraction);
    }
  }
  if (fraction < 0) return "";
  return std::to_string(static_cast<int64_t>(static_cast<double>(batch.ms) * fraction)) + "ms";
}

void readReceiverReplication(const Conf& conf, StreamingSettings& s) {
  const std::string key = "streaming.receiver.replication";
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
  s.manual_clock = conf.get("streaming.clock", "system") == "manual";
  s.concurrent_jobs = static_cast<int>(conf.getInt("streaming.concurrentJobs", 1));
  s.locality_wait_max = batchLocalityWaitMax(conf, batch);
  s.checkpoint_dir = conf.get("streaming.checkpoint.dir", "");
  s.checkpoint_interval = conf.getDuration("streaming.checkpoint.interval",
                                           std::chrono::milliseconds(std::max<int64_t>(10 * batch.ms, 10'000)));
  s.checkpoint_keep = static_cast<int>(conf.getInt("streaming.checkpoint.keep", 10));
  s.receiver_wal = conf.getBool("streaming.receiver.writeAheadLog.enable", false);
  readReceiverReplication(conf, s);
  s.graceful_stop_timeout = conf.getDuration("streaming.gracefulStopTimeout", std::chrono::milliseconds(10 * batch.ms));
  s.stop_gracefully_on_shutdown = conf.getBool("streaming.stopGracefullyOnShutdown", false);
  s.ui_enabled = conf.getBool("ui.enabled", true);
  s.ui_host = conf.get("driver.bindAddress", "0.0.0.0");
  s.ui_port = static_cast<int>(conf.getInt("ui.port", 4040));
  s.ui_port_max_retries = static_cast<int>(conf.getInt("ui.port.maxRetries", 16));
  return s;
}

}  // namespace sluice
