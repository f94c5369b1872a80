#include "driver/context.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/app_loader.h"
#include "common/auth_secret.h"
#include "common/clock.h"
#include "common/config_keys.h"
#include "common/paths.h"
#include "common/shutdown_hooks.h"
#include "deploy/local_cluster.h"
#include "deploy/master_address.h"
#include "deploy/master_url.h"
#include "deploy/standalone_client.h"
#include "driver/coarse_grained_scheduler_backend.h"
#include "driver/console_progress_bar.h"
#include "driver/context_cleaner.h"
#include "driver/driver_host.h"
#include "driver/ui/app_status_store.h"
#include "driver/ui/driver_web_ui.h"
#include "executor/executor.h"
#include "rpc/transport_options.h"
#include "scheduler/dag_scheduler.h"

namespace sluice {
using namespace std::chrono_literals;

struct Context::Impl {
  ContextOptions options;
  MasterUrl master;
  std::string app_id;
  std::string driver_host;  // advertised to executors (driver.host or chooseDriverHost's pick)
  MapOutputTracker tracker;
  std::unique_ptr<DAGScheduler> dag;
  std::unique_ptr<TaskScheduler> tasks;
  std::unique_ptr<CoarseGrainedSchedulerBackend> backend;
  std::unique_ptr<Executor> local_executor;
  std::unique_ptr<LocalCluster> local_cluster;
  std::unique_ptr<StandaloneClient> standalone;
  std::unique_ptr<ContextCleaner> cleaner;
  SystemClock clock;
  std::unique_ptr<ConsoleProgressBar> progress;  // null unless ui.showConsoleProgress
  // Fed by the DAGScheduler's listener events, read by the UI. Destroyed after the UI
  // and before the DAGScheduler, whose event loop stop() has ended by then.
  std::unique_ptr<AppStatusStore> status;
  std::unique_ptr<DriverWebUi> ui;
  bool stopped = false;
  std::string working_dir;  // absolute: what relative paths resolve against

