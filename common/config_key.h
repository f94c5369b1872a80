// ConfigKey: how one configuration key is declared (name, type, default, one line of
// meaning, the values it accepts) and the typed handle Conf::get takes. The keys themselves are declared in
// common/config_keys.h; this file has only the types, so that conf.h need not see them.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
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

// The values a key accepts beyond parsing as its type (keys::validate, common/config_check.h):
// numbers within bounds, in the key's unit (milliseconds for a duration, bytes for a size),
// or one of a list of words. Declared with the helpers below: atLeast(1), above(0ms),
// between(0, 65535), fraction(), oneOf("always|group|none"), anyValue().
struct KeyRange {
  bool declared = false;  // false: the declaration says nothing (config_keys_test refuses that)
  double low = -std::numeric_limits<double>::infinity();
  bool low_open = false;  // true: low itself is refused
  double high = std::numeric_limits<double>::infinity();
  bool high_open = false;
  const char* choices = nullptr;  // "FIFO|FAIR": the only values accepted
  bool ignore_case = false;       // of the choices
};

constexpr KeyRange anyValue() { return KeyRange{true}; }
constexpr KeyRange atLeast(double low) { return KeyRange{true, low}; }
constexpr KeyRange atLeast(std::chrono::milliseconds low) { return atLeast(static_cast<double>(low.count())); }
constexpr KeyRange above(double low) { return KeyRange{true, low, true}; }
constexpr KeyRange above(std::chrono::milliseconds low) { return above(static_cast<double>(low.count())); }
constexpr KeyRange between(double low, double high) { return KeyRange{true, low, false, high}; }
constexpr KeyRange port() { return between(0, 65535); }
constexpr KeyRange fraction() { return KeyRange{true, 0, true, 1}; }  // (0, 1]
constexpr KeyRange oneOf(const char* choices) {
  return KeyRange{true, -std::numeric_limits<double>::infinity(), false, std::numeric_limits<double>::infinity(),
                  false, choices};
}
constexpr KeyRange oneOfIgnoringCase(const char* choices) {
  KeyRange range = oneOf(choices);
  range.ignore_case = true;
  return range;
}

// A key whose default is a fixed value: conf.get(key) returns the set value or default_value.
template <KeyType kType>
struct ConfigKey {
  static constexpr KeyType kKeyType = kType;
  const char* name;  // without prefix: "task.maxFailures"
  typename ConfigValue<kType>::Default default_value;
  const char* meaning;  // one line, as the README's configuration table shows it
  KeyRange range{};     // the values accepted (a bool key needs none)
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
  KeyRange range{};
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
  KeyRange range;
};

std::string defaultText(const StringKey& key);
std::string defaultText(const BoolKey& key);
std::string defaultText(const IntKey& key);
std::string defaultText(const DoubleKey& key);
std::string defaultText(const DurationKey& key);
std::string defaultText(const BytesKey& key);

template <KeyType kType>
KeyInfo keyInfo(const ConfigKey<kType>& key) {
  return KeyInfo{key.name, kType, defaultText(key), false, key.meaning, key.range};
}
template <KeyType kType>
KeyInfo keyInfo(const ConfigKeyWithRunDefault<kType>& key) {
  return KeyInfo{key.name, kType, key.default_text, true, key.meaning, key.range};
}

}  // namespace sluice
