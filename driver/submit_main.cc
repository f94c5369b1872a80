// sluice-submit: runs an application library against a master, as spark-submit.
//
//   sluice-submit [options] app.so [app arguments...]
#include <dlfcn.h>

#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "common/logging.h"
#include "driver/app.h"
#include "driver/context.h"
#include "executor/app_loader.h"

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
};

po::options_description describe(SubmitArgs& a) {
  po::options_description desc("Usage: sluice-submit [options] <app.so> [app arguments]\nOptions");
  desc.add_options()("help,h", "show this help")
      ("master", po::value(&a.master)->default_value("local[2]"), "local[N], local-cluster[W,C,M] or sluice://host:port")
      ("deploy-mode", po::value(&a.deploy_mode)->default_value("client"), "client or cluster")
      ("name", po::value(&a.name), "application name")
      ("conf", po::value(&a.confs), "key=value configuration (repeatable)")
      ("properties-file", po::value(&a.properties_file), "file of configuration properties")
      ("executor-cores", po::value<int>(), "cores per executor")
      ("executor-memory", po::value<std::string>(), "memory per executor, e.g. 1g")
      ("total-executor-cores", po::value<int>(), "cores for the whole application")
      ("supervise", "restart the driver when it fails (cluster mode)")
      ("verbose,v", "log at debug level")
      ("log-level", po::value(&a.log_level), "trace, debug, info, warn, error");
  return desc;
}

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

}  // namespace

int main(int argc, char** argv) {
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
    std::cout << desc << "\n";
    return 0;
  }
  if (app_index >= argc) {
    std::cerr << "sluice-submit: no application library given\n" << desc << "\n";
    return 2;
  }
  a.app_path = argv[app_index];
  for (int i = app_index + 1; i < argc; ++i) a.app_args.push_back(argv[i]);
  sluice::initLogging("driver", vm.count("verbose") ? "debug" : a.log_level);

  sluice::ContextOptions opts;
  opts.master = a.master;
  opts.app_path = a.app_path;
  if (!a.properties_file.empty()) {
    if (auto st = opts.conf.loadPropertiesFile(a.properties_file); !st) {
      std::cerr << "sluice-submit: " << st.message() << "\n";
      return 2;
    }
  }
  for (auto& kv : a.confs) {
    if (auto st = opts.conf.setPair(kv); !st) {
      std::cerr << "sluice-submit: " << st.message() << "\n";
      return 2;
    }
  }
  if (vm.count("executor-cores")) opts.conf.set("executor.cores", std::to_string(vm["executor-cores"].as<int>()));
  if (vm.count("executor-memory")) opts.conf.set("executor.memory", vm["executor-memory"].as<std::string>());
  if (vm.count("total-executor-cores")) opts.conf.set("cores.max", std::to_string(vm["total-executor-cores"].as<int>()));
  if (a.deploy_mode != "client") {
    std::cerr << "sluice-submit: --deploy-mode " << a.deploy_mode << " is not supported by this build (use client)\n";
    return 2;
  }
  auto handle = sluice::loadAppLibrary(a.app_path);
  if (!handle) {
    std::cerr << "sluice-submit: " << handle.status().message() << "\n";
    return 2;
  }
  opts.app_name = a.name.empty() ? a.app_path : a.name;
  auto app_main = reinterpret_cast<sluice::AppMainFn>(::dlsym(*handle, "sluice_app_main"));

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
  (*ctx)->stop();
  return code;
}
