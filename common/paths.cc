#include "common/paths.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice {
namespace fs = std::filesystem;

std::string resolvePath(const std::string& path, const std::string& base) {
  if (path.empty()) return path;
  fs::path p(path);
  if (p.is_relative()) {
    std::error_code ec;
    fs::path dir = base.empty() ? fs::current_path(ec) : fs::path(base);
    p = dir / p;
  }
  std::string out = p.lexically_normal().string();
  // "out/" normalizes to ".../out/": keep the directory's own name as the last component.
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::vector<std::string> splitPathList(const std::string& list) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) items.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

StatusOr<std::string> readKeyFile(const char* key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalidArgument(std::string(key) + ": cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace sluice
