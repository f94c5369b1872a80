// Transport: the I/O loop (sockets, the command queue, receiving and sending). The
// request/reply correlation of call() and callAsync() is in transport_calls.cc; the class
// and the ownership of its state are described in transport_impl.h.
#include "rpc/transport.h"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>
#include <zmq.hpp>

#include "rpc/peer_bounds.h"
#include "rpc/transport_impl.h"

namespace sluice::rpc {

namespace {

// Frames received from one socket per poll wake-up, so that one busy peer cannot starve the
// others or the command queue.
constexpr int kMaxRecvPerWake = 4096;
// At stop(), how long ZeroMQ may keep trying to deliver frames already handed to it.
constexpr int kStopFlushLingerMs = 100;

// "tcp://host:0" -> "tcp://host:*" so that ZeroMQ picks a free port.
std::string wildcardPortZero(const std::string& endpoint) {
  if (endpoint.size() >= 2 && endpoint.compare(endpoint.size() - 2, 2, ":0") == 0) {
    return endpoint.substr(0, endpoint.size() - 1) + "*";
  }
  return endpoint;
}

// ZMQ_MAXMSGSIZE: ZeroMQ closes a connection that sends a larger message before buffering it.
// The high-water marks bound what one peer can make us hold (rpc/peer_bounds.h).
void setCommonOptions(zmq::socket_t& socket, size_t max_frame_bytes) {
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::sndhwm, kSendHighWaterMark);
  socket.set(zmq::sockopt::rcvhwm, kReceiveHighWaterMark);
  uint64_t limit = std::min<uint64_t>(max_frame_bytes, std::numeric_limits<int64_t>::max());
  socket.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(limit));
}

// The address a message came from ("127.0.0.1"), or "" if ZeroMQ does not know it.
std::string peerAddressOf(zmq::message_t& msg) {
  const char* address = zmq_msg_gets(msg.handle(), "Peer-Address");
  return address != nullptr ? address : "";
}

}  // namespace

Transport::Impl::Impl(std::string name, TransportOptions options)
    : name_(std::move(name)), max_frame_bytes_(options.max_frame_bytes), curve_(std::move(options.curve)), ctx_(1) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    // Out of file descriptors while building a daemon's endpoint: nothing sensible to do.
    spdlog::critical("{}: cannot create eventfd: {}", name_, std::strerror(errno));
    std::abort();
  }
  // Random start so that replies meant for an earlier incarnation of this process do not
  // match new calls; zero is reserved for "not a call".
  std::random_device rd;
  uint64_t seed = (uint64_t{rd()} << 32) | rd();
  next_correlation_ = (seed >> 1) | 1;
}

Transport::Impl::~Impl() {
  stop();
  ::close(wake_fd_);
}

StatusOr<std::string> Transport::Impl::bind(const std::string& endpoint) {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (started_ || shut_down_) {
    return Status::invalidArgument(name_ + ": bind(" + endpoint + ") after start()");
  }
  try {
    if (!router_) {
      router_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::router);
      setCommonOptions(*router_, wireLimit());
      setServerSecurity(*router_);
      monitor_ = std::make_unique<ConnectionMonitor>(
          ctx_, *router_,
          [this](const std::string& endpoint, const std::string& address, const std::string& reason) {
            rejectConnection(endpoint, address, reason);
          },
          [this](const std::string& endpoint, const std::string& address) { connectionClosed(endpoint, address); });
    }
    router_->bind(wildcardPortZero(endpoint));
    return router_->get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    return Status::ioError(name_ + ": cannot bind " + endpoint + ": " + e.what());
  }
}

void Transport::Impl::start() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (started_ || shut_down_) return;
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void Transport::Impl::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  // From the handler: the loop exits after this callback; the destructor joins it.
  if (onIoThread()) return;
  wake();
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (thread_.joinable()) {
    thread_.join();
  } else if (!shut_down_) {
    shutdown();  // never started: fail what was queued and close the sockets here
  }
  shut_down_ = true;
}

bool Transport::Impl::post(Command& cmd) {
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    was_empty = commands_.empty();
    commands_.push_back(std::move(cmd));
  }
  // The I/O thread swaps the whole queue out, so only the first command after a swap needs
  // to wake it.
  if (was_empty) wake();
  return true;
}

void Transport::Impl::wake() {
  uint64_t one = 1;
  ssize_t n = ::write(wake_fd_, &one, sizeof one);
  (void)n;  // EAGAIN means the counter is already nonzero: the thread will wake anyway.
}

