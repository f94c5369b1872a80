// Transport::Impl, internal to rpc/: transport.cc has the I/O loop, transport_calls.cc the
// calls and their replies. One I/O thread owns the ZeroMQ context's sockets (the ROUTER and
// one DEALER per remote endpoint). Other threads post Commands to a mutex-protected queue
// and wake the thread through an eventfd that zmq_poll watches next to the sockets.
//
// State ownership:
//   mu_ guards commands_ and stopping_; stop_mu_ serializes bind(), start() and stop().
//   Everything else (sockets, dealers_, pending_, deadlines_) belongs to the I/O thread once
//   start() has run; before start() and after the thread has exited, to the thread calling
//   bind()/stop(). send() and callAsync() from the handler (on the I/O thread) skip the queue
//   and act on the sockets directly; disconnect() is always queued, because the loop may be
//   iterating over the socket it closes.
//
// stop() from the handler only asks the loop to exit; the thread is joined by a later stop()
// or the destructor, which must not run on the I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>
#include <zmq.hpp>

#include "common/peer_log_limiter.h"
#include "rpc/connection_monitor.h"
#include "rpc/handshake_watch.h"
#include "rpc/send_budget.h"
#include "rpc/transport.h"
#include "rpc/transport_options.h"
#include "rpc/zap_handler.h"

namespace sluice::rpc {

class Transport::Impl {
 public:
  Impl(std::string name, TransportOptions options);
  ~Impl();

  StatusOr<std::string> bind(const std::string& endpoint);
  void setHandler(Handler handler) { handler_ = std::move(handler); }
  void start();
  void stop();
  void send(const Peer& to, std::string frame);
  void sendComposed(const Peer& to, std::function<std::string()> compose);
  StatusOr<Envelope> call(const Peer& to, MessageTag tag, std::string payload,
                          std::chrono::milliseconds timeout);
  void callAsync(const Peer& to, MessageTag tag, std::string payload,
                 std::chrono::milliseconds timeout, ReplyCallback callback);
  void disconnect(const std::string& endpoint);
  void setMaxFrameBytes(size_t limit) { max_frame_bytes_.store(limit); }
  void reportMalformed(const Peer& from, const std::string& reason) {
    dropMalformed(from, "", reason);
  }
  uint64_t framesDropped() const { return frames_dropped_.load(std::memory_order_relaxed); }

 private:
  using Clock = std::chrono::steady_clock;

  // A request from a user thread to the I/O thread.
  struct Command {
    enum class Kind : uint8_t { kSend, kSendComposed, kCall, kDisconnect };
    Kind kind = Kind::kSend;
    Peer peer;  // kDisconnect: the endpoint is peer.id.
    std::string frame;
    std::function<std::string()> compose;  // kSendComposed only.
    // kCall only.
    uint64_t correlation = 0;
    MessageTag tag = MessageTag::kInvalid;
    std::chrono::milliseconds timeout{0};
    Clock::time_point deadline;
    ReplyCallback callback;
  };

  // A call() or callAsync() waiting for its reply.
  struct PendingCall {
    Peer peer;
    MessageTag tag = MessageTag::kInvalid;
    std::chrono::milliseconds timeout{0};
    Clock::time_point deadline;
    ReplyCallback callback;
  };

  // One connected DEALER, the frames ZeroMQ refused for now (its queue was full), already
  // charged to the peer's send budget, and the watch on its handshakes (made once the socket's
  // options are set).
  struct DealerConn {
    DealerConn(zmq::context_t& ctx, std::string endpoint)
        : socket(ctx, zmq::socket_type::dealer), peer(Peer::dealer(std::move(endpoint))) {}
    zmq::socket_t socket;
    Peer peer;
    std::deque<zmq::message_t> backlog;
    std::unique_ptr<HandshakeWatch> handshakes;
  };

  bool onIoThread() const { return std::this_thread::get_id() == io_thread_id_.load(); }
  // Queues cmd for the I/O thread; false (cmd untouched) once stop() has begun.
  bool post(Command& cmd);
  void wake();
  void clearWake();

