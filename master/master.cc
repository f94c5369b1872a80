#include "master/master.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>

#include "common/config_keys.h"
#include "common/prometheus_text.h"
#include "master/master_metrics.h"
#include "master/web_ui.h"
#include "rpc/transport_options.h"

namespace sluice::master {
using namespace std::chrono_literals;

Master::Master(MasterOptions options)
    : options_(std::move(options)),
      worker_timeout_(options_.conf.get(keys::kWorkerTimeout)),
      app_timeout_(options_.conf.get(keys::kAppTimeout)),
      spread_out_(options_.conf.get(keys::kDeploySpreadOut)),
      max_executor_retries_(static_cast<int>(options_.conf.get(keys::kDeployMaxExecutorRetries))),
      transport_("master", rpc::transportOptions(options_.conf)) {
  if (options_.recovery_dir.empty()) options_.recovery_dir = options_.conf.get(keys::kDeployRecoveryDirectory);
}

Master::~Master() { stop(); }

int64_t Master::wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

int64_t Master::monoMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch()).count();
}

Status Master::start() {
  auto bound = transport_.bind("tcp://" + options_.host + ":" + std::to_string(options_.port));
  if (!bound) {
    return Status::unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                               " (--port): " + bound.status().message());
  }
  endpoint_ = *bound;
  url_ = "sluice://" + publicHost(options_.host) + ":" + std::to_string(rpc::portOf(endpoint_));
  if (options_.webui_port >= 0) SLUICE_RETURN_IF_ERROR(startWebUi());
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.url = url_;
    state_.web_url = web_url_;
  }
  if (!options_.recovery_dir.empty()) {
    Status st = recover();
    if (!st) {
      stop();
      return st;
    }
  }
  transport_.setHandler([this](const Peer& from, Envelope&& msg) { handle(from, std::move(msg)); });
  transport_.start();
  ticker_ = std::thread([this] { tickerLoop(); });
  started_ = true;
  return Status::ok();
}

Status Master::startWebUi() {
  http_ = std::make_unique<HttpServer>();
  http_->server().Get("/json", [this](const httplib::Request&, httplib::Response& res) {
    std::string body = inspect([&](const MasterState& s) { return renderJson(s, wallMs()); });
    res.set_content(body, "application/json");
  });
  http_->server().Get("/", [this](const httplib::Request&, httplib::Response& res) {
    std::string body = inspect([&](const MasterState& s) { return renderHtml(s, wallMs()); });
    res.set_content(body, "text/html; charset=utf-8");
  });
  http_->server().Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::string body = inspect([&](const MasterState& s) { return renderMetrics(s); });
    res.set_content(body, PrometheusText::kContentType);
  });
  // Spark's kill link: POST /app/kill/ with id=<app id>&terminate=true (a GET is 405).
  http_->postAction("/app/kill/", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("terminate") != "true") {
      res.status = 400;
      res.set_content("terminate=true is required\n", "text/plain");
      return;
    }
    Status st = killApplication(req.get_param_value("id"));
    // The page's kill button (a browser, which accepts HTML) goes back to the page, as Spark's.
    if (st.isOk() && req.get_header_value("Accept").find("text/html") != std::string::npos) {
      res.set_redirect("/", 303);
      return;
    }
    res.status = st.isOk() ? 200 : 404;
    res.set_content(st.isOk() ? "killed\n" : st.message() + "\n", "text/plain");
  });
  // No retries: a second master on the same port fails to start instead of serving elsewhere.
  const std::string host = uiBindAddress(options_.conf, options_.host);
  Status auth = http_->requireAuth(options_.conf);
  StatusOr<int> port = auth.isOk() ? http_->start(host, options_.webui_port, 0, "master web UI (--webui-port)")
                                   : StatusOr<int>(Status::invalidArgument("master web UI: " + auth.message()));
  if (!port) {  // nothing served: no UI open to everyone when auth.enabled cannot be honoured
    http_.reset();
    transport_.stop();
    return port.status();
  }
  web_url_ = "http://" + publicHost(host, options_.host) + ":" + std::to_string(*port);
  return Status::ok();
}

Status Master::killApplication(const std::string& app_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!state_.apps.count(app_id)) return Status::notFound("no running application " + app_id);
  spdlog::warn("application {} killed through the web UI", app_id);
  finishApplication(app_id, rpc::AppState::kKilled);
  return Status::ok();
}