  Status startLocalExecutor(const std::string& endpoint, const std::string& host, const std::string& work_root);
  Status joinMaster(const MasterAddress& master_address, const std::string& endpoint);
  Status awaitFirstExecutor(const std::string& endpoint);
  void startWebUi(int64_t start_ms);
};

CoarseGrainedSchedulerBackend* Context::schedulerBackend() { return impl_->backend.get(); }
DriverWebUi* Context::webUi() { return impl_->ui.get(); }

// Who runs this driver: the login name of the process's user, else $USER.
static std::string currentUser() {
  struct passwd pw{};
  struct passwd* found = nullptr;
  char buf[1024];
  if (::getpwuid_r(::getuid(), &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name) return found->pw_name;
  const char* user = std::getenv("USER");
  return user ? user : "";
}

// The web UI as ui.enabled, ui.bindAddress (else driver.bindAddress), ui.port,
// port.maxRetries and driver.host say, asking for credentials with auth.enabled. One that
// cannot bind, or cannot find the secret it needs, is logged, and the application runs
// without it.
void Context::Impl::startWebUi(int64_t start_ms) {
  const Conf& conf = options.conf;
  if (!conf.get(keys::kUiEnabled)) return;
  DriverWebUi::Options o;
  o.host = uiBindAddress(conf, conf.get(keys::kDriverBindAddress));
  o.port = static_cast<int>(conf.get(keys::kUiPort));
  o.max_retries = static_cast<int>(conf.get(keys::kPortMaxRetries));
  o.public_host = driver_host;
  o.app = AppSummary{app_id, options.app_name, currentUser(), options.master, start_ms};
  o.conf = conf;
  auto started = DriverWebUi::start(std::move(o), status.get());
  if (!started) {
    spdlog::error("{}; the application goes on without its UI", started.status().message());
    return;
  }
  ui = std::move(*started);
}

static std::string newAppId() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", std::localtime(&t));
  return std::string("app-") + buf + "-" + std::to_string(::getpid());
}

// local[N]: one in-process executor with N task threads.
Status Context::Impl::startLocalExecutor(const std::string& endpoint, const std::string& host,
                                         const std::string& work_root) {
  ExecutorOptions eo;
  eo.executor_id = "driver";
  eo.driver_endpoint = endpoint;
  eo.host = host;
  eo.cores = master.threads;
  eo.work_dir = work_root + "/" + app_id + "/driver";
  eo.in_process = true;
  eo.transport = rpc::transportOptions(options.conf);
  eo.memory_bytes = options.conf.contains(keys::kDriverMemory) ? options.conf.get(keys::kDriverMemory) : int64_t{2} << 30;
  spdlog::info("local[{}]: one in-process executor with {} MiB ({}, as --driver-memory)", eo.cores,
               eo.memory_bytes >> 20, keys::kDriverMemory.name);
  local_executor = std::make_unique<Executor>(eo);
  SLUICE_RETURN_IF_ERROR(local_executor->start());
  return backend->waitForExecutors(1, 10000ms) ? Status::ok() : Status::timeout("the local executor did not register");
}

// Standalone: register with the master, which has workers launch our executors.
Status Context::Impl::joinMaster(const MasterAddress& master_address, const std::string& endpoint) {
  CoarseGrainedSchedulerBackend* b = backend.get();
  standalone = std::make_unique<StandaloneClient>(master_address, options.conf,
                                                  [b](const std::string& id, const std::string& why) {
                                                    b->executorExited(id, why);
                                                  });
  const Conf& conf = options.conf;
  rpc::RegisterApplication req;
  req.app_id = app_id;
  req.name = options.app_name;
  req.driver_endpoint = endpoint;
  // Unset: one executor per worker with all the cores it can take there (0 tells the master).
  req.executor_cores = static_cast<int32_t>(conf.get(keys::kExecutorCores, 0));
  req.executor_memory_mb = conf.get(keys::kExecutorMemory) >> 20;
  req.max_cores = static_cast<int32_t>(conf.get(keys::kCoresMax));
  req.driver_id = conf.get(keys::kDriverId);
  req.user = currentUser();
  if (ui) req.app_ui_url = ui->url();  // the master's page links the application to it
  auto id = standalone->registerApplication(req);
  if (!id) return id.status();
  // Wait for the first executor, then briefly for the rest of what the master granted.
  SLUICE_RETURN_IF_ERROR(awaitFirstExecutor(endpoint));
  auto deadline = std::chrono::steady_clock::now() + 3s;
  while (backend->registeredExecutors() < standalone->executorsGranted() && std::chrono::steady_clock::now() < deadline) {
    backend->waitForExecutors(standalone->executorsGranted(), 100ms);
  }
  return Status::ok();
}

// Waits up to executor.registrationTimeout for an executor to register. Executors that the
// master launched but that end before any registered, or that do not register in time,
// most likely cannot reach this driver: the error says so and names driver.host.
Status Context::Impl::awaitFirstExecutor(const std::string& endpoint) {
  const Conf& conf = options.conf;
  auto wait = conf.get(keys::kExecutorRegistrationTimeout);
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (!backend->waitForExecutors(1, 100ms)) {
    if (auto failed = standalone->firstFailedExecutor()) {
      return executorsCannotConnect(endpoint, driver_host,
                                    "executor " + failed->executor_id + " on " + failed->host +
                                        " ended before any executor registered (" + failed->how + ")");
    }
    if (std::chrono::steady_clock::now() < deadline) continue;
    if (int granted = standalone->executorsGranted(); granted > 0) {
      return executorsCannotConnect(endpoint, driver_host,
                                    "the master launched " + std::to_string(granted) +
                                        " executor(s), but none registered within " + describeWait(wait) + " (" +
                                        keys::kExecutorRegistrationTimeout.name + ")");
    }
    int64_t cores = conf.get(keys::kExecutorCores, 1);
    return Status::timeout("no executor registered within " + describeWait(wait) +
                           ": the master launched none (does the cluster have a worker with " + std::to_string(cores) +
                           " free cores and " + std::to_string(conf.get(keys::kExecutorMemory) >> 20) + " MiB?)");
  }
  return Status::ok();
}

// The directory relative paths resolve against: driver.workingDir (the submitter's, in
// cluster mode), else this process's working directory.
static std::string workingDirOf(const Conf& conf) {
  std::string dir = conf.get(keys::kDriverWorkingDir);
  return resolvePath(dir.empty() ? "." : dir);
}

// The path-valued keys made absolute against working_dir, so that every process that reads
// them (executors in their own work dirs, a cluster-mode driver) finds the same files.
static void resolvePathKeys(Conf& conf, const std::string& working_dir) {
  for (const auto* key : {&keys::kSchedulerAllocationFile, &keys::kStreamingCheckpointDir}) {
    if (conf.contains(*key)) conf.set(key->name, resolvePath(conf.get(*key), working_dir));
  }
  if (conf.contains(keys::kLocalDir)) conf.set(keys::kLocalDir.name, resolvePath(conf.get(keys::kLocalDir, ""), working_dir));
  if (conf.contains(keys::kFiles)) {
    std::string files;
    for (const auto& f : splitPathList(conf.get(keys::kFiles))) files += (files.empty() ? "" : ",") + resolvePath(f, working_dir);
    conf.set(keys::kFiles.name, files);
  }
}

StatusOr<std::unique_ptr<Context>> Context::create(ContextOptions options) {
  auto master = parseMasterUrl(options.master);
  if (!master) return master.status();
  auto impl = std::make_unique<Impl>();
  impl->working_dir = workingDirOf(options.conf);
  resolvePathKeys(options.conf, impl->working_dir);
  impl->options = options;
  impl->master = *master;
  impl->app_id = options.conf.get(keys::kAppId, newAppId());
  // A standalone master's host is resolved first: a name that does not exist fails now.
  std::optional<MasterAddress> master_address;
  if (master->kind == MasterUrl::Kind::kStandalone) {
    auto resolved = resolveMasterAddress(options.master);
    if (!resolved) return resolved.status();
    master_address = std::move(*resolved);
  }
  auto driver_host = chooseDriverHost(options.conf, master_address ? &*master_address : nullptr);
  if (!driver_host) return driver_host.status();
  impl->driver_host = driver_host->address;
  spdlog::info("driver advertises {} to its executors ({})", driver_host->address, driver_host->origin);

  ServedApp app{impl->app_id, "", "", 0, {}};
  if (master->kind != MasterUrl::Kind::kLocal) {
    if (options.app_path.empty()) {
      return Status::invalidArgument(options.master + " needs an application library to ship to executors; "
                                     "submit the application with sluice-submit");
    }
    auto file = describeAppFile(options.app_path);
    if (!file) return file.status();
    app.path = options.app_path;
    app.hash = file->hash;
    app.size = file->size;
  }
  auto files = describeShippedFiles(options.conf);
  if (!files) return files.status();
  app.files = std::move(*files);
  // A cluster-mode driver runs in its own directory on a worker: its code finds the files
  // there by base name, as tasks do in theirs.
  if (!options.conf.get(keys::kDriverId).empty()) {
    SLUICE_RETURN_IF_ERROR(copyShippedFiles(app.files, resolvePath(".")));
  }

  impl->dag = std::make_unique<DAGScheduler>(options.conf, impl->tracker);
  impl->backend = std::make_unique<CoarseGrainedSchedulerBackend>(options.conf, app);
  impl->tasks = std::make_unique<TaskScheduler>(options.conf, impl->backend.get(), impl->dag.get());
  SLUICE_RETURN_IF_ERROR(impl->tasks->start());
  impl->dag->setTaskScheduler(impl->tasks.get());
  impl->cleaner = std::make_unique<ContextCleaner>(options.conf, *impl->dag, *impl->tasks, *impl->backend);
  impl->dag->setShuffleCleaner([cleaner = impl->cleaner.get()](const std::vector<int>& shuffle_ids) {
    cleaner->cleanup(CleanupRequest::shuffles(shuffle_ids));
  });
  impl->dag->start();
  const std::string host = impl->driver_host;
  auto endpoint = impl->backend->start(host, static_cast<int>(options.conf.get(keys::kDriverPort)), impl->tasks.get());
  if (!endpoint) return endpoint.status();
  int64_t start_ms = impl->clock.nowMs();
  AppStatusStore::Limits limits;
  limits.retained_jobs = static_cast<size_t>(std::max<int64_t>(0, options.conf.get(keys::kUiRetainedJobs)));
  limits.retained_stages = static_cast<size_t>(std::max<int64_t>(0, options.conf.get(keys::kUiRetainedStages)));
  impl->status = std::make_unique<AppStatusStore>(limits, impl->clock);
  impl->dag->addListener(impl->status.get());
  impl->startWebUi(start_ms);

  std::unique_ptr<Context> ctx(new Context(std::move(impl)));
  Impl& im = *ctx->impl_;
  std::string work_root = options.conf.get(keys::kLocalDir, (std::filesystem::temp_directory_path() / "sluice-work").string());
  switch (master->kind) {
    case MasterUrl::Kind::kLocal:
      SLUICE_RETURN_IF_ERROR(im.startLocalExecutor(*endpoint, host, work_root));
      break;
    case MasterUrl::Kind::kLocalCluster:
      im.local_cluster = std::make_unique<LocalCluster>(im.app_id, work_root);
      {
        auto secret = auth::clusterSecret(im.options.conf);
        if (!secret) return secret.status();
        SLUICE_RETURN_IF_ERROR(
            im.local_cluster->start(master->workers, master->cores_per_worker, master->memory_mb, *secret));
      }
      im.options.conf.set(keys::kExecutorCores.name, std::to_string(master->cores_per_worker));
      im.options.conf.set(keys::kExecutorMemory.name, std::to_string(master->memory_mb) + "m");
      {
        auto local_master = resolveMasterAddress(im.local_cluster->masterUrl());
        if (!local_master) return local_master.status();
        SLUICE_RETURN_IF_ERROR(im.joinMaster(*local_master, *endpoint));
      }
      break;
    case MasterUrl::Kind::kStandalone:
      SLUICE_RETURN_IF_ERROR(im.joinMaster(*master_address, *endpoint));
      break;
  }
  im.cleaner->start();
  if (showConsoleProgress(im.options.conf)) {
    TaskScheduler* tasks = im.tasks.get();
    im.progress = std::make_unique<ConsoleProgressBar>([tasks] { return tasks->activeStages(); },
                                                       StatusLine::forStderr(), im.clock,
                                                       ConsoleProgressBar::Options{terminalWidth()});
    im.progress->start();
  }
  spdlog::info("application {} started on {} ({} executors, {} cores)", im.app_id, options.master,
               im.backend->registeredExecutors(), im.tasks->totalCores());
  return ctx;
}

Context::Context(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  shutdown_hook_ = addShutdownHook(kContextShutdownPriority, [this] { stop(); });
}

Context::~Context() {
  removeShutdownHook(shutdown_hook_);
  stop();
}

void Context::stop(bool failed) {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->progress) impl_->progress->stop();
  if (impl_->ui) impl_->ui->stop();
  impl_->cleaner->stop();
  // Unregister first, so that the master does not relaunch the executors that go away.
  if (impl_->standalone) impl_->standalone->stop(failed);
  impl_->backend->stop();
  if (impl_->local_executor) impl_->local_executor->stop();
  if (impl_->local_cluster) impl_->local_cluster->shutdown();
  impl_->dag->stop();
  impl_->tasks->stop();  // its revive thread, before the backend it calls is destroyed
  spdlog::info("application {} stopped", impl_->app_id);
}

