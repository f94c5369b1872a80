// The --master URL forms: local, local[N], local[*], local-cluster[W,C,M] and
// sluice://host:port.
#pragma once

#include <string>

#include "common/status.h"

namespace sluice {

struct MasterUrl {
  enum class Kind { kLocal, kLocalCluster, kStandalone };
  Kind kind = Kind::kLocal;
  int threads = 1;          // local[N]
  int workers = 0;          // local-cluster[W,C,M]
  int cores_per_worker = 0;
  int memory_mb = 0;
  std::string host;         // standalone
  int port = 7077;
};

StatusOr<MasterUrl> parseMasterUrl(const std::string& url);

}  // namespace sluice
