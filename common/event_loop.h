// EventLoop<Event>: one thread that handles posted events in order (Spark's EventLoop).
// post() and postDelayed() are thread-safe; the handler runs only on the loop thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

namespace sluice {

template <class Event>
class EventLoop {
 public:
  using Handler = std::function<void(Event&&)>;
  EventLoop(std::string name, Handler handler) : name_(std::move(name)), handler_(std::move(handler)) {}
  ~EventLoop() { stop(); }

  void start() {
    thread_ = std::thread([this] { run(); });
  }
  // Finishes the event being handled, drops the rest, joins. Idempotent.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }
  bool stopped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopped_;
  }
  // Returns false (and drops event) once stop() was called.
  bool post(Event event) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return false;
      queue_.push_back(std::move(event));
    }
    cv_.notify_one();
    return true;
  }
  // After stop(): the events that were posted and never handled (delayed ones included),
  // in posting order; each is returned once.
  std::deque<Event> takeUnhandled() {
    std::lock_guard<std::mutex> lock(mu_);
    std::deque<Event> out = std::move(queue_);
    queue_.clear();
    for (auto& [when, e] : delayed_) out.push_back(std::move(e));
    delayed_.clear();
    return out;
  }
  void postDelayed(Event event, std::chrono::milliseconds delay) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return;
      delayed_.emplace(std::chrono::steady_clock::now() + delay, std::move(event));
    }
    cv_.notify_one();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopped_) {
      auto now = std::chrono::steady_clock::now();
      while (!delayed_.empty() && delayed_.begin()->first <= now) {
        queue_.push_back(std::move(delayed_.begin()->second));
        delayed_.erase(delayed_.begin());
      }
      if (queue_.empty()) {
        if (delayed_.empty()) cv_.wait(lock);
        else cv_.wait_until(lock, delayed_.begin()->first);
        continue;
      }
      Event event = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      try {
        handler_(std::move(event));
      } catch (const std::exception& e) {
        spdlog::error("{} event loop: unhandled error: {}", name_, e.what());
      }
      lock.lock();
    }
  }

  std::string name_;
  Handler handler_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> queue_;
  std::multimap<std::chrono::steady_clock::time_point, Event> delayed_;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace sluice