void Transport::Impl::clearWake() {
  uint64_t value;
  ssize_t n = ::read(wake_fd_, &value, sizeof value);
  (void)n;  // EAGAIN: nothing to clear.
}

void Transport::Impl::send(const Peer& to, std::string frame) {
  if (!fitsLimit(to, frame.size())) return;
  if (onIoThread()) {
    sendFrame(to, std::move(frame));  // from the handler: no need to queue
    return;
  }
  Command cmd;
  cmd.kind = Command::Kind::kSend;
  cmd.peer = to;
  cmd.frame = std::move(frame);
  if (!post(cmd)) spdlog::debug("{}: stopped; dropped frame to {}", name_, to.toString());
}

void Transport::Impl::disconnect(const std::string& endpoint) {
  // Always queued, even from the handler: the loop may be iterating over that socket.
  Command cmd;
  cmd.kind = Command::Kind::kDisconnect;
  cmd.peer = Peer::dealer(endpoint);
  post(cmd);
}

// ---------------------------------------------------------------------------------------
// I/O thread.

void Transport::Impl::run() {
  io_thread_id_ = std::this_thread::get_id();
  while (true) {
    if (!drainCommands()) break;
    buildPollSet();
    try {
      zmq::poll(poll_items_, std::chrono::milliseconds(pollTimeoutMs()));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      spdlog::error("{}: poll failed, I/O thread exits: {}", name_, e.what());
      break;
    }
    for (size_t i = 0; i < poll_items_.size(); ++i) {
      short revents = poll_items_[i].revents;
      auto [kind, dealer] = poll_kinds_[i];
      if (kind == PollKind::kDealer && (revents & ZMQ_POLLOUT)) flushBacklog(*dealer);
      if (!(revents & ZMQ_POLLIN)) continue;
      switch (kind) {
        case PollKind::kWake: clearWake(); break;
        case PollKind::kRouter: receiveFromRouter(); break;
        case PollKind::kRouterMonitor: monitor_->drain(); break;
        case PollKind::kZap: zap_->drain(); break;
        case PollKind::kDealer: receiveFromDealer(*dealer); break;
        case PollKind::kDealerHandshakes: onHandshakeEvents(*dealer); break;
      }
    }
    expireCalls();
  }
  shutdown();
  io_thread_id_ = std::thread::id();
}

// Executes every queued command; false once stop() was requested (after executing them).
bool Transport::Impl::drainCommands() {
  bool stopping;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch_.swap(commands_);  // commands_ gets back the capacity of the previous batch
    stopping = stopping_;
  }
  for (Command& cmd : batch_) execute(cmd);
  batch_.clear();
  return !stopping;
}

void Transport::Impl::execute(Command& cmd) {
  switch (cmd.kind) {
    case Command::Kind::kSend:
      sendFrame(cmd.peer, std::move(cmd.frame));
      break;
    case Command::Kind::kSendComposed:
      if (std::string frame = cmd.compose(); !frame.empty() && fitsLimit(cmd.peer, frame.size())) {
        sendFrame(cmd.peer, std::move(frame));
      }
      break;
    case Command::Kind::kCall:
      registerCall(cmd);
      break;
    case Command::Kind::kDisconnect: {
      auto it = dealers_.find(cmd.peer.id);
      if (it == dealers_.end()) break;
      dealers_.erase(it);  // linger 0: queued frames are dropped
      failCalls([&](const PendingCall& p) { return p.peer == cmd.peer; },
                Status::unavailable(name_ + ": disconnected from " + cmd.peer.id));
      break;
    }
  }
}

void Transport::Impl::buildPollSet() {
  poll_items_.clear();
  poll_kinds_.clear();
  auto add = [&](void* socket, int fd, short events, PollKind kind, DealerConn* conn) {
    poll_items_.push_back(zmq_pollitem_t{socket, fd, events, 0});
    poll_kinds_.emplace_back(kind, conn);
  };
  add(nullptr, wake_fd_, ZMQ_POLLIN, PollKind::kWake, nullptr);
  if (router_) {
    add(router_->handle(), 0, ZMQ_POLLIN, PollKind::kRouter, nullptr);
    add(monitor_->handle(), 0, ZMQ_POLLIN, PollKind::kRouterMonitor, nullptr);
  }
  if (zap_) add(zap_->handle(), 0, ZMQ_POLLIN, PollKind::kZap, nullptr);
  for (auto& [endpoint, conn] : dealers_) {
    short events = ZMQ_POLLIN;
    if (!conn->backlog.empty()) events |= ZMQ_POLLOUT;
    add(conn->socket.handle(), 0, events, PollKind::kDealer, conn.get());
    if (conn->handshakes) add(conn->handshakes->handle(), 0, ZMQ_POLLIN, PollKind::kDealerHandshakes, conn.get());
  }
}

