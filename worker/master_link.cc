#include "worker/master_link.h"

#include <regex>

#include <spdlog/spdlog.h>

#include "deploy/master_address.h"

namespace sluice::worker {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {
constexpr int kDefaultMasterPort = 7077;
constexpr auto kMinHeartbeat = 10ms;

int64_t secondsSince(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(SteadyClock::now() - t).count();
}
}  // namespace

StatusOr<std::string> masterEndpointOf(const std::string& master_url) {
  std::smatch m;
  if (!std::regex_match(master_url, m, std::regex(R"(sluice://([A-Za-z0-9._-]+)(?::(\d{1,5}))?/?)"))) {
    return Status::invalidArgument("bad master URL '" + master_url + "' (expected sluice://host:port)");
  }
  int port = m[2].matched ? std::stoi(m[2]) : kDefaultMasterPort;
  if (port < 1 || port > 65535) {
    return Status::invalidArgument("bad master URL '" + master_url + "': port " + m[2].str() + " is out of range");
  }
  return "tcp://" + m[1].str() + ":" + std::to_string(port);
}

MasterLink::MasterLink(rpc::Transport& transport, MasterLinkOptions options, RunningFn running, FatalFn fatal)
    : transport_(transport),
      options_(std::move(options)),
      running_(std::move(running)),
      fatal_(std::move(fatal)),
      loop_("master link", [](Task&& task) { task(); }) {
  auto endpoint = masterEndpointOf(options_.master_url);
  assert(endpoint.isOk());
  master_url_ = options_.master_url;
  master_endpoint_ = endpoint.isOk() ? *endpoint : "";
}

MasterLink::~MasterLink() { stop(); }

void MasterLink::start() {
  loop_.start();
  loop_.post([this] { registerNow("starting"); });
  loop_.postDelayed([this] { ping(); }, options_.ping_interval);
}

void MasterLink::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    registered_ = false;
  }
  loop_.stop();
}

void MasterLink::reconnect(const std::string& master_url) {
  loop_.post([this, master_url] {
    if (registering_ || failed_) {
      spdlog::debug("ReconnectWorker from {} while registering: ignored", master_url);
      return;
    }
    registerNow("the master (" + master_url + ") does not know this worker");
  });
}

void MasterLink::masterChanged(const std::string& master_url) {
  loop_.post([this, master_url] {
    if (failed_) return;
    auto endpoint = masterEndpointOf(master_url);
    if (!endpoint) {
      spdlog::warn("MasterChanged with {}: ignored", endpoint.status().message());
      return;
    }
    std::string old_endpoint;
    {
      std::lock_guard<std::mutex> lock(mu_);
      old_endpoint = master_endpoint_;
      master_url_ = master_url;
      master_endpoint_ = *endpoint;
    }
    if (old_endpoint != *endpoint) transport_.disconnect(old_endpoint);
    registerNow("master changed to " + master_url);
  });
}

rpc::Peer MasterLink::master() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rpc::Peer::dealer(master_endpoint_);
}

std::string MasterLink::masterUrl() const {
  std::lock_guard<std::mutex> lock(mu_);
  return master_url_;
}

bool MasterLink::registered() const {
  std::lock_guard<std::mutex> lock(mu_);
  return registered_;
}

void MasterLink::registerNow(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_ || failed_) return;
    registered_ = false;
  }
  uint64_t generation = ++generation_;
  registering_ = true;
  attempts_ = 0;
  registering_since_ = SteadyClock::now();
  spdlog::info("registering worker {} with master {} ({})", options_.registration.worker_id, masterUrl(), why);

  sendRegistration(generation);
}

