#include "worker/worker.h"

#include <ctime>
#include <filesystem>
#include <future>

#include <spdlog/spdlog.h>

#include "common/auth_secret.h"
#include "common/config_keys.h"
#include "rpc/transport_options.h"
#include "worker/driver_app_fetch.h"
#include "worker/work_dir_cleanup.h"

namespace sluice::worker {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr size_t kRetainedFinished = 1000;  // as Spark's spark.worker.ui.retainedExecutors
const std::string kExecutorPrefix = "executor:";
const std::string kDriverPrefix = "driver:";

// worker-20240102153045-127.0.0.1-40123, as Spark names its workers.
std::string generateWorkerId(const std::string& host, int port) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
  return "worker-" + std::string(stamp) + "-" + host + "-" + std::to_string(port);
}

// The exit code reported for an exit: the process's own, or 128 + signal as a shell does.
int32_t exitCodeOf(const ExitInfo& exit) { return exit.signal ? 128 + exit.signal : exit.exit_code; }
bool exitedCleanly(const ExitInfo& exit) { return exit.signal == 0 && exit.exit_code == 0; }

// A file name from the master, kept inside the driver's directory.
std::string safeFileName(const std::string& name) {
  std::string base = fs::path(name).filename().string();
  return base.empty() || base == "." || base == ".." ? "app.so" : base;
}

// auth.enabled: the secret (checked at start by keys::checkAtStart).
std::optional<std::string> secretOf(const Conf& conf) {
  auto secret = auth::clusterSecret(conf);
  return secret ? *secret : std::nullopt;
}

}  // namespace

Worker::Worker(WorkerOptions options)
    : options_(std::move(options)),
      fetch_timeout_(options_.conf.get(keys::kWorkerFetchTimeout)),
      cleanup_interval_(options_.conf.get(keys::kWorkerCleanupInterval)),
      cleanup_ttl_(options_.conf.get(keys::kWorkerCleanupAppDataTtl)),
      secret_(secretOf(options_.conf)),
      transport_("worker", rpc::transportOptions(options_.conf)),
      loop_("worker", [](Task&& task) { task(); }) {}

Worker::~Worker() { stop(); }

Status Worker::start() {
  auto master_endpoint = masterEndpointOf(options_.master_url);
  if (!master_endpoint) return master_endpoint.status();
  if (options_.work_dir.empty()) return Status::invalidArgument("the worker needs a work dir");
  std::error_code ec;
  fs::create_directories(options_.work_dir, ec);
  if (ec) return Status::ioError("cannot create work dir " + options_.work_dir + ": " + ec.message());
  options_.work_dir = fs::absolute(options_.work_dir).lexically_normal().string();

  auto bound = transport_.bind("tcp://" + options_.host + ":" + std::to_string(options_.port));
  if (!bound) {
    return Status::unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                               " (--port): " + bound.status().message());
  }
  endpoint_ = *bound;
  if (options_.worker_id.empty()) options_.worker_id = generateWorkerId(options_.host, rpc::portOf(endpoint_));

  if (options_.web_port >= 0) {
    web_ = std::make_unique<WebUi>([this] { return status(); });
    const std::string web_host = uiBindAddress(options_.conf, options_.host);
    auto web_port = web_->start(web_host, options_.web_port, options_.conf);
    if (!web_port) return web_port.status();
    web_port_ = *web_port;
    web_url_ = "http://" + publicHost(web_host, options_.host) + ":" + std::to_string(web_port_);
  }

  runner_ = std::make_unique<ProcessRunner>(
      [this](const std::string& key, const ExitInfo& exit, bool killed) {
        loop_.post([this, key, exit, killed] { onChildExit(key, exit, killed); });
      },
      options_.conf.get(keys::kWorkerKillTimeout));

  MasterLinkOptions link;
  link.master_url = options_.master_url;
  link.registration.worker_id = options_.worker_id;
  link.registration.host = options_.host;
  link.registration.endpoint = endpoint_;
  link.registration.web_port = web_port_;
  link.registration.web_url = web_url_;
  link.registration.cores = options_.cores;
  link.registration.memory_mb = options_.memory_mb;
  link.retry_interval = options_.conf.get(keys::kWorkerRegistrationRetryInterval);
  link.ping_interval = options_.conf.get(keys::kWorkerMasterPingInterval);
  link_ = std::make_unique<MasterLink>(
      transport_, std::move(link),
      [this](rpc::RegisterWorker* registration) { runningChildren(registration); },
      [this](const Status& st) { onRefused(st); });

  transport_.setHandler([this](const rpc::Peer& from, rpc::Envelope&& msg) { handle(from, std::move(msg)); });
  cleanWorkDir(false);  // what earlier runs left: no child of ours runs yet
  loop_.start();
  if (options_.conf.get(keys::kWorkerCleanupEnabled)) {
    loop_.postDelayed([this] { cleanWorkDir(true); }, cleanup_interval_);
  }
  transport_.start();
  started_ = true;
  spdlog::info("worker {} listening at {}, web UI at {} ({} cores, {} MiB, work dir {})", options_.worker_id,
               endpoint_, web_url_.empty() ? "(none)" : web_url_, options_.cores, options_.memory_mb,
               options_.work_dir);
  link_->start();
  return Status::ok();
}