void Transport::Impl::receiveFromRouter() {
  for (int n = 0; n < kMaxRecvPerWake; ++n) {
    zmq::message_t identity;
    zmq::message_t frame;
    try {
      if (!router_->recv(identity, zmq::recv_flags::dontwait)) return;
      // A ROUTER delivers the identity and the frame together: the second part is there.
      Peer from{Peer::Kind::kRouterClient, identity.to_string()};
      std::string address = peerAddressOf(identity);
      if (!identity.more() || !router_->recv(frame, zmq::recv_flags::dontwait)) {
        dropMalformed(from, address, "empty message");
        continue;
      }
      if (frame.more()) {
        int parts = 1;
        while (frame.more() && router_->recv(frame, zmq::recv_flags::dontwait)) ++parts;
        dropMalformed(from, address, "expected 1 message part, got " + std::to_string(parts));
        continue;
      }
      dispatch(from, frame);
    } catch (const zmq::error_t& e) {
      spdlog::warn("{}: receive on ROUTER failed: {}", name_, e.what());
      return;
    }
  }
}

void Transport::Impl::receiveFromDealer(DealerConn& conn) {
  for (int n = 0; n < kMaxRecvPerWake; ++n) {
    zmq::message_t frame;
    try {
      if (!conn.socket.recv(frame, zmq::recv_flags::dontwait)) return;
      if (frame.more()) {
        int parts = 1;
        while (frame.more() && conn.socket.recv(frame, zmq::recv_flags::dontwait)) ++parts;
        dropMalformed(conn.peer, conn.peer.id, "expected 1 message part, got " + std::to_string(parts));
        continue;
      }
      dispatch(conn.peer, frame);
    } catch (const zmq::error_t& e) {
      spdlog::warn("{}: receive from {} failed: {}", name_, conn.peer.toString(), e.what());
      return;
    }
  }
}

void Transport::Impl::dispatch(const Peer& from, zmq::message_t& frame) {
  StatusOr<Envelope> env = decodeFrame(frame.data(), frame.size(), max_frame_bytes_.load());
  if (!env) {
    std::string address = from.kind == Peer::Kind::kDealer ? from.id : peerAddressOf(frame);
    dropMalformed(from, address, env.status().message());
    return;
  }
  if (env->isReply()) {
    completeCall(std::move(*env));
    return;
  }
  if (!handler_) {
    spdlog::debug("{}: no handler; dropped {} from {}", name_, tagName(env->tag), from.toString());
    return;
  }
  try {
    handler_(from, std::move(*env));
  } catch (const std::exception& e) {
    spdlog::error("{}: handler threw on a message from {}: {}", name_, from.toString(), e.what());
  }
}

void Transport::Impl::sendFrame(const Peer& to, std::string frame) {
  if (to.kind == Peer::Kind::kRouterClient) {
    sendToRouterClient(to, std::move(frame));
  } else {
    sendToDealer(dealerFor(to.id), std::move(frame));
  }
}

