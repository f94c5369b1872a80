// LocalCluster: local-cluster[W,C,M], a real sluice-master and W real sluice-worker
// processes on this machine (Spark's test mode of the same name), started by the driver,
// which then runs as a client of that master.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice {

class LocalCluster {
 public:
  // Daemon logs and work dirs go under work_root/<app_id>/.
  LocalCluster(std::string app_id, std::string work_root);
  // Stops the daemons (and so their executors).
  ~LocalCluster();

  // Starts the master on 127.0.0.1 (free ports) and the workers with C cores and M MiB each;
  // returns once the master listens. secret: the application's auth secret, when
  // auth.enabled; the daemons get it through their environment (auth::handTo).
  Status start(int workers, int cores, int memory_mb, const std::optional<std::string>& secret);
  const std::string& masterUrl() const { return master_url_; }
  // SIGTERM to the daemons, SIGKILL to what is left after a grace period; removes the
  // work dirs. Idempotent.
  void shutdown();

 private:
  std::string app_id_;
  std::string dir_;
  std::string master_url_;
  std::vector<pid_t> daemons_;  // master first
};

}  // namespace sluice
