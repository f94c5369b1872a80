// State<S> and StateSpec: what mapWithState's mapping function sees and how it is
// configured (Spark's State / StateImpl and StateSpec).
//
// A mapping function is either
//   f(const K& key, std::optional<V> value, State<S>& state) -> E          (always emits), or
//   f(Time batch_time, const K& key, std::optional<V> value, State<S>& state)
//       -> std::optional<E>                                                  (emits when set).
// Its parameter types must be spelled out (not auto) so that K, V and S can be read off
// it. It runs on the executors, so it must be shippable (rdd/shipping.h).
#pragma once

#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "streaming/duration.h"
#include "rdd/rdd.h"

namespace sluice {

// The state of one key during one call of a mapping function. Not thread-safe; one
// object per call.
template <class S>
class State {
 public:
  bool exists() const { return defined_; }
  // Throws std::out_of_range when there is no state.
  const S& get() const {
    if (!defined_) throw std::out_of_range("State is not set");
    return state_;
  }
  std::optional<S> getOption() const { return defined_ ? std::optional<S>(state_) : std::nullopt; }
  // Throws std::invalid_argument after remove() or while the state is timing out.
  void update(S s) {
    if (removed_) throw std::invalid_argument("Cannot update the state after it has been removed");
    if (timing_out_) throw std::invalid_argument("Cannot update the state that is timing out");
    state_ = std::move(s);
    defined_ = true;
    updated_ = true;
  }
  // Throws std::invalid_argument when already removed or while timing out.
  void remove() {
    if (timing_out_) throw std::invalid_argument("Cannot remove the state that is timing out");
    if (removed_) throw std::invalid_argument("Cannot remove the state that has already been removed");
    defined_ = false;
    updated_ = false;
    removed_ = true;
  }
  // True in the last call for a key whose timeout passed (value is then empty).
  bool isTimingOut() const { return timing_out_; }
  bool isUpdated() const { return updated_; }
  bool isRemoved() const { return removed_; }

  // Internal: reset for the next call.
  void wrap(std::optional<S> s) {
    defined_ = s.has_value();
    state_ = s ? std::move(*s) : S{};
    timing_out_ = removed_ = updated_ = false;
  }
  void wrapTimingOutState(S s) {
    state_ = std::move(s);
    defined_ = true;
    timing_out_ = true;
    removed_ = updated_ = false;
  }

 private:
  S state_{};
  bool defined_ = false;
  bool timing_out_ = false;
  bool updated_ = false;
  bool removed_ = false;
};

namespace detail {

template <class X>
struct OptionalValue;
template <class X>
struct OptionalValue<std::optional<X>> {
  using type = X;
};
template <class X>
struct StateValue;
template <class X>
struct StateValue<State<X>> {
  using type = X;
};

template <class Sig>
struct CallableArgs;
template <class C, class R, class... A>
struct CallableArgs<R (C::*)(A...) const> {
  using Args = std::tuple<std::decay_t<A>...>;
  using Ret = R;
};
template <class C, class R, class... A>
struct CallableArgs<R (C::*)(A...)> : CallableArgs<R (C::*)(A...) const> {};

template <bool kWithTime, class R>
struct MappedOf {
  using type = std::decay_t<R>;
};
template <class R>
struct MappedOf<true, R> {
  using type = typename OptionalValue<std::decay_t<R>>::type;
};

// K, V, S, E of a mapping function (see the file comment).
template <class F>
struct MappingTraits {
  using Call = CallableArgs<decltype(&F::operator())>;
  using Args = typename Call::Args;
  static constexpr bool kWithTime = std::tuple_size_v<Args> == 4;
  static constexpr size_t kKey = kWithTime ? 1 : 0;
  static_assert(std::tuple_size_v<Args> == 3 || std::tuple_size_v<Args> == 4,
                "a mapping function takes (key, optional value, State&) or (Time, key, optional value, State&)");
  using Key = std::tuple_element_t<kKey, Args>;
  using Value = typename OptionalValue<std::tuple_element_t<kKey + 1, Args>>::type;
  using StateType = typename StateValue<std::tuple_element_t<kKey + 2, Args>>::type;
  using Mapped = typename MappedOf<kWithTime, typename Call::Ret>::type;
};

}  // namespace detail

// How mapWithState keeps state: the mapping function, an optional initial state, the
// number of partitions of the state (0: the default parallelism) and an optional idle
// timeout (a key without data for longer is timed out: f is called once more with no
// value and isTimingOut(), then the state is dropped).
template <class F>
class StateSpec {
 public:
  using Traits = detail::MappingTraits<F>;
  using K = typename Traits::Key;
  using V = typename Traits::Value;
  using S = typename Traits::StateType;
  using E = typename Traits::Mapped;

  explicit StateSpec(F f) : f_(f) { checkShippable<F>(); }
  static StateSpec function(F f) { return StateSpec(f); }

  StateSpec& initialState(RDD<std::pair<K, S>> rdd) {
    initial_ = std::move(rdd);
    return *this;
  }
  StateSpec& numPartitions(int n) {
    num_partitions_ = n;
    return *this;
  }
  StateSpec& timeout(Duration idle) {
    timeout_ = idle;
    return *this;
  }

  const F& mappingFunction() const { return f_; }
  const std::optional<RDD<std::pair<K, S>>>& getInitialStateRDD() const { return initial_; }
  int getNumPartitions() const { return num_partitions_; }
  const std::optional<Duration>& getTimeout() const { return timeout_; }

  // f called as the general form: (Time, key, value, state) -> optional<E>.
  static std::optional<E> call(F& f, Time t, const K& key, std::optional<V> value, State<S>& state) {
    if constexpr (Traits::kWithTime) {
      return f(t, key, std::move(value), state);
    } else {
      return std::optional<E>(f(key, std::move(value), state));
    }
  }

 private:
  F f_;
  std::optional<RDD<std::pair<K, S>>> initial_;
  int num_partitions_ = 0;
  std::optional<Duration> timeout_;
};

}  // namespace sluice
