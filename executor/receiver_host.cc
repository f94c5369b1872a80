#include "executor/receiver_host.h"

#include <mutex>

namespace sluice {
namespace {

struct Registry {
  std::mutex mu;
  ReceiverHostFactory factory;
};

// A function-local static: safe to use from other files' static initializers.
Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void setReceiverHostFactory(ReceiverHostFactory factory) {
  std::lock_guard<std::mutex> lock(registry().mu);
  registry().factory = std::move(factory);
}

ReceiverHostFactory receiverHostFactory() {
  std::lock_guard<std::mutex> lock(registry().mu);
  return registry().factory;
}

}  // namespace sluice
