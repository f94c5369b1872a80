// PeerLogLimiter: the policy that keeps a misbehaving peer from flooding a daemon's log. Each
// peer (a key such as "127.0.0.1") may log kBurst lines per window; further lines in that
// window are counted, and the next line that is allowed reports how many were suppressed.
// A flood of bad frames or connections from one peer therefore costs at most kBurst lines
// per window, whatever its rate. At most kMaxPeers peers are remembered (the least recently
// seen is forgotten first), so that many peers cannot grow the table without bound.
//
// Pure bookkeeping: the caller passes the time. Not thread-safe; SharedPeerLogLimiter is.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sluice {

class PeerLogLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kBurst = 5;
  static constexpr std::chrono::seconds kWindow{60};
  static constexpr size_t kMaxPeers = 1024;

  struct Decision {
    bool log = false;
    uint64_t suppressed = 0;  // lines not logged for this peer since its last logged one
  };

  // Whether a line about peer may be logged at now.
  Decision allow(const std::string& peer, Clock::time_point now);

 private:
  struct Entry {
    Clock::time_point window_start;
    int logged = 0;
    uint64_t suppressed = 0;
    std::list<std::string>::iterator lru;
  };
  std::unordered_map<std::string, Entry> peers_;
  std::list<std::string> lru_;  // most recently seen first
};

// A PeerLogLimiter shared by threads (a transport's callers, a web UI's request threads),
// asked at the current time.
class SharedPeerLogLimiter {
 public:
  PeerLogLimiter::Decision allow(const std::string& peer) {
    std::lock_guard<std::mutex> lock(mu_);
    return limiter_.allow(peer, PeerLogLimiter::Clock::now());
  }

 private:
  std::mutex mu_;
  PeerLogLimiter limiter_;
};

}  // namespace sluice
