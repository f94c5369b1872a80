// The input sources of StreamingContext that need the full DStream API: receivers (a
// user's own, sockets, the rate source) and textFileStream.
#pragma once

#include "streaming/dstream/file_input_dstream.h"
#include "streaming/receiver/rate_receiver.h"
#include "streaming/dstream/receiver_input_dstream.h"
#include "streaming/receiver/socket_receiver.h"
#include "streaming/streaming_context.h"

namespace sluice {

template <class T>
DStream<T> StreamingContext::receiverStream(std::shared_ptr<Receiver<T>> receiver) {
  if (state_ != State::kInitialized) throw std::logic_error("add input streams before StreamingContext::start()");
  receiver->setReplication(receiverReplication(receiver->replication()));
  int id = graph_.nextInputId();
  auto node = std::make_shared<ReceiverInputDStream<T>>(this, id, batch_, receiver, *receivers_);
  std::weak_ptr<ReceiverInputDStream<T>> weak = node;
  receivers_->addReceiver(id, receiver->name() + "-" + std::to_string(id), [weak] {
    auto stream = weak.lock();
    if (!stream) throw std::runtime_error("the receiver's input stream is gone");
    return stream->receiverRDD();
  });
  graph_.addInput(std::make_shared<InputStreamAdapter<T>>(node));
  return DStream<T>(this, node);
}

}  // namespace sluice
