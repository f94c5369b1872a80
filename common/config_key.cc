#include "common/config_key.h"

#include <cstdio>

#include "common/conf.h"

namespace sluice {

const char* keyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kString: return "string";
    case KeyType::kBool: return "bool";
    case KeyType::kInt: return "int";
    case KeyType::kDouble: return "double";
    case KeyType::kDuration: return "duration";
    case KeyType::kBytes: return "bytes";
  }
  return "?";
}

std::string defaultText(const StringKey& key) { return key.default_value; }
std::string defaultText(const BoolKey& key) { return key.default_value ? "true" : "false"; }
std::string defaultText(const IntKey& key) { return std::to_string(key.default_value); }

std::string defaultText(const DoubleKey& key) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", key.default_value);
  return text;
}

std::string defaultText(const DurationKey& key) { return formatDuration(key.default_value); }
std::string defaultText(const BytesKey& key) { return formatBytes(key.default_value); }

}  // namespace sluice
