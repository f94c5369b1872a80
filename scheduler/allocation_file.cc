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

StatusOr<int> nonNegativeInt(const XmlElement& el) {
  const std::string& t = el.text;
  if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) {
    return lineError(el, "<" + el.name + "> must be a non-negative integer, got '" + t + "'");
  }
  return std::stoi(t);
}

StatusOr<PoolConfig> parsePool(const XmlElement& el) {
  PoolConfig pool;
  auto name = el.attributes.find("name");
  if (name == el.attributes.end() || name->second.empty()) return lineError(el, "<pool> needs a name attribute");
  pool.name = name->second;
  for (const XmlElement& field : el.children) {
    if (field.name == "schedulingMode") {
      auto mode = parseSchedulingMode(field.text);
      if (!mode) return lineError(field, "pool " + pool.name + ": " + mode.status().message());
      pool.mode = *mode;
    } else if (field.name == "weight") {
      auto w = nonNegativeInt(field);
      if (!w) return w.status();
      pool.weight = *w;
    } else if (field.name == "minShare") {
      auto m = nonNegativeInt(field);
      if (!m) return m.status();
      pool.min_share = *m;
    } else {
      spdlog::warn("allocation file line {}: pool {}: ignoring unknown element <{}>", field.line, pool.name,
                   field.name);
    }
  }
  return pool;
}

}  // namespace

StatusOr<std::vector<PoolConfig>> parseAllocations(const std::string& xml) {
  auto root = parseXml(xml);
  if (!root) return root.status();
  if (root->name != "allocations") return lineError(*root, "the root element must be <allocations>, not <" + root->name + ">");
  std::vector<PoolConfig> pools;
  std::set<std::string> names;
  for (const XmlElement& el : root->children) {
    if (el.name != "pool") {
      spdlog::warn("allocation file line {}: ignoring unknown element <{}>", el.line, el.name);
      continue;
    }
    auto pool = parsePool(el);
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
  auto pools = parseAllocations(buf.str());
  if (!pools) return Status::invalidArgument("allocation file " + path + ": " + pools.status().message());
  return pools;
}

}  // namespace sluice
