// ReliableSocketReceiver: reliableSocketTextStream's receiver, the reliable counterpart of
// SocketTextReceiver for sources that speak sluice-gen's acknowledged protocol
// (bench/sluice_gen.cc --numbered): every line starts with its sequence number, and the
// receiver writes "ACK <seq>\n" back once every line up to seq is stored.
//
// It gathers lines for one block interval, stores them with storeBlock() - which returns
// only once the block is in the receiver WAL and the driver recorded it - and then acks
// the last sequence number of the block. A failed store, a lost connection or an executor
// that dies leave the lines after the last ack unacknowledged; the source sends them again
// to the restarted receiver. Each block is stored with its last sequence number as its
// position, and a restarted receiver first acks its resumePosition() and drops the lines
// up to it that the source sends again: a block the driver recorded just before a failure
// that lost its ack is not stored twice.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "streaming/receiver/receiver.h"

namespace sluice {

class ReliableSocketReceiver : public ReceiverBase<ReliableSocketReceiver, std::string> {
 public:
  ReliableSocketReceiver() = default;
  ReliableSocketReceiver(std::string host, int port) : host_(std::move(host)), port_(port) {}

  void onStart() override;
  void onStop() override;
  std::string name() const override { return "ReliableSocketReceiver"; }

  template <class A> void serialize(A& ar) { ar(host_, port_); }

 private:
  void receive();
  // Stores lines as one block and acks the last one's number on fd; false (after asking
  // for a restart) when the block could not be stored or the ack not sent.
  bool storeAndAck(int fd, std::vector<std::string>& lines);

  std::string host_;
  int32_t port_ = 0;
  int64_t stored_through_ = -1;  // every line up to this number is stored (receive thread)
  std::thread thread_;
};

}  // namespace sluice
