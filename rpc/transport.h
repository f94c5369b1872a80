// Transport: one process's ZeroMQ endpoint. It owns one ROUTER socket (optional, bound by
// bind()) for peers that connect to us, and one DEALER socket per remote address we connect
// to. A single I/O thread owns every socket; other threads hand it frames through a queue
// and an eventfd, so every public method is thread-safe.
//
// Incoming frames are decoded with decodeFrame(); a malformed frame is logged with one warn
// line naming the peer and the reason, then dropped. Replies (kFlagReply) whose correlation
// id matches a pending call() complete that call; everything else goes to the handler.
//
// THREADING: the handler runs on the I/O thread. It must not block, and must not call
// call() (that would wait on itself); it may call send(), reply() and callAsync().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "rpc/frame.h"
#include "rpc/transport_options.h"

namespace sluice::rpc {

// The other side of a conversation. kRouterClient: a peer connected to our ROUTER, id is
// its ZeroMQ routing identity. kDealer: a remote ROUTER we connect to, id is its endpoint
// ("tcp://127.0.0.2:7077").
struct Peer {
  enum class Kind : uint8_t { kRouterClient, kDealer };
  Kind kind = Kind::kDealer;
  std::string id;

  static Peer dealer(std::string endpoint) { return {Kind::kDealer, std::move(endpoint)}; }
  bool operator==(const Peer& o) const { return kind == o.kind && id == o.id; }
  bool operator<(const Peer& o) const { return kind != o.kind ? kind < o.kind : id < o.id; }
  // Printable form for logs: the endpoint, or "client:<hex identity>" (at most 8 bytes of
  // the identity, then "..."), short whatever identity a peer chose.
  std::string toString() const;
};

class Transport {
 public:
  using Handler = std::function<void(const Peer& from, Envelope&& msg)>;
  using ReplyCallback = std::function<void(StatusOr<Envelope>)>;

  // name appears in log lines. max_frame_bytes bounds every frame received or sent (see
  // rpc/frame_limit.h for the rpc.maxFrameBytes key that sets it).
  explicit Transport(std::string name, size_t max_frame_bytes = kDefaultMaxFrameBytes);
  // options.curve set (auth.enabled, rpc/transport_options.h): the ROUTER serves CURVE and
  // accepts only clients with the cluster's key, and every DEALER connects with CURVE.
  Transport(std::string name, TransportOptions options);
  // Stops the I/O thread; pending calls complete with an Aborted status.
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds the ROUTER socket before start(). "tcp://127.0.0.2:0" picks a free port; the
  // returned string is the endpoint actually bound ("tcp://127.0.0.2:40123").
  StatusOr<std::string> bind(const std::string& endpoint);
  // Set before start().
  void setHandler(Handler handler);
  void start();
  // Idempotent.
  void stop();

  // Fire-and-forget; connects a DEALER on first use of a kDealer peer. Frames to a peer
  // that is not reachable wait in ZeroMQ's queue until it is (or are dropped on stop).
  void send(const Peer& to, std::string frame);
  template <class M>
  void send(const Peer& to, const M& msg) { send(to, encode(msg)); }

  // As send(), but the frame is made by compose on the I/O thread when its turn to go out
  // comes ("" sends nothing). A sender that posts one compose and appends to its own
  // outbox until it runs coalesces everything that piled up meanwhile into one frame,
  // without holding anything back (DriverLink's task statuses). compose must not block.
  void sendComposed(const Peer& to, std::function<std::string()> compose);

  // Answers request with a frame carrying its correlation id and the reply flag.
  template <class M>
  void reply(const Peer& to, const Envelope& request, const M& msg) {
    send(to, encode(msg, request.correlation, kFlagReply));
  }

  // Sends a request and waits for its reply. Blocks the calling thread (never the handler).
  // No reply within timeout: a Timeout status naming the peer and the message.
  StatusOr<Envelope> call(const Peer& to, MessageTag tag, std::string payload,
                          std::chrono::milliseconds timeout);
  template <class M>
  StatusOr<Envelope> call(const Peer& to, const M& msg, std::chrono::milliseconds timeout) {
    return call(to, M::kTag, toBytes(msg), timeout);
  }
  // As call(), but the callback runs on the I/O thread with the reply or the timeout.
  void callAsync(const Peer& to, MessageTag tag, std::string payload,
                 std::chrono::milliseconds timeout, ReplyCallback callback);

  // Closes the DEALER to endpoint, dropping queued frames (e.g. a dead executor).
  void disconnect(const std::string& endpoint);

  // Changes the frame limit, e.g. once an executor has its application's configuration. The
  // decoder and the sender use it at once; ZeroMQ's own limit (ZMQ_MAXMSGSIZE) applies to
  // sockets made afterwards: the bound ROUTER and DEALERs already connected keep theirs.
  void setMaxFrameBytes(size_t max_frame_bytes);

  // Logs, counts and drops a message that reached the handler but whose payload does not
  // decode: one warn line, rate-limited per peer, as for malformed frames. Thread-safe.
  void reportMalformed(const Peer& from, const std::string& reason);

  // Counts, for tests and metrics.
  uint64_t framesDropped() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Ports: "tcp://host:port" -> port, or -1.
int portOf(const std::string& endpoint);

}  // namespace sluice::rpc
