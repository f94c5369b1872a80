// Conf: the key=value configuration of an application or daemon, as Spark's SparkConf.
// Keys are written without a prefix ("task.maxFailures"); a leading "sluice." or
// "spark." is stripped so that either spelling works. Code reads a key through its
// declaration in common/config_keys.h: conf.get(keys::kTaskMaxFailures). Values are checked
// once, at a process's start (keys::checkAtStart, common/config_check.h); here a value that
// does not parse as the key's type reads as the default.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "common/config_key.h"
#include "common/status.h"

namespace sluice {

class Conf {
 public:
  Conf& set(const std::string& key, const std::string& value);
  // Parses "k=v"; an entry without '=' is an error.
  Status setPair(const std::string& kv);
  // Reads a Java-properties style file: "k v" or "k=v" lines, '#' comments.
  Status loadPropertiesFile(const std::string& path);

  bool contains(const std::string& key) const;
  std::string get(const std::string& key, const std::string& def = "") const;
  int64_t getInt(const std::string& key, int64_t def) const;
  bool getBool(const std::string& key, bool def) const;
  // Durations: "250ms", "3s", "2min", "1h"; a bare number is milliseconds.
  std::chrono::milliseconds getDuration(const std::string& key, std::chrono::milliseconds def) const;
  // Sizes: "512k", "64m", "4g"; a bare number is bytes.
  int64_t getBytes(const std::string& key, int64_t def) const;
  double getDouble(const std::string& key, double def) const;

  // The value of a declared key (common/config_keys.h), or its default.
  template <KeyType kType>
  typename ConfigValue<kType>::Type get(const ConfigKey<kType>& key) const {
    return read<kType>(key.name, key.default_value);
  }
  // The value of a key whose default depends on the run, or run_default, which the caller
  // computes as the key's declaration says.
  template <KeyType kType>
  typename ConfigValue<kType>::Type get(const ConfigKeyWithRunDefault<kType>& key,
                                     typename ConfigValue<kType>::Type run_default) const {
    return read<kType>(key.name, std::move(run_default));
  }
  template <KeyType kType>
  bool contains(const ConfigKey<kType>& key) const { return contains(key.name); }
  template <KeyType kType>
  bool contains(const ConfigKeyWithRunDefault<kType>& key) const { return contains(key.name); }

  const std::map<std::string, std::string>& all() const { return entries_; }

  template <class Archive>
  void serialize(Archive& ar) { ar(entries_); }

 private:
  template <KeyType kType>
  typename ConfigValue<kType>::Type read(const std::string& key, typename ConfigValue<kType>::Type def) const {
    if constexpr (kType == KeyType::kString) return get(key, def);
    else if constexpr (kType == KeyType::kBool) return getBool(key, def);
    else if constexpr (kType == KeyType::kInt) return getInt(key, def);
    else if constexpr (kType == KeyType::kDouble) return getDouble(key, def);
    else if constexpr (kType == KeyType::kDuration) return getDuration(key, def);
    else return getBytes(key, def);
  }

  std::map<std::string, std::string> entries_;
};

// Parsers shared with the command lines; each returns a clear error for bad text.
StatusOr<std::chrono::milliseconds> parseDuration(const std::string& text);
StatusOr<int64_t> parseBytes(const std::string& text);
// "true", "yes", "1" or "false", "no", "0", in any case.
StatusOr<bool> parseBool(const std::string& text);
// The inverses: the largest unit that divides the value exactly ("3s", "30min", "64m"),
// text that parseDuration/parseBytes read back to the same value.
std::string formatDuration(std::chrono::milliseconds duration);
std::string formatBytes(int64_t bytes);

}  // namespace sluice