void Worker::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_ = true;
  if (started_) {
    spdlog::info("worker {} stopping ({} children running)", options_.worker_id, runner_->running());
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [_, cancelled] : fetch_cancelled_) *cancelled = true;
    }
    runner_->stop();  // every exit is posted to the loop before this returns
    std::promise<void> drained;
    loop_.post([&drained] { drained.set_value(); });
    drained.get_future().wait_for(2s);  // the exit reports have been sent
    link_->stop();
    transport_.stop();  // flushes the reports; fetches blocked in call() end with Aborted
    std::map<std::string, std::thread> fetchers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fetchers.swap(fetchers_);
    }
    for (auto& [_, t] : fetchers) t.join();
    loop_.stop();
  }
  if (web_) web_->stop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    terminated_ = true;
  }
  terminated_cv_.notify_all();
  if (started_) spdlog::info("worker {} stopped", options_.worker_id);
}

bool Worker::waitTerminated(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return terminated_cv_.wait_for(lock, timeout, [&] { return terminated_; });
}

Status Worker::fatalError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fatal_;
}

void Worker::onRefused(const Status& st) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    fatal_ = st;
    terminated_ = true;
  }
  terminated_cv_.notify_all();
}

WorkerStatus Worker::status() const {
  WorkerStatus s;
  s.id = options_.worker_id;
  s.host = options_.host;
  s.endpoint = endpoint_;
  s.web_url = web_url_;
  s.master_url = link_ ? link_->masterUrl() : options_.master_url;
  s.registered = link_ && link_->registered();
  s.cores = options_.cores;
  s.memory_mb = options_.memory_mb;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [_, e] : executors_) s.executors.push_back(e);
  for (const auto& [_, d] : drivers_) s.drivers.push_back(d);
  s.finished_executors.assign(finished_executors_.begin(), finished_executors_.end());
  s.finished_drivers.assign(finished_drivers_.begin(), finished_drivers_.end());
  return s;
}

void Worker::runningChildren(rpc::RegisterWorker* registration) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, e] : executors_) {
    registration->executor_keys.push_back(key);
    registration->executor_cores.push_back(e.cores);
  }
  for (const auto& [id, _] : drivers_) registration->driver_ids.push_back(id);
}

void Worker::launchExecutor(const rpc::LaunchExecutor& msg) {
  ExecutorStatus e;
  e.app_id = msg.app_id;
  e.executor_id = msg.executor_id;
  e.cores = msg.cores;
  e.memory_mb = msg.memory_mb;
  const std::string key = e.key();
  if (stopping_) return;
  if (msg.app_id.empty() || msg.executor_id.empty() || msg.app_id.find('/') != std::string::npos ||
      msg.executor_id.find('/') != std::string::npos || msg.app_id == ".." || msg.executor_id == "..") {
    spdlog::warn("LaunchExecutor with a bad application or executor id '{}': ignored", key);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (executors_.count(key)) {
      spdlog::warn("asked to launch executor {} that already runs here; ignored", key);
      return;
    }
    e.work_dir = (fs::path(options_.work_dir) / msg.app_id / msg.executor_id).string();
    executors_[key] = e;
  }
  SpawnOptions spawn;
  spawn.argv = {findSluiceBinary("sluice-executor"), "--driver-url", msg.driver_endpoint,
                "--executor-id", msg.executor_id, "--cores", std::to_string(msg.cores),
                "--memory", std::to_string(msg.memory_mb) + "m", "--host", options_.host,
                "--work-dir", e.work_dir, "--app-id", msg.app_id};
  auth::handTo(spawn, secret_);
  spawn.work_dir = e.work_dir;
  spawn.stdout_path = e.work_dir + "/stdout";
  spawn.stderr_path = e.work_dir + "/stderr";
  auto pid = runner_->spawn(kExecutorPrefix + key, spawn);
  if (!pid) {
    spdlog::error("cannot launch executor {}: {}", key, pid.status().message());
    finishExecutor(e, rpc::ExecutorState::kFailed, "cannot launch executor: " + pid.status().message(), -1);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& rec = executors_[key];
    rec.pid = *pid;
    rec.state = rpc::ExecutorState::kRunning;
  }
  spdlog::info("launched executor {} (pid {}, {} cores, {} MiB, driver {}) in {}", key, *pid, msg.cores,
               msg.memory_mb, msg.driver_endpoint, e.work_dir);
  report(rpc::ExecutorStateChanged{msg.app_id, msg.executor_id, options_.worker_id, options_.host,
                                   rpc::ExecutorState::kRunning, "", 0});
}

