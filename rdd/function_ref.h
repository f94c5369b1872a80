// FunctionRef: a non-owning, non-allocating reference to a callable, for the per-record
// emit path (a std::function would allocate and cost more per call).
#pragma once

#include <type_traits>
#include <utility>

namespace sluice {

template <class Sig>
class FunctionRef;

// The referenced callable must outlive the FunctionRef.
template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT: implicit by design
      : obj_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* obj, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(obj))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(obj_, std::forward<Args>(args)...); }

 private:
  void* obj_;
  R (*call_)(void*, Args...);
};

// The sink a partition's records are pushed into.
template <class T>
using Emit = FunctionRef<void(T&&)>;

}  // namespace sluice
