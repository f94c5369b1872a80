// sluice-worker: the standalone cluster's per-host daemon.
//   sluice-worker sluice://master:7077 --cores 4 --memory 4g --work-dir /var/sluice/work
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/conf.h"
#include "common/config_check.h"
#include "common/logging.h"
#include "common/signals.h"
#include "deploy/master_address.h"
#include "worker/machine_resources.h"
#include "worker/worker.h"

namespace po = boost::program_options;

namespace {

int usageError(const std::string& message) {
  std::cerr << "sluice-worker: " << message << " (see --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  sluice::worker::WorkerOptions opts;
  std::vector<std::string> conf_pairs;
  std::string memory, properties_file, log_level;
  po::options_description desc("Usage: sluice-worker <master-url> [options]");
  desc.add_options()("help,h", "show this help")
      ("master", po::value(&opts.master_url), "the master, sluice://host:port (also the first argument)")
      ("host", po::value(&opts.host)->default_value("127.0.0.1"), "address to listen on and give to executors")
      ("port", po::value(&opts.port)->default_value(0), "port for the master and drivers (0: any free port)")
      ("webui-port", po::value(&opts.web_port)->default_value(8081), "port of the web UI (0: any free port, -1: none)")
      ("cores,c", po::value(&opts.cores)->default_value(sluice::worker::defaultWorkerCores()),
       "cores to offer to applications (default: all of this machine's)")
      ("memory,m", po::value(&memory),
       "memory to offer to applications, e.g. 1000m or 2g (default: the machine's memory minus 1 GiB, at least 1 GiB)")
      ("work-dir,d", po::value(&opts.work_dir)->default_value("work"), "directory for executors' and drivers' files")
      ("worker-id", po::value(&opts.worker_id), "this worker's id (default: worker-<time>-<host>-<port>)")
      ("conf", po::value(&conf_pairs)->composing(), "k=v configuration, e.g. worker.killTimeout=5s (repeatable)")
      ("properties-file", po::value(&properties_file), "file of k=v or 'k v' configuration lines")
      ("log-level", po::value(&log_level), "trace, debug, info, warn, error");
  po::positional_options_description positional;
  positional.add("master", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    return usageError(e.what());
  }
  if (opts.master_url.empty()) return usageError("the master URL is required, e.g. sluice://127.0.0.1:7077");
  if (auto endpoint = sluice::worker::masterEndpointOf(opts.master_url); !endpoint) {
    return usageError(endpoint.status().message());
  }
  // A master host that does not resolve fails now (a silent retry for ever otherwise).
  if (auto master = sluice::resolveMasterAddress(opts.master_url); !master) {
    std::cerr << "sluice-worker: " << master.status().message() << "\n";
    return 1;
  }
  if (memory.empty()) {
    opts.memory_mb = sluice::worker::defaultWorkerMemoryMb();
  } else {
    auto bytes = sluice::parseBytes(memory);
    if (!bytes || *bytes < (1 << 20)) {
      return usageError("--memory: expected a size such as 512m or 2g, got '" + memory + "'");
    }
    opts.memory_mb = *bytes >> 20;
  }
  if (opts.cores < 1) return usageError("--cores must be at least 1");
  if (opts.port < 0 || opts.port > 65535 || opts.web_port < -1 || opts.web_port > 65535) {
    return usageError("--port and --webui-port must be in 0..65535");
  }
  if (!properties_file.empty()) {
    if (sluice::Status st = opts.conf.loadPropertiesFile(properties_file); !st) {
      return usageError("--properties-file: " + st.message());
    }
  }
  for (const auto& kv : conf_pairs) {
    if (sluice::Status st = opts.conf.setPair(kv); !st) return usageError("--conf: " + st.message());
  }
  sluice::initLogging("worker", log_level);
  if (sluice::Status st = sluice::keys::checkAtStart(opts.conf); !st) {
    std::cerr << "sluice-worker: " << st.message() << "\n";
    return 2;
  }

  sluice::blockShutdownSignals();  // before the worker starts its threads

  sluice::worker::Worker worker(opts);
  if (sluice::Status st = worker.start(); !st) {
    spdlog::error("worker cannot start: {}", st.toString());
    return 1;
  }
  std::string line = "worker " + worker.id() + " listening at " + worker.endpoint() + " for master " +
                     opts.master_url + (worker.webUrl().empty() ? std::string() : ", web UI at " + worker.webUrl());
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  spdlog::info("{}", line);

  // Wait for a signal, or for the master to refuse this worker.
  while (!worker.waitTerminated(std::chrono::milliseconds(0))) {
    if (sluice::awaitShutdownSignal("killing children and shutting down", std::chrono::milliseconds(200))) break;
  }
  worker.stop();
  if (sluice::Status fatal = worker.fatalError(); !fatal) {
    spdlog::error("worker stopped: {}", fatal.toString());
    return 1;
  }
  return 0;
}
