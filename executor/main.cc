// sluice-executor: one executor process of an application.
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/conf.h"
#include "common/config_check.h"
#include "common/logging.h"
#include "common/memory_trimmer.h"
#include "executor/executor.h"
#include "rpc/transport_options.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  sluice::ExecutorOptions opts;
  std::string memory = "1g";
  std::string log_level;
  std::vector<std::string> conf_pairs;
  po::options_description desc("Usage: sluice-executor --driver-url tcp://host:port --executor-id ID [options]");
  desc.add_options()("help,h", "show this help")
      ("driver-url", po::value(&opts.driver_endpoint)->required(), "the driver's executor endpoint")
      ("executor-id", po::value(&opts.executor_id)->required(), "this executor's id")
      ("cores", po::value(&opts.cores)->default_value(1), "task slots")
      ("memory", po::value(&memory)->default_value("1g"), "memory, e.g. 1024m or 2g")
      ("host", po::value(&opts.host)->default_value("127.0.0.1"), "address to bind the block server to")
      ("work-dir", po::value(&opts.work_dir), "directory for the application cache and spills")
      ("app-id", po::value<std::string>(), "application id (informational)")
      ("log-level", po::value(&log_level), "trace, debug, info, warn, error")
      ("conf", po::value(&conf_pairs)->composing(),
       "key=value before the application's configuration arrives: auth.enabled, rpc.maxFrameBytes (the secret "
       "comes from SLUICE_AUTH_SECRET)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sluice-executor: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  auto bytes = sluice::parseBytes(memory);
  if (!bytes) {
    std::cerr << "sluice-executor: --memory: " << bytes.status().message() << "\n";
    return 2;
  }
  opts.memory_bytes = *bytes;
  sluice::initLogging("executor-" + opts.executor_id, log_level);
  sluice::Conf conf;
  for (const std::string& kv : conf_pairs) {
    if (sluice::Status st = conf.setPair(kv); !st) {
      std::cerr << "sluice-executor: --conf: " << st.message() << "\n";
      return 2;
    }
  }
  if (sluice::Status st = sluice::keys::checkAtStart(conf); !st) {
    std::cerr << "sluice-executor: " << st.message() << "\n";
    return 2;
  }
  opts.transport = sluice::rpc::transportOptions(conf);
  sluice::MemoryTrimmer trimmer;  // an executor runs for months: give freed heap back
  sluice::Executor executor(opts);
  sluice::Status st = executor.start();
  if (!st) {
    spdlog::error("executor {} cannot start: {}", opts.executor_id, st.toString());
    return 1;
  }
  executor.awaitTermination();
  executor.stop();
  spdlog::info("executor {} exiting", opts.executor_id);
  return 0;
}
