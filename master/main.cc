// sluice-master: the standalone cluster manager daemon.
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/conf.h"
#include "common/config_check.h"
#include "common/logging.h"
#include "common/signals.h"
#include "master/master.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  sluice::master::MasterOptions opts;
  std::vector<std::string> conf_pairs;
  std::string properties_file, log_level;
  po::options_description desc("Usage: sluice-master [options]");
  desc.add_options()("help,h", "show this help")
      ("host", po::value(&opts.host)->default_value("127.0.0.1"), "address to listen on")
      ("port", po::value(&opts.port)->default_value(7077), "port for workers and applications (0: any free port)")
      ("webui-port", po::value(&opts.webui_port)->default_value(8080), "port of the web UI (0: any free port)")
      ("recovery-dir", po::value(&opts.recovery_dir), "directory to persist state in and recover it from")
      ("conf", po::value(&conf_pairs)->composing(), "k=v configuration, e.g. worker.timeout=10s (repeatable)")
      ("properties-file", po::value(&properties_file), "file of k=v or 'k v' configuration lines")
      ("log-level", po::value(&log_level), "trace, debug, info, warn, error");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sluice-master: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (!properties_file.empty()) {
    sluice::Status st = opts.conf.loadPropertiesFile(properties_file);
    if (!st) {
      std::cerr << "sluice-master: --properties-file: " << st.message() << "\n";
      return 2;
    }
  }
  for (const auto& kv : conf_pairs) {
    sluice::Status st = opts.conf.setPair(kv);
    if (!st) {
      std::cerr << "sluice-master: --conf: " << st.message() << "\n";
      return 2;
    }
  }
  if (opts.port < 0 || opts.port > 65535 || opts.webui_port < -1 || opts.webui_port > 65535) {
    std::cerr << "sluice-master: --port and --webui-port must be in 0..65535\n";
    return 2;
  }
  sluice::initLogging("master", log_level);
  if (sluice::Status st = sluice::keys::checkAtStart(opts.conf); !st) {
    std::cerr << "sluice-master: " << st.message() << "\n";
    return 2;
  }

  sluice::blockShutdownSignals();  // before the master starts its threads

  sluice::master::Master master(opts);
  sluice::Status st = master.start();
  if (!st) {
    spdlog::error("master cannot start: {}", st.toString());
    return 1;
  }
  std::string line = "master listening at " + master.url() +
                     (master.webUrl().empty() ? std::string() : ", web UI at " + master.webUrl());
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  spdlog::info("{}", line);

  sluice::awaitShutdownSignal("shutting down");
  master.stop();
  return 0;
}
