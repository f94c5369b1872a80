#include "scheduler/pool_builder.h"

#include <spdlog/spdlog.h>

#include "common/config_keys.h"
#include "scheduler/allocation_file.h"

namespace sluice {

StatusOr<std::unique_ptr<Pool>> buildRootPool(const Conf& conf) {
  auto mode = parseSchedulingMode(conf.get(keys::kSchedulerMode));
  if (!mode) return Status::invalidArgument("scheduler.mode: " + mode.status().message());
  auto root = std::make_unique<Pool>(PoolConfig{"", *mode, 0, 0});
  if (*mode == SchedulingMode::kFifo) return root;
  std::string file = conf.get(keys::kSchedulerAllocationFile);
  if (!file.empty()) {
    auto pools = loadAllocationFile(file);
    if (!pools) return pools.status();
    for (auto& p : *pools) {
      spdlog::info("created pool {}: schedulingMode {}, weight {}, minShare {}", p.name, schedulingModeName(p.mode),
                   p.weight, p.min_share);
      root->addPool(std::move(p));
    }
  }
  if (!root->childPool(kDefaultPoolName)) root->addPool(PoolConfig{kDefaultPoolName});
  return root;
}

Pool* poolFor(Pool& root, const std::string& pool_name) {
  if (root.mode() == SchedulingMode::kFifo) return &root;
  std::string name = pool_name.empty() ? kDefaultPoolName : pool_name;
  if (Pool* p = root.childPool(name)) return p;
  spdlog::info("created pool {} with default configuration (FIFO, weight 1, minShare 0)", name);
  return root.addPool(PoolConfig{name});
}

}  // namespace sluice