RDD<std::string> Context::textFile(const std::string& path, int min_partitions) {
  // Executors run in their own work directories: hand them an absolute path.
  std::string absolute = absolutePath(path);
  auto splits = planTextSplits(absolute, min_partitions > 0 ? min_partitions : defaultParallelism());
  if (!splits) throw JobFailedError(splits.status().message());
  return RDD<std::string>(this, std::make_shared<TextFileRDD>(newRddId(), std::move(*splits)));
}

std::string Context::absolutePath(const std::string& path) const { return resolvePath(path, impl_->working_dir); }

const Conf& Context::conf() const { return impl_->options.conf; }
const std::string& Context::appId() const { return impl_->app_id; }
const std::string& Context::master() const { return impl_->options.master; }
const std::string& Context::appName() const { return impl_->options.app_name; }

int Context::defaultParallelism() const {
  return static_cast<int>(impl_->options.conf.get(keys::kDefaultParallelism, std::max(2, impl_->tasks->totalCores())));
}

void Context::addListener(SchedulerListener* listener) { impl_->dag->addListener(listener); }
void Context::removeListener(SchedulerListener* listener) { impl_->dag->removeListener(listener); }

namespace {
// Context -> key -> value, for the calling thread.
std::map<const void*, std::map<std::string, std::string>>& localProperties() {
  thread_local std::map<const void*, std::map<std::string, std::string>> props;
  return props;
}
}  // namespace

