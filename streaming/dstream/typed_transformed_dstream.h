// TypedTransformedDStream: f(RDD<A>, RDD<B>, ..., Time) -> RDD<U> over streams of any
// element types and one slide (Spark's StreamingContext.transform(dstreams, func), with
// the types kept). A parent without an RDD for a batch is an error, as in Spark.
#pragma once

#include <tuple>

#include "streaming/dstream/dstream_node.h"

namespace sluice {

template <class U, class... Ts>
class TypedTransformedDStream : public DStreamNode<U> {
 public:
  using Fn = std::function<RDD<U>(const RDD<Ts>&..., Time)>;
  // Throws std::invalid_argument when the parents' slides differ.
  TypedTransformedDStream(Fn f, std::shared_ptr<DStreamNode<Ts>>... parents)
      : DStreamNode<U>(firstOf(parents...)->context()), f_(std::move(f)), parents_(std::move(parents)...) {
    for (const auto& p : dependencies()) {
      if (!(p->slideDuration() == slideDuration())) {
        throw std::invalid_argument("transform of streams with different slide durations (" +
                                    p->slideDuration().toString() + " and " + slideDuration().toString() + ")");
      }
    }
  }

  Duration slideDuration() const override { return std::get<0>(parents_)->slideDuration(); }
  std::vector<std::shared_ptr<DStreamBase>> dependencies() const override {
    return std::apply([](const auto&... p) { return std::vector<std::shared_ptr<DStreamBase>>{p...}; }, parents_);
  }
  std::string name() const override { return "TransformedDStream"; }

 protected:
  std::optional<RDD<U>> compute(Time t) override {
    // Braces: the parents are asked in order.
    std::tuple<RDD<Ts>...> rdds = std::apply([&](auto&... p) { return std::tuple<RDD<Ts>...>{rddOf(*p, t)...}; },
                                             parents_);
    return std::apply([&](const auto&... r) { return f_(r..., t); }, rdds);
  }

 private:
  template <class P, class... Rest>
  static const P& firstOf(const P& first, const Rest&...) { return first; }
  template <class X>
  static RDD<X> rddOf(DStreamNode<X>& parent, Time t) {
    std::optional<RDD<X>> r = parent.getOrCompute(t);
    if (!r) throw std::runtime_error("TransformedDStream: couldn't generate RDD from parent at time " + std::to_string(t));
    return *r;
  }

  Fn f_;
  std::tuple<std::shared_ptr<DStreamNode<Ts>>...> parents_;
};

}  // namespace sluice
