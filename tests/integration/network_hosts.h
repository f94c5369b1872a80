// Distinct hosts on one machine for the multi-process tests: network namespaces, each with
// one address of a private /24, joined by a bridge that gives this (the test's) namespace
// the address .254 of the same /24, so that processes here reach them all and they reach
// this namespace. A daemon runs on host i when started through launcher(i)
// (`ip netns exec <ns>`). Needs root (CAP_NET_ADMIN/CAP_SYS_ADMIN) and iproute2.
//
// Names carry the test's pid (namespaces sl<pid>n<i>, veths sl<pid>v<i>/sl<pid>p<i>,
// bridge sl<pid>br) and the /24 is one of 10.77.x.0 that this machine does not use yet, so
// that two runs never collide. The destructor removes every namespace and link the
// constructor created, also when it failed half-way or the test failed. Used from one test
// thread.
#pragma once

#include <unistd.h>

#include <string>
#include <vector>

#include "tests/integration/process_util.h"

namespace sluice::testing {

class NetworkHosts {
 public:
  // Creates n hosts; available() says whether it could (see unavailableReason()).
  NetworkHosts(const TempDir& tmp, int n) : tmp_(tmp), tag_("sl" + std::to_string(::getpid() % 100000)) {
    if (::geteuid() != 0) {
      reason_ = "not root";
      return;
    }
    for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
      if (::access(path, X_OK) == 0) {
        ip_ = path;
        break;
      }
    }
    if (ip_.empty()) {
      reason_ = "iproute2's ip is not installed";
      return;
    }
    subnet_ = freeSubnet();
    if (subnet_.empty()) {
      reason_ = "no free 10.77.x.0/24 for the test hosts";
      return;
    }
    // The namespace first: it tells whether namespaces are permitted at all.
    if (!run({ip_, "netns", "add", ns(1)})) return;
    namespaces_.push_back(ns(1));
    if (!run({ip_, "link", "add", bridge(), "type", "bridge"})) return;
    links_.push_back(bridge());
    if (!run({ip_, "addr", "add", bridgeAddress() + "/24", "dev", bridge()}) ||
        !run({ip_, "link", "set", bridge(), "up"})) {
      return;
    }
    for (int i = 1; i <= n; ++i) {
      const std::string host_side = tag_ + "v" + std::to_string(i), ns_side = tag_ + "p" + std::to_string(i);
      if (i > 1) {
        if (!run({ip_, "netns", "add", ns(i)})) return;
        namespaces_.push_back(ns(i));
      }
      if (!run({ip_, "link", "add", host_side, "type", "veth", "peer", "name", ns_side})) return;
      links_.push_back(host_side);  // deleting one end deletes the pair
      if (!run({ip_, "link", "set", ns_side, "netns", ns(i)}) ||
          !run({ip_, "link", "set", host_side, "master", bridge(), "up"}) ||
          !run({ip_, "-n", ns(i), "addr", "add", address(i) + "/24", "dev", ns_side}) ||
          !run({ip_, "-n", ns(i), "link", "set", ns_side, "up"}) ||
          !run({ip_, "-n", ns(i), "link", "set", "lo", "up"})) {
        return;
      }
    }
    available_ = true;
  }
  ~NetworkHosts() {
    if (ip_.empty()) return;
    for (auto it = links_.rbegin(); it != links_.rend(); ++it) run({ip_, "link", "del", *it}, false);
    for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) run({ip_, "netns", "del", *it}, false);
  }
  NetworkHosts(const NetworkHosts&) = delete;
  NetworkHosts& operator=(const NetworkHosts&) = delete;

  bool available() const { return available_; }
  // Why the hosts could not be made: the failing command and what it printed.
  const std::string& unavailableReason() const { return reason_; }

  // Host i (1..n): its address, and the argv prefix that runs a program there.
  std::string address(int i) const { return subnet_ + "." + std::to_string(i); }
  std::vector<std::string> launcher(int i) const { return {ip_, "netns", "exec", ns(i)}; }
  // This namespace's address on the bridge: what the hosts reach it at.
  std::string bridgeAddress() const { return subnet_ + ".254"; }
  // The namespaces and links that exist now (for the check that all are removed).
  std::vector<std::string> namespaces() const { return namespaces_; }
  std::vector<std::string> links() const { return links_; }

 private:
  std::string ns(int i) const { return tag_ + "n" + std::to_string(i); }
  std::string bridge() const { return tag_ + "br"; }

  // Runs argv; on failure records it (and its stderr) as the reason unless quiet.
  bool run(const std::vector<std::string>& argv, bool record = true) {
    SpawnOptions opts;
    opts.argv = argv;
    opts.stdout_path = tmp_ / "ip.out";
    opts.stderr_path = tmp_ / "ip.err";
    auto pid = spawnProcess(opts);
    bool ok = pid && waitExit(*pid).exit_code == 0;
    if (!ok && record && reason_.empty()) {
      std::string cmd;
      for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
      reason_ = "'" + cmd + "' failed: " + readFile(tmp_ / "ip.err");
    }
    return ok;
  }
  // The first 10.77.x.0/24 with no address and no route on this machine.
  std::string freeSubnet() {
    for (int k = 0; k < 250; ++k) {
      std::string subnet = "10.77." + std::to_string((::getpid() + k) % 250 + 1);
      if (!run({ip_, "-4", "route", "show", "to", "match", subnet + ".1"}, false)) continue;
      const std::string routes = readFile(tmp_ / "ip.out");
      if (routes.find(subnet + ".") == std::string::npos && routes.find("10.77.") == std::string::npos) return subnet;
    }
    return "";
  }

  const TempDir& tmp_;
  std::string tag_;
  std::string ip_;  // the ip binary's path
  std::string subnet_;
  bool available_ = false;
  std::string reason_;
  std::vector<std::string> namespaces_;
  std::vector<std::string> links_;
};

}  // namespace sluice::testing
