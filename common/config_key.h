// ConfigKey: how one configuration key is declared (name, type, default, one line of
// meaning) and the typed handle Conf::get takes. The keys themselves are declared in
// common/config_keys.h; this file has only the types, so that conf.h need not see them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice {

// How a key's text value is read (Conf::get): kBool is "true", "1" or "yes"; kDuration
// is "250ms", "3s", "2min", "1h" (a bare number is milliseconds); kBytes is "512k", "64m",
// "4g" (a bare number is bytes).
enum class KeyType { kString, kBool, kInt, kDouble, kDuration, kBytes };

const char* keyTypeName(KeyType type);

// The C++ type of a key's value: what Conf::get returns and how a default is written.
template <KeyType kType> struct ConfigValue;
template <> struct ConfigValue<KeyType::kString> { using Default = const char*; using Type = std::string; };
template <> struct ConfigValue<KeyType::kBool> { using Default = bool; using Type = bool; };
template <> struct ConfigValue<KeyType::kInt> { using Default = int64_t; using Type = int64_t; };
template <> struct ConfigValue<KeyType::kDouble> { using Default = double; using Type = double; };
template <> struct ConfigValue<KeyType::kDuration> {
  using Default = std::chrono::milliseconds;
  using Type = std::chrono::milliseconds;
};
template <> struct ConfigValue<KeyType::kBytes> { using Default = int64_t; using Type = int64_t; };

// A key whose default is a fixed value: conf.get(key) returns the set value or default_value.
template <KeyType kType>
struct ConfigKey {
  static constexpr KeyType kKeyType = kType;
  const char* name;  // without prefix: "task.maxFailures"
  typename ConfigValue<kType>::Default default_value;
  const char* meaning;  // one line, as the README's configuration table shows it
};

// A key whose default depends on the run (the cores, the batch interval, a receiver's own
// choice): default_text says how, and the call site computes it and passes it in:
// conf.get(key, computed_default).
template <KeyType kType>
struct ConfigKeyWithRunDefault {
  static constexpr KeyType kKeyType = kType;
  const char* name;
  const char* default_text;  // "cores", "half the executor memory"
  const char* meaning;
};

using StringKey = ConfigKey<KeyType::kString>;
using BoolKey = ConfigKey<KeyType::kBool>;
using IntKey = ConfigKey<KeyType::kInt>;
using DoubleKey = ConfigKey<KeyType::kDouble>;
using DurationKey = ConfigKey<KeyType::kDuration>;
using BytesKey = ConfigKey<KeyType::kBytes>;
using StringKeyWithRunDefault = ConfigKeyWithRunDefault<KeyType::kString>;
using BoolKeyWithRunDefault = ConfigKeyWithRunDefault<KeyType::kBool>;
using IntKeyWithRunDefault = ConfigKeyWithRunDefault<KeyType::kInt>;
using DurationKeyWithRunDefault = ConfigKeyWithRunDefault<KeyType::kDuration>;
using BytesKeyWithRunDefault = ConfigKeyWithRunDefault<KeyType::kBytes>;

// One key of the table, whatever its type: what listing, documenting and validating keys
// need (keys::all()).
struct KeyInfo {
  const char* name;
  KeyType type;
  // A fixed default as text that Conf reads back to the same value ("4", "1s", "64m",
  // "" for an empty string), or a run-dependent default's description.
  std::string default_text;
  bool run_dependent;
  const char* meaning;
};

std::string defaultText(const StringKey& key);
std::string defaultText(const BoolKey& key);
std::string defaultText(const IntKey& key);
std::string defaultText(const DoubleKey& key);
std::string defaultText(const DurationKey& key);
std::string defaultText(const BytesKey& key);

template <KeyType kType>
KeyInfo keyInfo(const ConfigKey<kType>& key) {
  return KeyInfo{key.name, kType, defaultText(key), false, key.meaning};
}
template <KeyType kType>
KeyInfo keyInfo(const ConfigKeyWithRunDefault<kType>& key) {
  return KeyInfo{key.name, kType, key.default_text, true, key.meaning};
}

}  // namespace sluice
