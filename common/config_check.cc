#include "common/config_check.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/auth_secret.h"
#include "common/config_keys.h"

namespace sluice::keys {
namespace {

// Names Context::setLocalProperty takes (scheduler/task_set.h, driver/context.h): per job,
// not configuration, but not unknown either.
constexpr const char* kJobProperties[] = {"scheduler.pool", "job.group", "scheduler.locality.waitMax",
                                          "scheduler.longRunning", "job.logQuietly"};

// Common Spark keys (without "spark.") that Sluice accepts as names and ignores; "x.*" is every
// key under x. A declared key is never looked up here, so "excludeOnFailure.*" covers only the
// ones Sluice lacks.
constexpr const char* kSparkKeysNotImplemented[] = {
    "serializer", "kryo.*", "kryoserializer.*", "sql.*", "dynamicAllocation.*", "shuffle.service.*",
    "streaming.kafka.*", "streaming.kinesis.*", "streaming.driver.writeAheadLog.*",
    "streaming.receiver.writeAheadLog.rollingIntervalSecs", "streaming.receiver.writeAheadLog.maxFailures",
    "streaming.receiver.writeAheadLog.closeFileAfterWrite", "streaming.unpersist", "streaming.ui.retainedBatches",
    "streaming.blockQueueSize", "streaming.stopSparkContextByDefault",
    "executor.extraJavaOptions", "driver.extraJavaOptions", "executor.extraClassPath", "driver.extraClassPath",
    "executor.extraLibraryPath", "driver.extraLibraryPath", "executor.userClassPathFirst",
    "driver.userClassPathFirst", "executor.instances", "executor.memoryOverhead", "driver.memoryOverhead",
    "executor.memoryOverheadFactor", "executor.pyspark.memory", "driver.maxResultSize", "driver.supervise",
    "executor.logs.rolling.*", "executor.heartbeat.maxFailures", "executor.resource.*", "driver.resource.*",
    "task.resource.*", "task.cpus", "memory.*", "storage.*", "io.*", "shuffle.compress", "shuffle.spill.compress",
    "shuffle.file.buffer", "shuffle.io.*", "shuffle.sort.bypassMergeThreshold", "reducer.maxSizeInFlight",
    "reducer.maxReqsInFlight", "rdd.compress", "broadcast.*", "checkpoint.compress",
    "eventLog.*", "history.*", "ui.killEnabled", "ui.reverseProxy", "ui.reverseProxyUrl", "ui.retainedTasks",
    "ui.timeline.*", "acls.enable", "admin.acls", "modify.acls", "view.acls", "authenticate",
    "authenticate.*", "ssl.*", "network.*", "rpc.askTimeout", "rpc.lookupTimeout", "rpc.message.maxSize",
    "rpc.numRetries", "rpc.retry.wait", "rpc.io.*", "locality.wait.rack", "cleaner.periodicGC.interval",
    "cleaner.referenceTracking.blocking", "cleaner.referenceTracking.blocking.shuffle",
    "cleaner.referenceTracking.cleanCheckpoints", "deploy.defaultCores", "deploy.recoveryMode",
    "deploy.zookeeper.*", "deploy.retainedApplications", "deploy.retainedDrivers", "master.rest.*",
    "master.ui.port", "worker.ui.port", "logConf", "scheduler.minRegisteredResourcesRatio",
    "scheduler.maxRegisteredResourcesWaitingTime", "scheduler.listenerbus.*", "scheduler.excludeOnFailure.*",
    "excludeOnFailure.*", "blacklist.*", "speculation.task.*", "speculation.efficiency.*", "submit.*", "jars",
    "jars.*", "files", "archives", "pyspark.*", "python.*", "r.*", "yarn.*", "kubernetes.*", "mesos.*",
    "hadoop.*", "files.*", "redaction.*", "extraListeners", "metrics.*", "plugins", "checkpoint.dir",
};

bool isJobProperty(const std::string& name) {
  return std::find(std::begin(kJobProperties), std::end(kJobProperties), name) != std::end(kJobProperties);
}

bool isSparkKeyNotImplemented(const std::string& name) {
  for (std::string entry : kSparkKeysNotImplemented) {
    if (entry.size() > 2 && entry.compare(entry.size() - 2, 2, ".*") == 0) {
      if (name.rfind(entry.substr(0, entry.size() - 1), 0) == 0) return true;
    } else if (name == entry) {
      return true;
    }
  }
  return false;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A bound in the key's unit as the user writes it: "0", "10ms", "16m", "0.5".
std::string boundText(KeyType type, double bound) {
  switch (type) {
    case KeyType::kDuration: return formatDuration(std::chrono::milliseconds(static_cast<int64_t>(bound)));
    case KeyType::kBytes: return formatBytes(static_cast<int64_t>(bound));
    case KeyType::kInt: return std::to_string(static_cast<int64_t>(bound));
    default: {
      char text[32];
      std::snprintf(text, sizeof text, "%g", bound);
      return text;
    }
  }
}

// " > 0", " >= 1", " between 0 and 65535", " in (0, 1]", or "" for no bounds.
std::string boundsText(KeyType type, const KeyRange& range) {
  bool has_low = std::isfinite(range.low), has_high = std::isfinite(range.high);
  if (has_low && has_high) {
    if (!range.low_open && !range.high_open) {
      return " between " + boundText(type, range.low) + " and " + boundText(type, range.high);
    }
    return std::string(" in ") + (range.low_open ? "(" : "[") + boundText(type, range.low) + ", " +
           boundText(type, range.high) + (range.high_open ? ")" : "]");
  }
  if (has_low) return (range.low_open ? " > " : " >= ") + boundText(type, range.low);
  if (has_high) return (range.high_open ? " < " : " <= ") + boundText(type, range.high);
  return "";
}

std::vector<std::string> choicesOf(const KeyRange& range) {
  std::vector<std::string> out;
  std::string all = range.choices;
  for (size_t begin = 0;;) {
    size_t bar = all.find('|', begin);
    out.push_back(all.substr(begin, bar == std::string::npos ? std::string::npos : bar - begin));
    if (bar == std::string::npos) return out;
    begin = bar + 1;
  }
}

// The value as a number in the key's unit, or nullopt when it does not parse as the type.
std::optional<double> numberOf(KeyType type, const std::string& value) {
  switch (type) {
    case KeyType::kInt: {
      int64_t n = 0;
      const char* end = value.data() + value.size();
      auto [ptr, ec] = std::from_chars(value.data(), end, n);
      if (ec != std::errc() || ptr != end || value.empty()) return std::nullopt;
      return static_cast<double>(n);
    }
    case KeyType::kDouble: {
      char* end = nullptr;
      double n = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(n)) return std::nullopt;
      return n;
    }
    case KeyType::kDuration: {
      auto parsed = parseDuration(value);
      if (!parsed) return std::nullopt;
      return static_cast<double>(parsed->count());
    }
    case KeyType::kBytes: {
      auto parsed = parseBytes(value);
      if (!parsed) return std::nullopt;
      return static_cast<double>(*parsed);
    }
    default: return std::nullopt;
  }
}

bool inBounds(const KeyRange& range, double n) {
  if (std::isfinite(range.low) && (range.low_open ? n <= range.low : n < range.low)) return false;
  if (std::isfinite(range.high) && (range.high_open ? n >= range.high : n > range.high)) return false;
  return true;
}

}  // namespace

std::string expectedForm(const KeyInfo& key) {
  const KeyRange& range = key.range;
  switch (key.type) {
    case KeyType::kString: {
      if (!range.choices) return "any text";
      std::string out = "one of ";
      std::vector<std::string> choices = choicesOf(range);
      for (size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + choices[i];
      return range.ignore_case ? out + " (in any case)" : out;
    }
    case KeyType::kBool: return "true or false";
    case KeyType::kInt: return "an integer" + boundsText(key.type, range);
    case KeyType::kDouble: return "a number" + boundsText(key.type, range);
    case KeyType::kDuration:
      return "a duration" + boundsText(key.type, range) + ", such as 250ms, 3s, 2min or 1h (a bare number is ms)";
    case KeyType::kBytes:
      return "a size" + boundsText(key.type, range) + ", such as 512k, 64m or 2g (a bare number is bytes)";
  }
  return "?";
}

Status checkValue(const KeyInfo& key, const std::string& value) {
  bool ok;
  if (key.type == KeyType::kString) {
    ok = !key.range.choices;
    for (const std::string& choice : key.range.choices ? choicesOf(key.range) : std::vector<std::string>{}) {
      if (key.range.ignore_case ? lower(value) == lower(choice) : value == choice) ok = true;
    }
  } else if (key.type == KeyType::kBool) {
    ok = parseBool(value).isOk();
  } else {
    std::optional<double> n = numberOf(key.type, value);
    ok = n && inBounds(key.range, *n);
  }
  if (ok) return Status::ok();
  return Status::invalidArgument("config " + std::string(key.name) + "='" + value +
                                 "' is invalid: expected " + expectedForm(key));
}

Status validate(const Conf& conf) {
  for (const KeyInfo& key : all()) {
    auto it = conf.all().find(key.name);
    if (it == conf.all().end()) continue;
    if (Status st = checkValue(key, it->second); !st) return st;
  }
  return Status::ok();
}

std::vector<std::string> warnings(const Conf& conf) {
  std::vector<std::string> out;
  for (const auto& [name, value] : conf.all()) {
    bool declared = std::any_of(all().begin(), all().end(), [&](const KeyInfo& key) { return name == key.name; });
    // kafka.* values are Kafka client settings (streaming/kafka/kafka_params.h), passed to librdkafka.
    if (declared || isJobProperty(name) || name.starts_with("kafka.")) continue;
    if (isSparkKeyNotImplemented(name)) {
      out.push_back("config spark." + name + " is a Spark setting that Sluice does not implement; ignored");
    } else {
      out.push_back("unknown config key '" + name +
                    "' (a leading spark. or sluice. is dropped); ignored (sluice-submit --help-conf lists the keys)");
    }
  }
  return out;
}

Status checkAtStart(const Conf& conf) {
  for (const std::string& line : warnings(conf)) spdlog::warn("{}", line);
  SLUICE_RETURN_IF_ERROR(validate(conf));
  return auth::clusterSecret(conf).status();  // auth.enabled without a usable secret stops the start
}

std::string describeAll() {
  std::string out =
      "Configuration keys (--conf key=value or a --properties-file line; a leading spark. or sluice. is "
      "accepted).\nA bad value stops the start; a key not listed here is ignored with a warning.\n\n";
  for (const KeyInfo& key : all()) {
    std::string def = key.run_dependent ? key.default_text
                      : key.default_text.empty() ? "\"\""
                                                 : key.default_text;
    out += "  " + std::string(key.name) + " (" + keyTypeName(key.type) + ")\n";
    out += "      values:  " + expectedForm(key) + "\n";
    out += "      default: " + def + "\n";
    out += "      " + std::string(key.meaning) + "\n";
  }
  return out;
}

}  // namespace sluice::keys