void Worker::killExecutor(const rpc::KillExecutor& msg) {
  const std::string key = msg.app_id + "/" + msg.executor_id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = executors_.find(key);
    if (it == executors_.end()) {
      spdlog::warn("asked to kill executor {}, which does not run here", key);
      return;
    }
    it->second.kill_requested = true;
  }
  spdlog::info("killing executor {}", key);
  runner_->kill(kExecutorPrefix + key);
}

void Worker::launchDriver(const rpc::LaunchDriver& msg) {
  if (stopping_) return;
  if (msg.driver_id.empty() || msg.driver_id.find('/') != std::string::npos || msg.driver_id == "..") {
    spdlog::warn("LaunchDriver with a bad driver id '{}': ignored", msg.driver_id);
    return;
  }
  DriverStatus d;
  d.driver_id = msg.driver_id;
  d.app_file_name = msg.app_file_name;
  // LaunchDriver does not carry the driver's resources; the submit conf may.
  d.cores = static_cast<int32_t>(msg.conf.get(keys::kDriverCores));
  d.memory_mb = msg.conf.get(keys::kDriverMemory) >> 20;
  d.work_dir = (fs::path(options_.work_dir) / msg.driver_id).string();
  std::string app_path = d.work_dir + "/" + safeFileName(msg.app_file_name);
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  std::lock_guard<std::mutex> lock(mu_);
  if (drivers_.count(msg.driver_id)) {
    spdlog::warn("asked to launch driver {} that already runs here; ignored", msg.driver_id);
    return;
  }
  drivers_[msg.driver_id] = d;
  fetch_cancelled_[msg.driver_id] = cancelled;
  spdlog::info("launching driver {}: fetching {} ({} bytes) from the master", msg.driver_id, msg.app_file_name,
               msg.app_size);
  rpc::Peer master = link_->master();
  fetchers_[msg.driver_id] = std::thread([this, msg, app_path, master, cancelled] {
    Status st = fetchDriverApp(transport_, master, msg, app_path, fetch_timeout_, *cancelled);
    loop_.post([this, msg, app_path, st] { onDriverFetched(msg, app_path, st); });
  });
}

void Worker::onDriverFetched(const rpc::LaunchDriver& msg, const std::string& app_path, const Status& fetched) {
  const std::string& driver_id = msg.driver_id;
  std::thread fetcher;
  DriverStatus d;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = fetchers_.find(driver_id); it != fetchers_.end()) {
      fetcher = std::move(it->second);
      fetchers_.erase(it);
    }
    fetch_cancelled_.erase(driver_id);
    auto it = drivers_.find(driver_id);
    if (it == drivers_.end()) return;
    d = it->second;
  }
  if (fetcher.joinable()) fetcher.join();  // it has nothing left to do but return
  if (d.kill_requested || stopping_) {
    finishDriver(d, rpc::DriverState::kKilled, "killed before it started", 0);
    return;
  }
  if (!fetched) {
    spdlog::error("driver {} cannot start: {}", driver_id, fetched.message());
    finishDriver(d, rpc::DriverState::kError, fetched.message(), 0);
    return;
  }
  SpawnOptions spawn;
  spawn.argv = {findSluiceBinary("sluice-submit"), "--master", link_->masterUrl(), "--deploy-mode", "client",
                "--driver-id", driver_id};
  const Conf conf = auth::withoutSecret(msg.conf);
  for (const auto& [key, value] : conf.all()) {
    if (key == keys::kAuthEnabled.name) continue;  // this worker's own setting, below
    spawn.argv.push_back("--conf");
    spawn.argv.push_back(key + "=" + value);
  }
  auth::handTo(spawn, secret_);
  spawn.argv.push_back(app_path);
  spawn.argv.insert(spawn.argv.end(), msg.app_args.begin(), msg.app_args.end());
  spawn.work_dir = d.work_dir;
  spawn.stdout_path = d.work_dir + "/stdout";
  spawn.stderr_path = d.work_dir + "/stderr";
  auto pid = runner_->spawn(kDriverPrefix + driver_id, spawn);
  if (!pid) {
    spdlog::error("cannot launch driver {}: {}", driver_id, pid.status().message());
    finishDriver(d, rpc::DriverState::kError, "cannot launch driver: " + pid.status().message(), 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& rec = drivers_[driver_id];
    rec.pid = *pid;
    rec.state = rpc::DriverState::kRunning;
  }
  spdlog::info("launched driver {} (pid {}) in {}", driver_id, *pid, d.work_dir);
  report(rpc::DriverStateChanged{driver_id, rpc::DriverState::kRunning, "", 0});
}

