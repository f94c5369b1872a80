// RateReceiver: rateStream's receiver, for benchmarks. Produces records_per_second text
// lines of about record_bytes bytes each, made of words drawn from a vocabulary of
// vocabulary_size words ("w0", "w1", ...), evenly spread over each second.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "streaming/receiver/receiver.h"

namespace sluice {

class RateReceiver : public ReceiverBase<RateReceiver, std::string> {
 public:
  RateReceiver() = default;
  RateReceiver(int64_t records_per_second, int32_t record_bytes, int32_t vocabulary_size)
      : rate_(records_per_second), record_bytes_(record_bytes), vocabulary_(vocabulary_size) {}

  void onStart() override;
  void onStop() override;
  std::string name() const override { return "RateReceiver"; }

  template <class A> void serialize(A& ar) { ar(rate_, record_bytes_, vocabulary_); }

 private:
  void produce();

  int64_t rate_ = 1000;
  int32_t record_bytes_ = 100;
  int32_t vocabulary_ = 1000;
  std::thread thread_;
};

}  // namespace sluice
