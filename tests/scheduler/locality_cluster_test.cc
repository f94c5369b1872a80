// Locality on a real cluster: a master and two workers on 127.0.0.2 and 127.0.0.3 (one
// 2-core executor each) and a rate receiver on one of them. With the default waits the
// block tasks run where their blocks are; with locality.wait=0 they spread to both hosts.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/integration/process_util.h"

using namespace sluice;
using namespace sluice::testing;
using namespace std::chrono_literals;

namespace {

struct Counts {
  int total = 0, process_local = 0, hosts = 0;
};

class TwoHostCluster {
 public:
  TwoHostCluster() : tmp_("locality-cluster") {
    master_ = std::make_unique<Child>(std::vector<std::string>{binDir() + "/sluice-master", "--host", "127.0.0.1",
                                                               "--port", "0", "--webui-port", "0"},
                                      tmp_ / "master");
    REQUIRE(master_->started());
    std::smatch m;
    static const std::regex kUrl(R"(sluice://[0-9.]+:[0-9]+)");
    REQUIRE(waitFor([&] {
      std::string log = master_->err();
      if (!std::regex_search(log, m, kUrl)) return false;
      url_ = m.str();
      return true;
    }, 10s));
    for (std::string host : {"127.0.0.2", "127.0.0.3"}) {
      workers_.push_back(std::make_unique<Child>(
          std::vector<std::string>{binDir() + "/sluice-worker", url_, "--host", host, "--port", "0", "--webui-port", "0",
                                   "--cores", "2", "--memory", "1024m", "--work-dir", tmp_ / ("work-" + host)},
          tmp_ / ("worker-" + host)));
      REQUIRE(workers_.back()->started());
    }
    REQUIRE(waitFor([&] {
      std::string log = master_->err();
      return log.find("127.0.0.2") != std::string::npos && log.find("127.0.0.3") != std::string::npos;
    }, 10s));
  }
  ~TwoHostCluster() {
    for (auto& w : workers_) w->kill(SIGTERM);
    for (auto& w : workers_) w->wait(5s);
    master_->kill(SIGTERM);
    master_->wait(5s);
  }

  Counts run(const std::string& name, std::vector<std::string> confs) {
    std::vector<std::string> argv{binDir() + "/sluice-submit", "--master", url_, "--conf", "executor.cores=2"};
    for (auto& c : confs) {
      argv.push_back("--conf");
      argv.push_back(c);
    }
    argv.push_back(libDir() + "/liblocality_app.so");
    argv.push_back("5");
    Child submit(argv, tmp_ / name);
    REQUIRE(submit.started());
    auto exit = submit.wait(120s);
    REQUIRE(exit.has_value());
    INFO(submit.err());
    REQUIRE(exit->exit_code == 0);
    std::smatch m;
    std::string out = submit.out();
    static const std::regex kLine(R"(block tasks (\d+) process_local (\d+) node_local \d+ any \d+ hosts (\d+))");
    REQUIRE(std::regex_search(out, m, kLine));
    return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
  }

 private:
  TempDir tmp_;
  std::string url_;
  std::unique_ptr<Child> master_;
  std::vector<std::unique_ptr<Child>> workers_;
};

}  // namespace

TEST_CASE("block tasks run PROCESS_LOCAL with the default waits and spread with locality.wait 0",
          "[integration][locality]") {
  TwoHostCluster cluster;
  Counts local = cluster.run("default-wait", {});
  INFO("default waits: " << local.process_local << " of " << local.total << " block tasks PROCESS_LOCAL on "
                         << local.hosts << " hosts");
  REQUIRE(local.total >= 10);
  CHECK(local.process_local >= 0.95 * local.total);

  Counts spread = cluster.run("no-wait", {"locality.wait=0"});
  INFO("locality.wait=0: " << spread.process_local << " of " << spread.total << " PROCESS_LOCAL on " << spread.hosts
                           << " hosts");
  REQUIRE(spread.total >= 10);
  CHECK(spread.hosts == 2);
}
