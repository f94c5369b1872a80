// sluice-submit: runs an application library against a master, as spark-submit.
//
//   sluice-submit [options] app.so [app arguments...]
#include <dlfcn.h>

#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/app_loader.h"
#include "common/config_check.h"
#include "common/config_keys.h"
#include "common/logging.h"
#include "common/memory_trimmer.h"
#include "common/shutdown_hooks.h"
#include "deploy/cluster_submit.h"
#include "driver/app.h"
#include "driver/context.h"

namespace po = boost::program_options;

namespace {

struct SubmitArgs {
  std::string master = "local[2]";
  std::string deploy_mode = "client";
  std::string name;
  std::vector<std::string> confs;
  std::string properties_file;
  std::string log_level;
  std::string app_path;
  std::vector<std::string> app_args;
  std::string status_id;
  std::string kill_id;
  std::string driver_id;
};

po::options_description describe(SubmitArgs& a) {
  po::options_description desc("Usage: sluice-submit [options] <app.so> [app arguments]\nOptions");
  desc.add_options()("help,h", "show this help")
      ("help-conf", "list every configuration key: type, accepted values, default, meaning")
      ("master", po::value(&a.master)->default_value("local[2]"), "local[N], local-cluster[W,C,M] or sluice://host:port")
      ("deploy-mode", po::value(&a.deploy_mode)->default_value("client"), "client or cluster")
      ("name", po::value(&a.name), "application name")
      ("conf", po::value(&a.confs), "key=value configuration (repeatable)")
      ("properties-file", po::value(&a.properties_file), "file of configuration properties")
      ("executor-cores", po::value<int>(), "cores per executor")
      ("executor-memory", po::value<std::string>(), "memory per executor, e.g. 1g")
      ("total-executor-cores", po::value<int>(), "cores for the whole application")
      ("batch-duration", po::value<std::string>(),
       "streaming batch interval, e.g. 250ms or 2s, overriding the one in the application's code (sets "
       "streaming.batchDuration; refused at start when a window or slide is not a multiple of it)")
      ("supervise", "restart the driver when it fails (cluster mode)")
      ("status", po::value(&a.status_id), "print the state of a driver submitted in cluster mode")
      ("kill", po::value(&a.kill_id), "kill a driver submitted in cluster mode")
      ("driver-id", po::value(&a.driver_id), "(set by the worker) this driver's id in cluster mode")
      ("verbose,v", "log at debug level")
      ("log-level", po::value(&a.log_level),
       "trace, debug, info, warn, error (the per-batch line has its own: --conf log.batches.level=...)");
  return desc;
}

constexpr const char* kStreamingHelp =
    "Streaming applications:\n"
    "  --batch-duration 250ms (or --conf streaming.batchDuration=250ms) runs the application at that batch\n"
    "  interval instead of the one in its code, so that one build can be run at several intervals; the driver\n"
    "  logs the override at start, and refuses it (exit 1) when a window or slide is not a multiple of it.\n"
    "  The driver logs a WARN line \"streaming is falling behind\" when 3 batches in a row have a total delay\n"
    "  over the interval (then at most once a minute while it lasts), with the queued batches and the knobs:\n"
    "  the interval, streaming.receiver.maxRate, streaming.backpressure.enabled. A stop that is not graceful\n"
    "  logs how many queued batches it dropped. The REST statistics carry both (numQueuedBatches, isOverloaded,\n"
    "  consecutiveOverloadedBatches, numDroppedBatches).\n";

// Options end at the first argument that is not an option or an option's value: the app.
int splitAtApp(int argc, char** argv, const po::options_description& desc) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 && arg.rfind("-", 0) != 0) return i;
    if (arg.find('=') != std::string::npos) continue;
    std::string name = arg.substr(arg.find_first_not_of('-'));
    const auto* opt = desc.find_nothrow(name, false);
    if (opt && opt->semantic()->max_tokens() > 0) ++i;
  }
  return argc;
}

// Conf from --properties-file, then --conf, then the dedicated flags.
sluice::StatusOr<sluice::Conf> buildConf(const SubmitArgs& a, const po::variables_map& vm) {
  sluice::Conf conf;
  if (!a.properties_file.empty()) SLUICE_RETURN_IF_ERROR(conf.loadPropertiesFile(a.properties_file));
  for (auto& kv : a.confs) SLUICE_RETURN_IF_ERROR(conf.setPair(kv));
  if (vm.count("executor-cores")) conf.set(sluice::keys::kExecutorCores.name, std::to_string(vm["executor-cores"].as<int>()));
  if (vm.count("executor-memory")) conf.set(sluice::keys::kExecutorMemory.name, vm["executor-memory"].as<std::string>());
  if (vm.count("total-executor-cores")) conf.set(sluice::keys::kCoresMax.name, std::to_string(vm["total-executor-cores"].as<int>()));
  if (vm.count("batch-duration")) {
    std::string text = vm["batch-duration"].as<std::string>();
    auto interval = sluice::parseDuration(text);
    if (!interval || interval->count() <= 0) {
      return sluice::Status::invalidArgument("--batch-duration must be a positive duration such as 250ms or 2s, not '" +
                                             text + "'");
    }
    conf.set(sluice::keys::kStreamingBatchDuration.name, text);
  }
  if (!a.driver_id.empty()) conf.set(sluice::keys::kDriverId.name, a.driver_id);
  if (!a.name.empty()) conf.set(sluice::keys::kAppName.name, a.name);
  return conf;
}

