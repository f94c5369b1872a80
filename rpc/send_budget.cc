#include "rpc/send_budget.h"

#include <utility>

namespace sluice::rpc {

namespace {

// What a zero-copy message owns: the frame, and the counter it is charged to.
struct Charged {
  std::string frame;
  std::shared_ptr<std::atomic<size_t>> counter;
};

void release(void* /*data*/, void* hint) {
  auto* charged = static_cast<Charged*>(hint);
  charged->counter->fetch_sub(charged->frame.size(), std::memory_order_relaxed);
  delete charged;
}

}  // namespace

std::optional<zmq::message_t> SendBudgets::charge(const Peer& peer, std::string& frame, size_t budget) {
  auto& counter = counters_[peer];
  if (!counter) counter = std::make_shared<Counter>(0);
  size_t outstanding = counter->load(std::memory_order_relaxed);
  if (outstanding > 0 && outstanding + frame.size() > budget) return std::nullopt;
  counter->fetch_add(frame.size(), std::memory_order_relaxed);
  auto* charged = new Charged{std::move(frame), counter};
  zmq::message_t msg(charged->frame.data(), charged->frame.size(), &release, charged);
  if (counters_.size() > prune_above_) prune();
  return msg;
}

size_t SendBudgets::outstanding(const Peer& peer) const {
  auto it = counters_.find(peer);
  return it == counters_.end() ? 0 : it->second->load(std::memory_order_relaxed);
}

void SendBudgets::prune() {
  for (auto it = counters_.begin(); it != counters_.end();) {
    // use_count 1: no message in flight holds it, so nothing can charge it behind our back.
    if (it->second.use_count() == 1 && it->second->load(std::memory_order_relaxed) == 0) {
      it = counters_.erase(it);
    } else {
      ++it;
    }
  }
  prune_above_ = std::max<size_t>(256, 2 * counters_.size());
}

}  // namespace sluice::rpc
