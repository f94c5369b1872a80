#include "scheduler/allocation_file.h"

#include <fstream>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "scheduler/xml_reader.h"

namespace sluice {
namespace {

Status lineError(const XmlElement& el, const std::string& what) {
  return Status::invalidArgument("line " + std::to_string(el.line) + ": " + what);
}

// weight and minShare: Spark reads them as Ints; a negative share means nothing.
StatusOr<int> nonNegativeInt(const XmlElement& el, const std::string& pool) {
  const std::string& t = el.text;
  std::string where = "pool " + pool + ": <" + el.name + "> ";
  if (t.empty()) return lineError(el, where + "is empty (expected a whole number >= 0)");
  if (t.find_first_not_of("0123456789") != std::string::npos) {
    return lineError(el, where + "must be a whole number >= 0, got '" + t + "'");
  }
  if (t.size() > 9) return lineError(el, where + "is too large: '" + t + "' (at most 999999999)");
  return std::stoi(t);
}

StatusOr<PoolConfig> parsePool(const XmlElement& el, const std::string& source) {
  PoolConfig pool;
  auto name = el.attributes.find("name");
  if (name != el.attributes.end() && name->second.empty()) return lineError(el, "<pool name=\"\"> has an empty name");
  if (name == el.attributes.end()) {
    std::string others;
    for (const auto& [attr, value] : el.attributes) others += (others.empty() ? "" : ", ") + attr;
    return lineError(el, "<pool> needs a name attribute (<pool name=\"...\">)" +
                             (others.empty() ? std::string() : ", found only: " + others));
  }
  pool.name = name->second;
  for (const auto& [attr, value] : el.attributes) {
    if (attr == "name") continue;
    spdlog::warn("{} line {}: pool {}: ignoring unknown attribute {}", source, el.line, pool.name, attr);
  }
  for (const XmlElement& field : el.children) {
    if (field.name == "schedulingMode") {
      auto mode = parseSchedulingMode(field.text);
      if (!mode) {
        return lineError(field,
                         "pool " + pool.name + ": <schedulingMode> must be FIFO or FAIR, got '" + field.text + "'");
      }
      pool.mode = *mode;
    } else if (field.name == "weight") {
      auto w = nonNegativeInt(field, pool.name);
      if (!w) return w.status();
      pool.weight = *w;
    } else if (field.name == "minShare") {
      auto m = nonNegativeInt(field, pool.name);
      if (!m) return m.status();
      pool.min_share = *m;
    } else {
      // Spark ignores what it does not know; a typo should not pass unseen.
      spdlog::warn("{} line {}: pool {}: ignoring unknown element <{}> (a pool has schedulingMode, weight and "
                   "minShare)",
                   source, field.line, pool.name, field.name);
    }
  }
  return pool;
}

}  // namespace

StatusOr<std::vector<PoolConfig>> parseAllocations(const std::string& xml, const std::string& source) {
  auto root = parseXml(xml);
  if (!root) return root.status();
  if (root->name != "allocations") return lineError(*root, "the root element must be <allocations>, not <" + root->name + ">");
  std::vector<PoolConfig> pools;
  std::set<std::string> names;
  for (const XmlElement& el : root->children) {
    if (el.name != "pool") {
      spdlog::warn("{} line {}: ignoring unknown element <{}> (<allocations> holds <pool> elements)", source, el.line,
                   el.name);
      continue;
    }
    auto pool = parsePool(el, source);
    if (!pool) return pool.status();
    if (!names.insert(pool->name).second) return lineError(el, "pool " + pool->name + " is defined twice");
    pools.push_back(std::move(*pool));
  }
  return pools;
}

StatusOr<std::vector<PoolConfig>> loadAllocationFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("allocation file " + path + ": cannot open it");
  std::stringstream buf;
  buf << in.rdbuf();
  auto pools = parseAllocations(buf.str(), "allocation file " + path);
  if (!pools) return Status::invalidArgument("allocation file " + path + ": " + pools.status().message());
  return pools;
}

}  // namespace sluice