// One attempt; its reply (or timeout) comes back to onRegisterReply on the loop.
void MasterLink::sendRegistration(uint64_t generation) {
  if (generation != generation_) return;
  ++attempts_;
  rpc::RegisterWorker msg = options_.registration;
  running_(&msg);
  auto sent_at = SteadyClock::now();
  auto on_answer = [this, generation, sent_at](StatusOr<rpc::Envelope> answer) {
    loop_.post([this, generation, sent_at, answer = std::move(answer)]() mutable {
      // A call that failed fast (e.g. Unavailable) waits out the rest of the interval.
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(options_.retry_interval -
                                                                        (SteadyClock::now() - sent_at));
      if (!answer && answer.status().code() != StatusCode::kTimeout && wait > 0ms) {
        loop_.postDelayed([this, generation, answer]() { onRegisterReply(generation, answer); }, wait);
        return;
      }
      onRegisterReply(generation, std::move(answer));
    });
  };
  transport_.callAsync(master(), msg.kTag, toBytes(msg), options_.retry_interval, std::move(on_answer));
}

void MasterLink::onRegisterReply(uint64_t generation, StatusOr<rpc::Envelope> answer) {
  if (generation != generation_ || !registering_) return;
  if (answer && answer->tag == rpc::MessageTag::kRegisterWorkerReply) {
    auto reply = rpc::decodeAs<rpc::RegisterWorkerReply>(*answer);
    if (!reply) {
      spdlog::warn("bad registration reply from master {}: {}", masterUrl(), reply.status().message());
    } else if (!reply->ok) {
      registering_ = false;
      failed_ = true;
      Status st = Status::aborted("master " + masterUrl() + " refused worker " + options_.registration.worker_id +
                                  ": " + reply->error);
      spdlog::error("{}", st.message());
      fatal_(st);
      return;
    } else {
      registering_ = false;
      heartbeat_interval_ = std::max<std::chrono::milliseconds>(kMinHeartbeat, std::chrono::milliseconds(reply->heartbeat_ms));
      last_answer_ = SteadyClock::now();
      unreachable_ = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopped_) return;
        registered_ = true;
      }
      spdlog::info("worker {} registered with master {} after {} attempt(s); heartbeat every {} ms",
                   options_.registration.worker_id, masterUrl(), attempts_, heartbeat_interval_.count());
      loop_.postDelayed([this, generation] { heartbeat(generation); }, heartbeat_interval_);
      return;
    }
  } else if (answer) {
    spdlog::warn("unexpected {} from master {} in answer to RegisterWorker", rpc::tagName(answer->tag), masterUrl());
  } else if (answer.status().code() == StatusCode::kAborted) {
    return;  // the transport is stopping
  } else if (attempts_ == 1 || attempts_ % 5 == 0) {
    spdlog::warn("worker {} not registered yet: {} ({} attempt(s) in {} s); retrying every {}",
                 options_.registration.worker_id,
                 masterNotAnswering(masterUrl(), answer.status(), options_.retry_interval).message(), attempts_,
                 secondsSince(registering_since_), describeWait(options_.retry_interval));
  }
  // Drop the unanswered request still queued for the master before sending the next one.
  transport_.disconnect(master().id);
  sendRegistration(generation);
}

void MasterLink::heartbeat(uint64_t generation) {
  if (generation != generation_ || registering_ || !registered()) return;
  transport_.send(master(), rpc::WorkerHeartbeat{options_.registration.worker_id});
  loop_.postDelayed([this, generation] { heartbeat(generation); }, heartbeat_interval_);
}

void MasterLink::ping() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
  }
  if (registered()) {
    transport_.callAsync(master(), rpc::MessageTag::kPing, "", options_.ping_interval,
                         [this](StatusOr<rpc::Envelope> answer) {
                           loop_.post([this, answer = std::move(answer)]() mutable { onPingReply(std::move(answer)); });
                         });
  }
  loop_.postDelayed([this] { ping(); }, options_.ping_interval);
}

// Any answer (kPong, or kError from a master that does not know kPing) means it is there.
void MasterLink::onPingReply(StatusOr<rpc::Envelope> answer) {
  if (answer) {
    if (unreachable_) spdlog::info("master {} answers again", masterUrl());
    unreachable_ = false;
    last_answer_ = SteadyClock::now();
    return;
  }
  if (answer.status().code() != StatusCode::kTimeout || !registered()) return;
  unreachable_ = true;
  spdlog::warn("master {} has not answered for {} s; heartbeating on, and registering again when it asks",
               masterUrl(), secondsSince(last_answer_));
}

}  // namespace sluice::worker