void Context::setLocalProperty(const std::string& key, const std::string& value) {
  auto& mine = localProperties()[this];
  if (value.empty()) mine.erase(key);
  else mine[key] = value;
}

std::string Context::getLocalProperty(const std::string& key) const {
  auto& all = localProperties();
  auto it = all.find(this);
  if (it == all.end()) return "";
  auto kv = it->second.find(key);
  return kv == it->second.end() ? "" : kv->second;
}

void Context::cancelJobGroup(const std::string& group, const std::string& reason) {
  impl_->dag->cancelJobGroup(group, reason);
}

std::vector<std::string> Context::runJob(std::shared_ptr<RDDBase> rdd, const std::vector<int>& partitions) {
  TaskSetPlacement placement;
  placement.long_running = getLocalProperty(kLongRunningProperty) == "true";
  if (std::string pre = getLocalProperty(kPreScheduleReducersProperty); pre == "true" || pre == "false") {
    placement.pre_schedule_reducers = pre == "true";
  }
  if (std::string cap = getLocalProperty(kLocalityWaitMaxProperty); !cap.empty()) {
    if (auto ms = parseDuration(cap)) placement.locality_wait_max_ms = std::max<int64_t>(0, ms->count());
    else spdlog::warn("local property {}: {}; ignored", kLocalityWaitMaxProperty, ms.status().message());
  }
  auto result = impl_->dag->submitJob(std::move(rdd), partitions, getLocalProperty("scheduler.pool"),
                                        getLocalProperty("job.group"), placement,
                                        getLocalProperty(kJobLogQuietlyProperty) == "true")
                    .get();
  // Before the application prints what the job returned.
  if (impl_->progress) impl_->progress->finishAll();
  if (!result) throw JobFailedError(result.status().message());
  return std::move(*result);
}

int64_t Context::newBroadcast(std::string bytes, std::shared_ptr<const void> value) {
  int64_t id = next_broadcast_id_++;
  impl_->backend->addBroadcast(id, std::move(bytes));
  BroadcastCache::instance().put(id, std::move(value));
  return id;
}

void Context::trackPersisted(const std::shared_ptr<RDDBase>& rdd) { impl_->cleaner->trackPersisted(rdd); }

void Context::cleanup(CleanupRequest what) { impl_->cleaner->cleanup(std::move(what)); }

ContextCleaner& Context::cleaner() { return *impl_->cleaner; }

}  // namespace sluice