  // I/O thread.
  void run();
  bool drainCommands();
  void execute(Command& cmd);
  void buildPollSet();
  long pollTimeoutMs() const;
  void receiveFromRouter();
  void receiveFromDealer(DealerConn& conn);
  // A handshake of conn failed: one warn line (rate-limited per endpoint); when the reason
  // is a security mismatch, which retrying cannot fix, its pending calls fail at once.
  void onHandshakeEvents(DealerConn& conn);
  // The ROUTER's socket options, and CURVE's when auth is on (curve_ set).
  void setServerSecurity(zmq::socket_t& router);
  void setClientSecurity(zmq::socket_t& dealer);
  // ZMQ_MAXMSGSIZE: the frame limit, plus what CURVE adds on the wire.
  size_t wireLimit() const;
  void dispatch(const Peer& from, zmq::message_t& frame);
  // Counts a rejected frame and logs it in one line, rate-limited per source (an address,
  // or the peer itself when the address is unknown). Thread-safe.
  void dropMalformed(const Peer& from, const std::string& source, const std::string& reason);
  // One line for a connection refused during the ZeroMQ handshake, naming the peer's address
  // when known (connection_monitor.h), rate-limited per local endpoint.
  void rejectConnection(const std::string& endpoint, const std::string& address, const std::string& reason);
  // One line for a client the ZAP handler refused, rate-limited per address.
  void rejectClient(const std::string& address, const std::string& reason);
  // Whether a refusal keyed by key may be logged now (PeerLogLimiter); more: the note on
  // lines not logged, to append.
  bool mayLog(const std::string& key, const std::string& what, std::string& more);
  // One info line for a connection that ended after its handshake (connection_monitor.h: the
  // peer left, or sent a frame above the ROUTER's ZMQ_MAXMSGSIZE), rate-limited per endpoint;
  // address: the peer's, or "".
  void connectionClosed(const std::string& endpoint, const std::string& address);
  // frame as a message charged to to's send budget (rpc/peer_bounds.h); if it does not fit,
  // one warn line, rate-limited per peer, and nullopt.
  std::optional<zmq::message_t> charge(const Peer& to, std::string& frame);
  // Whether frame fits the frame limit; if not, one error line and false.
  bool fitsLimit(const Peer& to, size_t frame_size);
  void completeCall(Envelope&& reply);
  void expireCalls();
  void sendFrame(const Peer& to, std::string frame);
  void sendToRouterClient(const Peer& to, std::string frame);
  void sendToDealer(DealerConn& conn, std::string frame);
  void flushBacklog(DealerConn& conn);
  DealerConn& dealerFor(const std::string& endpoint);
  void registerCall(Command& cmd);
  void failCalls(const std::function<bool(const PendingCall&)>& match, const Status& status);
  void invoke(const ReplyCallback& callback, StatusOr<Envelope> result);
  void shutdown();

  const std::string name_;
  std::atomic<size_t> max_frame_bytes_;
  const std::shared_ptr<const CurveKeys> curve_;  // null: auth off
  zmq::context_t ctx_;
  int wake_fd_ = -1;
  Handler handler_;
  std::thread thread_;
  std::atomic<std::thread::id> io_thread_id_{};
  std::atomic<uint64_t> next_correlation_;
  std::atomic<uint64_t> frames_dropped_{0};
  SharedPeerLogLimiter log_limiter_;
  std::mutex stop_mu_;  // serializes bind(), start() and stop()
  bool started_ = false;
  bool shut_down_ = false;

  std::mutex mu_;
  std::vector<Command> commands_;
  bool stopping_ = false;

  // Owned by the I/O thread (see the file comment).
  std::unique_ptr<zmq::socket_t> router_;
  std::unique_ptr<ConnectionMonitor> monitor_;  // the ROUTER's connections
  std::unique_ptr<ZapHandler> zap_;             // auth on: who may connect to the ROUTER
  std::unordered_map<std::string, std::unique_ptr<DealerConn>> dealers_;
  std::unordered_map<uint64_t, PendingCall> pending_;
  std::set<std::pair<Clock::time_point, uint64_t>> deadlines_;
  std::vector<zmq_pollitem_t> poll_items_;
  std::vector<Command> batch_;  // the commands being executed
  bool shutting_down_ = false;
  // Parallel to poll_items_: what each item is, and its dealer for the last two kinds.
  enum class PollKind : uint8_t { kWake, kRouter, kRouterMonitor, kZap, kDealer, kDealerHandshakes };
  std::vector<std::pair<PollKind, DealerConn*>> poll_kinds_;
  SendBudgets send_budgets_;
};

}  // namespace sluice::rpc
