// Worker's incoming messages: each decoded, the ones that start or stop processes checked to
// come from this worker's master, then handed to the worker's loop.
#include <spdlog/spdlog.h>

#include <string>

#include "worker/worker.h"

namespace sluice::worker {

// On the I/O thread: decode, then hand the work to the loop (nothing here may block).
void Worker::handle(const rpc::Peer& from, rpc::Envelope&& msg) {
  using rpc::MessageTag;
  auto bad = [&](const Status& st) {
    transport_.reportMalformed(from, "worker " + options_.worker_id + ": " + st.message());
  };
  // Only the master this worker registered with, over the connection the worker opened to it
  // (CURVE-authenticated with auth.enabled), may start or stop processes here.
  auto notFromMaster = [&] {
    if (from == link_->master()) return false;
    bad(Status::invalidArgument(std::string(rpc::tagName(msg.tag)) + " from a peer that is not this worker's master (" +
                                link_->master().id + "); refused"));
    return true;
  };
  switch (msg.tag) {
    case MessageTag::kPing:
      transport_.send(from, rpc::encodeFrame(MessageTag::kPong, "", msg.correlation, rpc::kFlagReply));
      return;
    case MessageTag::kLaunchExecutor: {
      auto m = rpc::decodeAs<rpc::LaunchExecutor>(msg);
      if (!m) return bad(m.status());
      if (notFromMaster()) return;
      loop_.post([this, m = std::move(*m)] { launchExecutor(m); });
      return;
    }
    case MessageTag::kKillExecutor: {
      auto m = rpc::decodeAs<rpc::KillExecutor>(msg);
      if (!m) return bad(m.status());
      if (notFromMaster()) return;
      loop_.post([this, m = std::move(*m)] { killExecutor(m); });
      return;
    }
    case MessageTag::kLaunchDriver: {
      auto m = rpc::decodeAs<rpc::LaunchDriver>(msg);
      if (!m) return bad(m.status());
      if (notFromMaster()) return;
      loop_.post([this, m = std::move(*m)] { launchDriver(m); });
      return;
    }
    case MessageTag::kKillDriver: {
      auto m = rpc::decodeAs<rpc::KillDriver>(msg);
      if (!m) return bad(m.status());
      if (notFromMaster()) return;
      loop_.post([this, from, msg = std::move(msg), m = std::move(*m)] { killDriver(from, msg, m); });
      return;
    }
    case MessageTag::kReconnectWorker: {
      auto m = rpc::decodeAs<rpc::ReconnectWorker>(msg);
      if (!m) return bad(m.status());
      link_->reconnect(m->master_url);
      return;
    }
    case MessageTag::kMasterChanged: {
      auto m = rpc::decodeAs<rpc::MasterChanged>(msg);
      if (!m) return bad(m.status());
      link_->masterChanged(m->master_url);
      return;
    }
    default:
      spdlog::warn("worker {}: unexpected {} from {}; ignored", options_.worker_id, rpc::tagName(msg.tag),
                   from.toString());
  }
}

}  // namespace sluice::worker