void Worker::killDriver(const rpc::Peer& from, const rpc::Envelope& request, const rpc::KillDriver& msg) {
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = drivers_.find(msg.driver_id);
    if (it != drivers_.end()) {
      found = true;
      it->second.kill_requested = true;
      if (auto c = fetch_cancelled_.find(msg.driver_id); c != fetch_cancelled_.end()) *c->second = true;
    }
  }
  if (found) {
    spdlog::info("killing driver {}", msg.driver_id);
    runner_->kill(kDriverPrefix + msg.driver_id);  // false while still fetching: the fetch ends it
  } else {
    spdlog::warn("asked to kill driver {}, which does not run here", msg.driver_id);
  }
  if (request.correlation != 0) {
    transport_.reply(from, request, rpc::KillDriverReply{found, found ? "killing driver " + msg.driver_id
                                                                      : "driver " + msg.driver_id + " does not run on " + options_.worker_id});
  }
}

void Worker::onChildExit(const std::string& key, const ExitInfo& exit, bool killed) {
  std::string how = exit.describe();
  if (key.rfind(kExecutorPrefix, 0) == 0) {
    std::string id = key.substr(kExecutorPrefix.size());
    ExecutorStatus e;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = executors_.find(id);
      if (it == executors_.end()) return;
      e = it->second;
    }
    auto state = killed ? rpc::ExecutorState::kKilled
                        : exitedCleanly(exit) ? rpc::ExecutorState::kExited : rpc::ExecutorState::kFailed;
    spdlog::log(state == rpc::ExecutorState::kFailed ? spdlog::level::warn : spdlog::level::info,
                "executor {} (pid {}) {}{}", id, exit.pid, how, killed ? " after the worker killed it" : "");
    finishExecutor(e, state, killed ? "killed by the worker (" + how + ")" : how, exitCodeOf(exit));
  } else if (key.rfind(kDriverPrefix, 0) == 0) {
    std::string id = key.substr(kDriverPrefix.size());
    DriverStatus d;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = drivers_.find(id);
      if (it == drivers_.end()) return;
      d = it->second;
    }
    auto state = killed ? rpc::DriverState::kKilled
                        : exitedCleanly(exit) ? rpc::DriverState::kFinished : rpc::DriverState::kFailed;
    spdlog::log(state == rpc::DriverState::kFailed ? spdlog::level::warn : spdlog::level::info,
                "driver {} (pid {}) {}{}", id, exit.pid, how, killed ? " after the worker killed it" : "");
    finishDriver(d, state, killed ? "killed by the worker (" + how + ")" : how, exitCodeOf(exit));
  }
}

void Worker::cleanWorkDir(bool reschedule) {
  std::set<std::string> in_use;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [_, e] : executors_) in_use.insert(e.app_id);
    for (const auto& [id, _] : drivers_) in_use.insert(id);
  }
  for (const auto& dir : worker::cleanWorkDir(options_.work_dir, in_use, cleanup_ttl_)) {
    spdlog::info("removed {}: nothing of it runs here and nothing was written there for {} ms", dir,
                 cleanup_ttl_.count());
  }
  if (reschedule && !stopping_) loop_.postDelayed([this] { cleanWorkDir(true); }, cleanup_interval_);
}

void Worker::finishExecutor(ExecutorStatus e, rpc::ExecutorState state, const std::string& message, int32_t code) {
  removeAllButLogs(e.work_dir);  // its shuffle output and blocks died with it
  e.state = state;
  e.message = message;
  e.exit_code = code;
  {
    std::lock_guard<std::mutex> lock(mu_);
    executors_.erase(e.key());
    finished_executors_.push_back(e);
    if (finished_executors_.size() > kRetainedFinished) finished_executors_.pop_front();
  }
  report(rpc::ExecutorStateChanged{e.app_id, e.executor_id, options_.worker_id, options_.host, state, message, code});
}

void Worker::finishDriver(DriverStatus d, rpc::DriverState state, const std::string& message, int32_t code) {
  removeAllButLogs(d.work_dir);
  d.state = state;
  d.message = message;
  d.exit_code = code;
  {
    std::lock_guard<std::mutex> lock(mu_);
    drivers_.erase(d.driver_id);
    finished_drivers_.push_back(d);
    if (finished_drivers_.size() > kRetainedFinished) finished_drivers_.pop_front();
  }
  report(rpc::DriverStateChanged{d.driver_id, state, message, code});
}

}  // namespace sluice::worker
