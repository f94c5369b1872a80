// Transport::Impl's calls: correlation ids, pending calls with their deadlines, replies
// matched to their callers, and calls that time out or fail.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <limits>

#include "rpc/frame_limit.h"
#include "rpc/transport_impl.h"

namespace sluice::rpc {

namespace {

// How much longer than its timeout call() waits for the I/O loop's own answer.
constexpr std::chrono::milliseconds kReplyGrace{200};

// The status of a call that got no reply in time.
Status noReply(const Peer& to, MessageTag tag, std::chrono::milliseconds timeout) {
  return Status::timeout("no reply from " + to.toString() + " to " + tagName(tag) + " within " +
                         std::to_string(timeout.count()) + " ms");
}

}  // namespace

// Lives with the calls: like callAsync(), it queues work that runs on the I/O thread.
void Transport::Impl::sendComposed(const Peer& to, std::function<std::string()> compose) {
  if (onIoThread()) {
    if (std::string frame = compose(); !frame.empty()) send(to, std::move(frame));
    return;
  }
  Command cmd;
  cmd.kind = Command::Kind::kSendComposed;
  cmd.peer = to;
  cmd.compose = std::move(compose);
  if (!post(cmd)) spdlog::debug("{}: stopped; dropped frame to {}", name_, to.toString());
}

void Transport::Impl::callAsync(const Peer& to, MessageTag tag, std::string payload,
                                std::chrono::milliseconds timeout, ReplyCallback callback) {
  Command cmd;
  cmd.kind = Command::Kind::kCall;
  cmd.peer = to;
  cmd.correlation = next_correlation_.fetch_add(1, std::memory_order_relaxed);
  if (cmd.correlation == 0) cmd.correlation = next_correlation_.fetch_add(1);
  cmd.frame = encodeFrame(tag, payload, cmd.correlation);
  if (!fitsLimit(to, cmd.frame.size())) {
    invoke(callback, Status::invalidArgument(tagName(tag) + std::string(" of ") +
                                             std::to_string(cmd.frame.size()) +
                                             " bytes exceeds " + keys::kRpcMaxFrameBytes.name + " (" +
                                             std::to_string(max_frame_bytes_.load()) + ")"));
    return;
  }
  cmd.tag = tag;
  cmd.timeout = timeout;
  cmd.deadline = Clock::now() + timeout;
  cmd.callback = std::move(callback);
  if (onIoThread()) {
    registerCall(cmd);
    return;
  }
  if (!post(cmd)) {
    // No I/O thread to run it on any more: the caller gets its answer right here.
    invoke(cmd.callback,
           Status::aborted(name_ + ": transport stopped before calling " + to.toString()));
  }
}

StatusOr<Envelope> Transport::Impl::call(const Peer& to, MessageTag tag, std::string payload,
                                         std::chrono::milliseconds timeout) {
  if (onIoThread()) {
    spdlog::error("{}: call() from the I/O thread would wait on itself; use callAsync()", name_);
    return Status::internal("call() from the transport's handler; use callAsync()");
  }
  auto promise = std::make_shared<std::promise<StatusOr<Envelope>>>();
  std::future<StatusOr<Envelope>> future = promise->get_future();
  callAsync(to, tag, std::move(payload), timeout,
            [promise](StatusOr<Envelope> result) { promise->set_value(std::move(result)); });
  // The I/O loop answers at the deadline, with what it knows of the connection; the grace
  // lets its answer win the race with this fallback.
  if (future.wait_for(timeout + kReplyGrace) == std::future_status::ready) return future.get();
  // The I/O loop forgets the pending entry at the same deadline (or when it starts).
  return noReply(to, tag, timeout);
}

void Transport::Impl::registerCall(Command& cmd) {
  if (shutting_down_) {  // e.g. a callback of an aborted call retrying
    invoke(cmd.callback, Status::aborted(name_ + ": transport stopped"));
    return;
  }
  PendingCall pending{cmd.peer, cmd.tag, cmd.timeout, cmd.deadline, std::move(cmd.callback)};
  pending_.emplace(cmd.correlation, std::move(pending));
  deadlines_.emplace(cmd.deadline, cmd.correlation);
  sendFrame(cmd.peer, std::move(cmd.frame));
}

// Until the nearest call deadline (rounded up), or forever.
long Transport::Impl::pollTimeoutMs() const {
  if (deadlines_.empty()) return -1;
  auto wait = deadlines_.begin()->first - Clock::now();
  if (wait <= Clock::duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return static_cast<long>(std::min<int64_t>(ms, std::numeric_limits<int>::max()));
}

void Transport::Impl::completeCall(Envelope&& reply) {
  auto it = pending_.find(reply.correlation);
  if (it == pending_.end()) {
    spdlog::debug("{}: dropped {} reply with unknown correlation {} (late or duplicate)", name_,
                  tagName(reply.tag), reply.correlation);
    return;
  }
  ReplyCallback callback = std::move(it->second.callback);
  deadlines_.erase({it->second.deadline, it->first});
  pending_.erase(it);
  invoke(callback, std::move(reply));
}

void Transport::Impl::expireCalls() {
  auto now = Clock::now();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    uint64_t correlation = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    auto it = pending_.find(correlation);
    if (it == pending_.end()) continue;
    PendingCall call = std::move(it->second);
    pending_.erase(it);
    Status status = noReply(call.peer, call.tag, call.timeout);
    auto dealer = call.peer.kind == Peer::Kind::kDealer ? dealers_.find(call.peer.id) : dealers_.end();
    if (dealer != dealers_.end() && dealer->second->handshakes && !dealer->second->handshakes->lastFailure().empty()) {
      status = Status::timeout(status.message() + "; the connection fails: " + dealer->second->handshakes->lastFailure());
    }
    invoke(call.callback, status);
  }
}

void Transport::Impl::failCalls(const std::function<bool(const PendingCall&)>& match,
                                const Status& status) {
  std::vector<ReplyCallback> failed;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (!match(it->second)) {
      ++it;
      continue;
    }
    deadlines_.erase({it->second.deadline, it->first});
    failed.push_back(std::move(it->second.callback));
    it = pending_.erase(it);
  }
  for (auto& callback : failed) invoke(callback, status);
}

void Transport::Impl::invoke(const ReplyCallback& callback, StatusOr<Envelope> result) {
  if (!callback) return;
  try {
    callback(std::move(result));
  } catch (const std::exception& e) {
    spdlog::error("{}: reply callback threw: {}", name_, e.what());
  }
}

}  // namespace sluice::rpc
