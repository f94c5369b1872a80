#include "deploy/standalone_client.h"
#include "common/config_keys.h"
#include "rpc/transport_options.h"

#include <spdlog/spdlog.h>

namespace sluice {

StandaloneClient::StandaloneClient(MasterAddress master, const Conf& conf, LostCallback on_lost)
    : address_(std::move(master)),
      master_(rpc::Peer::dealer(address_.endpoint())),
      conf_(conf),
      on_lost_(std::move(on_lost)),
      transport_("app-client", rpc::transportOptions(conf_)) {
  transport_.setHandler([this](const rpc::Peer& from, rpc::Envelope&& msg) { handle(from, std::move(msg)); });
  transport_.start();
}

StandaloneClient::~StandaloneClient() { stop(false); }

StatusOr<std::string> StandaloneClient::registerApplication(rpc::RegisterApplication request) {
  auto timeout = conf_.get(keys::kMasterConnectTimeout);
  auto answer = transport_.call(master_, request, timeout);
  if (!answer) return masterNotAnswering(address_.url, answer.status(), timeout);
  auto reply = rpc::decodeAs<rpc::RegisterApplicationReply>(*answer);
  if (!reply) return reply.status();
  if (!reply->ok) return Status::aborted("master " + address_.url + " refused the application: " + reply->error);
  registration_ = std::move(request);
  registration_.app_id = reply->app_id;
  spdlog::info("registered application {} with master {}", reply->app_id, address_.url);
  keeper_ = std::thread([this] { keepRegistered(); });
  return reply->app_id;
}

// Re-sends the registration (same app id) now and then: a master restarted from its
// recovery dir re-learns this driver's address from it.
void StandaloneClient::keepRegistered() {
  auto interval = conf_.get(keys::kAppReregisterInterval);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval, [&] { return stopping_; })) {
    lock.unlock();
    auto answer = transport_.call(master_, registration_, interval);
    if (!answer) spdlog::warn("{}", masterNotAnswering(address_.url, answer.status(), interval).message());
    lock.lock();
  }
}

void StandaloneClient::handle(const rpc::Peer& from, rpc::Envelope&& msg) {
  switch (msg.tag) {
    case rpc::MessageTag::kExecutorAdded: {
      if (auto added = rpc::decodeAs<rpc::ExecutorAdded>(msg)) {
        ++granted_;
        spdlog::info("master granted executor {} on worker {} ({}, {} cores)", added->executor_id, added->worker_id,
                     added->host, added->cores);
      }
      return;
    }
    case rpc::MessageTag::kExecutorStateChanged: {
      auto changed = rpc::decodeAs<rpc::ExecutorStateChanged>(msg);
      if (!changed) return;
      auto state = changed->state;
      if (state == rpc::ExecutorState::kRunning || state == rpc::ExecutorState::kLaunching) return;
      const bool clean_exit = state == rpc::ExecutorState::kExited && changed->exit_code == 0;
      if (!clean_exit && state != rpc::ExecutorState::kKilled) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!first_failed_) {
          first_failed_ = FailedExecutor{changed->executor_id, changed->host,
                                         std::string(rpc::executorStateName(state)) + ": " + changed->message};
        }
      }
      on_lost_(changed->executor_id, std::string("executor ") + rpc::executorStateName(state) + ": " + changed->message);
      return;
    }
    default:
      spdlog::warn("app client: unexpected message {} from {}", rpc::tagName(msg.tag), from.toString());
  }
}

std::optional<StandaloneClient::FailedExecutor> StandaloneClient::firstFailedExecutor() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_failed_;
}

void StandaloneClient::stop(bool failed) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  // stop() flushes queued frames to a reachable master before closing.
  if (!registration_.app_id.empty()) transport_.send(master_, rpc::UnregisterApplication{registration_.app_id, failed});
  transport_.stop();
}

}  // namespace sluice