int showStatus(const std::string& master, const std::string& id, const sluice::Conf& conf) {
  auto reply = sluice::requestDriverStatus(master, id, conf);
  if (!reply) {
    std::cerr << "sluice-submit: " << reply.status().message() << "\n";
    return 1;
  }
  if (!reply->found) {
    std::cerr << "sluice-submit: master " << master << " knows no driver " << id << "\n";
    return 1;
  }
  std::cout << "driver " << id << " is " << sluice::rpc::driverStateName(reply->state);
  if (!reply->worker_id.empty()) std::cout << " on worker " << reply->worker_id << " (" << reply->worker_host << ")";
  if (!reply->message.empty()) std::cout << ": " << reply->message;
  std::cout << "\n";
  return 0;
}

int killDriver(const std::string& master, const std::string& id, const sluice::Conf& conf) {
  auto reply = sluice::requestKillDriver(master, id, conf);
  if (!reply) {
    std::cerr << "sluice-submit: " << reply.status().message() << "\n";
    return 1;
  }
  std::cout << (reply->ok ? "killed driver " : "could not kill driver ") << id;
  if (!reply->message.empty()) std::cout << ": " << reply->message;
  std::cout << "\n";
  return reply->ok ? 0 : 1;
}

// Client mode: this process is the driver.
int runDriver(const SubmitArgs& a, void* handle, const sluice::Conf& conf) {
  sluice::ContextOptions opts;
  opts.master = a.master;
  opts.app_path = a.app_path;
  opts.app_name = a.name.empty() ? std::filesystem::path(a.app_path).stem().string() : a.name;
  opts.conf = conf;
  auto app_main = reinterpret_cast<sluice::AppMainFn>(::dlsym(handle, "sluice_app_main"));
  auto ctx = sluice::Context::create(opts);
  if (!ctx) {
    spdlog::error("cannot start the application: {}", ctx.status().toString());
    return 1;
  }
  int code;
  try {
    code = app_main(ctx->get(), &a.app_args);
  } catch (const std::exception& e) {
    spdlog::error("application failed: {}", e.what());
    code = 1;
  }
  (*ctx)->stop(code != 0);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  sluice::installShutdownSignalHandler();  // SIGTERM stops the driver through its hooks
  SubmitArgs a;
  auto desc = describe(a);
  int app_index = splitAtApp(argc, argv, desc);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(app_index, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sluice-submit: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n" << kStreamingHelp;
    return 0;
  }
  if (vm.count("help-conf")) {
    std::cout << sluice::keys::describeAll();
    return 0;
  }
  sluice::initLogging("driver", vm.count("verbose") ? "debug" : a.log_level);
  auto conf = buildConf(a, vm);
  if (!conf) {
    std::cerr << "sluice-submit: " << conf.status().message() << "\n";
    return 2;
  }
  // Bad values stop here, before any master, executor or application is started.
  if (auto st = sluice::keys::checkAtStart(*conf); !st) {
    std::cerr << "sluice-submit: " << st.message() << "\n";
    return 2;
  }
  if (auto st = sluice::setLoggerLevel(sluice::kBatchesLogger, conf->get(sluice::keys::kLogBatchesLevel)); !st) {
    std::cerr << "sluice-submit: --conf " << sluice::keys::kLogBatchesLevel.name << ": " << st.message() << "\n";
    return 2;
  }
  if (!a.status_id.empty()) return showStatus(a.master, a.status_id, *conf);
  if (!a.kill_id.empty()) return killDriver(a.master, a.kill_id, *conf);
  if (app_index >= argc) {
    std::cerr << "sluice-submit: no application library given\n" << desc << "\n";
    return 2;
  }
  a.app_path = argv[app_index];
  for (int i = app_index + 1; i < argc; ++i) a.app_args.push_back(argv[i]);
  if (a.deploy_mode != "client" && a.deploy_mode != "cluster") {
    std::cerr << "sluice-submit: --deploy-mode must be client or cluster, not '" << a.deploy_mode << "'\n";
    return 2;
  }
  // Refuse a missing file or a library that is not a Sluice application before anything else.
  auto handle = sluice::loadAppLibrary(a.app_path);
  if (!handle) {
    std::cerr << "sluice-submit: " << handle.status().message() << "\n";
    return 2;
  }
  if (a.deploy_mode == "client") {
    sluice::MemoryTrimmer trimmer;  // a driver runs for months: give freed heap back
    return runDriver(a, *handle, *conf);
  }
  std::string name = a.name.empty() ? std::filesystem::path(a.app_path).stem().string() : a.name;
  auto id = sluice::submitDriver({a.master, a.app_path, name, a.app_args, *conf, vm.count("supervise") > 0});
  if (!id) {
    std::cerr << "sluice-submit: " << id.status().message() << "\n";
    return 1;
  }
  std::cout << "submitted driver " << *id << " to " << a.master << "\n";
  return 0;
}