void Master::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  ticker_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  transport_.stop();
  if (http_) http_->stop();
  if (started_) spdlog::info("master {} stopped", url_);
}

void Master::tickerLoop() {
  auto tick = std::clamp(worker_timeout_ / 4, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
  std::unique_lock<std::mutex> lock(mu_);
  while (!ticker_cv_.wait_for(lock, tick, [&] { return stopping_; })) {
    checkWorkerTimeouts();
    checkAppTimeouts();
    if (recovering_ && monoMs() >= recovery_deadline_mono_) completeRecovery();
  }
}

// Decodes msg as M and runs handler(M&&); a payload that does not decode is dropped with
// one warn line (rate-limited per peer by the transport).
template <class M, class F>
void Master::dispatch(const Peer& from, const Envelope& msg, F&& handler) {
  auto decoded = rpc::decodeAs<M>(msg);
  if (!decoded) {
    transport_.reportMalformed(from, decoded.status().message());
    return;
  }
  handler(std::move(*decoded));
}

void Master::handle(const Peer& from, Envelope&& msg) {
  using rpc::MessageTag;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return;
  switch (msg.tag) {
    case MessageTag::kRegisterWorker:
      return dispatch<rpc::RegisterWorker>(from, msg, [&](auto&& m) { onRegisterWorker(from, msg, m); });
    case MessageTag::kWorkerHeartbeat:
      return dispatch<rpc::WorkerHeartbeat>(from, msg, [&](auto&& m) { onHeartbeat(from, m); });
    case MessageTag::kRegisterApplication:
      return dispatch<rpc::RegisterApplication>(from, msg, [&](auto&& m) { onRegisterApplication(from, msg, m); });
    case MessageTag::kUnregisterApplication:
      return dispatch<rpc::UnregisterApplication>(from, msg, [&](auto&& m) { onUnregisterApplication(m); });
    case MessageTag::kExecutorStateChanged:
      return dispatch<rpc::ExecutorStateChanged>(from, msg, [&](auto&& m) { onExecutorStateChanged(from, m); });
    case MessageTag::kSubmitDriver:
      return dispatch<rpc::SubmitDriver>(from, msg, [&](auto&& m) { onSubmitDriver(from, msg, std::move(m)); });
    case MessageTag::kFetchDriverApp:
      return dispatch<rpc::FetchDriverApp>(from, msg, [&](auto&& m) { onFetchDriverApp(from, msg, m); });
    case MessageTag::kDriverStateChanged:
      return dispatch<rpc::DriverStateChanged>(from, msg, [&](auto&& m) { onDriverStateChanged(m); });
    case MessageTag::kDriverStatusRequest:
      return dispatch<rpc::DriverStatusRequest>(from, msg, [&](auto&& m) { onDriverStatus(from, msg, m); });
    case MessageTag::kKillDriver:
      return dispatch<rpc::KillDriver>(from, msg, [&](auto&& m) { onKillDriver(from, msg, m); });
    case MessageTag::kPing:
      // Liveness probe: answered with a kPong carrying the same payload.
      if (msg.correlation != 0) {
        transport_.send(from, rpc::encodeFrame(MessageTag::kPong, msg.payload, msg.correlation, rpc::kFlagReply));
      }
      return;
    default:
      spdlog::warn("master: unexpected message {} from {}", rpc::tagName(msg.tag), from.toString());
  }
}

std::string Master::newId(const std::string& prefix, int* counter,
                          bool (Master::*taken)(const std::string&) const) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
  for (;;) {
    char id[96];
    std::snprintf(id, sizeof id, "%s-%s-%04d", prefix.c_str(), stamp, (*counter)++);
    if (!(this->*taken)(id)) return id;
  }
}

bool Master::appIdTaken(const std::string& id) const {
  if (state_.apps.count(id)) return true;
  return std::any_of(state_.completed_apps.begin(), state_.completed_apps.end(),
                     [&](const ApplicationInfo& a) { return a.id() == id; });
}

bool Master::driverIdTaken(const std::string& id) const {
  if (state_.drivers.count(id)) return true;
  return std::any_of(state_.completed_drivers.begin(), state_.completed_drivers.end(),
                     [&](const DriverInfo& d) { return d.id == id; });
}

}  // namespace sluice::master
