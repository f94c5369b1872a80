#include "common/peer_log_limiter.h"

namespace sluice {

PeerLogLimiter::Decision PeerLogLimiter::allow(const std::string& peer, Clock::time_point now) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    if (peers_.size() >= kMaxPeers) {
      peers_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(peer);
    it = peers_.emplace(peer, Entry{now, 0, 0, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Entry& e = it->second;
  if (now - e.window_start >= kWindow) {
    e.window_start = now;
    e.logged = 0;
  }
  if (e.logged >= kBurst) {
    ++e.suppressed;
    return {false, 0};
  }
  ++e.logged;
  Decision d{true, e.suppressed};
  e.suppressed = 0;
  return d;
}

}  // namespace sluice
