#include "deploy/master_url.h"

#include <regex>
#include <thread>

namespace sluice {

StatusOr<MasterUrl> parseMasterUrl(const std::string& url) {
  MasterUrl m;
  std::smatch match;
  if (url == "local") return m;
  if (std::regex_match(url, match, std::regex(R"(local\[(\d+|\*)\])"))) {
    m.threads = match[1] == "*" ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))
                                : std::stoi(match[1]);
    if (m.threads < 1) return Status::invalidArgument("local[N] needs N >= 1: " + url);
    return m;
  }
  if (std::regex_match(url, match, std::regex(R"(local-cluster\[\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\])"))) {
    m.kind = MasterUrl::Kind::kLocalCluster;
    m.workers = std::stoi(match[1]);
    m.cores_per_worker = std::stoi(match[2]);
    m.memory_mb = std::stoi(match[3]);
    if (m.workers < 1 || m.cores_per_worker < 1 || m.memory_mb < 1) {
      return Status::invalidArgument("local-cluster[W,C,M] needs positive numbers: " + url);
    }
    return m;
  }
  if (std::regex_match(url, match, std::regex(R"(sluice://([^:/]+)(?::(\d+))?/?)"))) {
    m.kind = MasterUrl::Kind::kStandalone;
    m.host = match[1];
    if (match[2].matched) m.port = std::stoi(match[2]);
    return m;
  }
  return Status::invalidArgument("bad master URL '" + url +
                                 "' (use local, local[N], local[*], local-cluster[W,C,M] or sluice://host:port)");
}

}  // namespace sluice
