// sluice-submit: runs an application library against a master, as spark-submit.
//
//   sluice-submit [options] app.so [app arguments...]
#include <dlfcn.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/app_loader.h"
#include "common/config_check.h"
#include "common/config_keys.h"
#include "common/logging.h"
#include "common/memory_trimmer.h"
#include "common/paths.h"
#include "common/shutdown_hooks.h"
#include "common/ui_acl.h"
#include "deploy/cluster_submit.h"
#include "driver/app.h"
#include "driver/context.h"

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "unknown"
#endif

namespace po = boost::program_options;

namespace {

struct SubmitArgs {
  std::string master = "local[2]";
  std::string deploy_mode = "client";
  std::string name;
  std::vector<std::string> confs;
  std::string properties_file;
  std::string files;
  std::string log_level;
  std::string app_path;
  std::vector<std::string> app_args;
  std::string status_id;
  std::string kill_id;
  std::string driver_id;
  std::string hash_user;
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
      ("version", "print the version and exit")
      ("hash-password", po::value(&a.hash_user),
       "read a password from stdin and print NAME:<its Argon2id hash>, a line for ui.usersFile, then exit")
      ("driver-cores", po::value<int>(), "cores a worker reserves for the driver (cluster mode; ignored in client mode, as in Spark)")
      ("driver-memory", po::value<std::string>(),
       "memory for the driver, e.g. 2g: what a worker reserves for it in cluster mode, the in-process executor's in local[N]")
      ("files", po::value(&a.files),
       "comma-separated files copied into each executor's work dir (and a cluster-mode driver's): tasks open them by "
       "their base name (a relative path is taken against this directory)")
      ("num-executors", po::value<std::string>(), "(YARN/Kubernetes only: refused; use --total-executor-cores)")
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

// --files a,b: each made absolute against this directory and checked to be a readable file,
// so that a typo fails here rather than on every executor.
sluice::StatusOr<std::string> shippedFiles(const std::string& list) {
  std::string files;
  for (const auto& given : sluice::splitPathList(list)) {
    std::string path = sluice::resolvePath(given);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return sluice::Status::invalidArgument("--files: " + given + " is not a file (looked at " + path + ")");
    }
    if (!std::ifstream(path)) return sluice::Status::invalidArgument("--files: cannot read " + path);
    files += (files.empty() ? "" : ",") + path;
  }
  return files;
}

// Conf from --properties-file, then --conf, then the dedicated flags.
sluice::StatusOr<sluice::Conf> buildConf(const SubmitArgs& a, const po::variables_map& vm) {
  sluice::Conf conf;
  if (!a.properties_file.empty()) SLUICE_RETURN_IF_ERROR(conf.loadPropertiesFile(a.properties_file));
  for (auto& kv : a.confs) SLUICE_RETURN_IF_ERROR(conf.setPair(kv));
  if (vm.count("num-executors")) {
    return sluice::Status::invalidArgument(
        "--num-executors is not a standalone option (it is YARN's and Kubernetes'); use --total-executor-cores for "
        "the cores of the whole application, with --executor-cores for the cores of each executor");
  }
  if (vm.count("driver-cores")) conf.set(sluice::keys::kDriverCores.name, std::to_string(vm["driver-cores"].as<int>()));
  if (vm.count("driver-memory")) {
    std::string text = vm["driver-memory"].as<std::string>();
    if (!sluice::parseBytes(text)) {
      return sluice::Status::invalidArgument("--driver-memory must be a size such as 512m or 2g, not '" + text + "'");
    }
    conf.set(sluice::keys::kDriverMemory.name, text);
  }
  if (!a.files.empty()) {
    auto files = shippedFiles(a.files);
    if (!files) return files.status();
    conf.set(sluice::keys::kFiles.name, *files);
  }
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
  // --name, or in cluster mode the app.name the submitter's --name set in the conf.
  opts.app_name = conf.get(sluice::keys::kAppName, std::filesystem::path(a.app_path).stem().string());
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

// --hash-password NAME: the password is one line of stdin (not echoed on a terminal), never
// an argument, which every process list would show.
int printUsersFileLine(const std::string& name) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "password for " << name << ": " << std::flush;
  }
  std::string password;
  std::getline(std::cin, password);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    std::cerr << "sluice-submit: --hash-password: no password on stdin\n";
    return 2;
  }
  auto line = sluice::usersFileLine(name, password);
  std::fill(password.begin(), password.end(), '\0');
  if (!line) {
    std::cerr << "sluice-submit: --hash-password: " << line.status().message() << "\n";
    return 2;
  }
  std::cout << *line << "\n";
  return 0;
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
  if (vm.count("version")) {
    std::cout << "sluice-submit version " << SLUICE_VERSION << "\n";
    return 0;
  }
  if (vm.count("hash-password")) return printUsersFileLine(a.hash_user);
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
  // The driver runs in a worker's work dir; relative paths in its arguments and conf mean
  // this directory (Context::absolutePath), as they do in client mode.
  if (!conf->contains(sluice::keys::kDriverWorkingDir)) {
    conf->set(sluice::keys::kDriverWorkingDir.name, sluice::resolvePath("."));
  }
  auto id = sluice::submitDriver({a.master, a.app_path, name, a.app_args, *conf, vm.count("supervise") > 0});
  if (!id) {
    std::cerr << "sluice-submit: " << id.status().message() << "\n";
    return 1;
  }
  std::cout << "submitted driver " << *id << " to " << a.master << "\n";
  return 0;
}
