// Conf: the key=value configuration of an application or daemon, as Spark's SparkConf.
// Keys are written without a prefix ("task.maxFailures"); a leading "sluice." or
// "spark." is stripped so that either spelling works.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

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

  const std::map<std::string, std::string>& all() const { return entries_; }

  template <class Archive>
  void serialize(Archive& ar) { ar(entries_); }

 private:
  std::map<std::string, std::string> entries_;
};

// Parsers shared with the command lines; each returns a clear error for bad text.
StatusOr<std::chrono::milliseconds> parseDuration(const std::string& text);
StatusOr<int64_t> parseBytes(const std::string& text);

}  // namespace sluice