void Transport::Impl::sendToRouterClient(const Peer& to, std::string frame) {
  if (!router_) {
    spdlog::warn("{}: no ROUTER bound; dropped frame to {}", name_, to.toString());
    return;
  }
  std::optional<zmq::message_t> msg = charge(to, frame);
  if (!msg) return;
  try {
    // Without ROUTER_MANDATORY, a frame to an unknown or gone identity is dropped by ZeroMQ.
    router_->send(zmq::buffer(to.id), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    router_->send(*msg, zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    spdlog::debug("{}: send to {} failed: {}", name_, to.toString(), e.what());
  }
}

void Transport::Impl::sendToDealer(DealerConn& conn, std::string frame) {
  std::optional<zmq::message_t> msg = charge(conn.peer, frame);
  if (!msg) return;
  if (!conn.backlog.empty()) {
    conn.backlog.push_back(std::move(*msg));  // keep the order behind earlier frames
    return;
  }
  try {
    if (!conn.socket.send(*msg, zmq::send_flags::dontwait)) {
      conn.backlog.push_back(std::move(*msg));  // queue full: retry when writable
    }
  } catch (const zmq::error_t& e) {
    spdlog::warn("{}: send to {} failed: {}", name_, conn.peer.toString(), e.what());
  }
}

void Transport::Impl::flushBacklog(DealerConn& conn) {
  try {
    while (!conn.backlog.empty()) {
      if (!conn.socket.send(conn.backlog.front(), zmq::send_flags::dontwait)) {
        return;
      }
      conn.backlog.pop_front();
    }
  } catch (const zmq::error_t& e) {
    spdlog::warn("{}: send to {} failed, dropping {} queued frames: {}", name_,
                 conn.peer.toString(), conn.backlog.size(), e.what());
    conn.backlog.clear();
  }
}

Transport::Impl::DealerConn& Transport::Impl::dealerFor(const std::string& endpoint) {
  auto it = dealers_.find(endpoint);
  if (it != dealers_.end()) return *it->second;
  auto conn = std::make_unique<DealerConn>(ctx_, endpoint);
  setCommonOptions(conn->socket, wireLimit());
  setClientSecurity(conn->socket);
  try {
    conn->handshakes = std::make_unique<HandshakeWatch>(ctx_, conn->socket, curve_ != nullptr);
    conn->socket.connect(endpoint);
  } catch (const zmq::error_t& e) {
    // A malformed endpoint: keep the (unconnected) socket so that calls time out cleanly.
    spdlog::warn("{}: cannot connect to {}: {}", name_, endpoint, e.what());
  }
  return *dealers_.emplace(endpoint, std::move(conn)).first->second;
}

// Runs once, on the I/O thread as it exits, or in stop() if start() never ran.
void Transport::Impl::shutdown() {
  shutting_down_ = true;
  std::vector<Command> remaining;
  {
    std::lock_guard<std::mutex> lock(mu_);
    remaining.swap(commands_);
  }
  Status aborted = Status::aborted(name_ + ": transport stopped");
  for (Command& cmd : remaining) {
    if (cmd.kind == Command::Kind::kSendComposed) cmd.frame = cmd.compose();  // composers outlive stop()
    if (cmd.kind == Command::Kind::kSend || cmd.kind == Command::Kind::kSendComposed) {
      if (!cmd.frame.empty()) sendFrame(cmd.peer, std::move(cmd.frame));  // flushed below if the peer is reachable
    } else if (cmd.kind == Command::Kind::kCall) {
      invoke(cmd.callback, aborted);
    }
  }
  failCalls([](const PendingCall&) { return true; }, aborted);
  // Give frames already handed to ZeroMQ a short chance to reach connected peers; a socket
  // with nothing queued closes at once.
  for (auto& [endpoint, conn] : dealers_) {
    flushBacklog(*conn);
    conn->socket.set(zmq::sockopt::linger, kStopFlushLingerMs);
  }
  if (router_) router_->set(zmq::sockopt::linger, kStopFlushLingerMs);
  dealers_.clear();
  monitor_.reset();
  zap_.reset();
  router_.reset();
  ctx_.close();
}

// ---------------------------------------------------------------------------------------

Transport::Transport(std::string name, size_t max_frame_bytes)
    : Transport(std::move(name), TransportOptions{max_frame_bytes, nullptr}) {}

Transport::Transport(std::string name, TransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(name), std::move(options))) {}

Transport::~Transport() = default;

StatusOr<std::string> Transport::bind(const std::string& endpoint) { return impl_->bind(endpoint); }

void Transport::setHandler(Handler handler) { impl_->setHandler(std::move(handler)); }

void Transport::start() { impl_->start(); }

void Transport::stop() { impl_->stop(); }

void Transport::send(const Peer& to, std::string frame) { impl_->send(to, std::move(frame)); }

void Transport::sendComposed(const Peer& to, std::function<std::string()> compose) {
  impl_->sendComposed(to, std::move(compose));
}

StatusOr<Envelope> Transport::call(const Peer& to, MessageTag tag, std::string payload,
                                   std::chrono::milliseconds timeout) {
  return impl_->call(to, tag, std::move(payload), timeout);
}

void Transport::callAsync(const Peer& to, MessageTag tag, std::string payload,
                          std::chrono::milliseconds timeout, ReplyCallback callback) {
  impl_->callAsync(to, tag, std::move(payload), timeout, std::move(callback));
}

void Transport::disconnect(const std::string& endpoint) { impl_->disconnect(endpoint); }

void Transport::setMaxFrameBytes(size_t max_frame_bytes) { impl_->setMaxFrameBytes(max_frame_bytes); }

void Transport::reportMalformed(const Peer& from, const std::string& reason) {
  impl_->reportMalformed(from, reason);
}

uint64_t Transport::framesDropped() const { return impl_->framesDropped(); }

}  // namespace sluice::rpc
