// Ownership — the single-owner token every actor (shard, coordinator) is
// built on: a mutex that is the token, and a strand that queues the work
// which could not take it at once. It is a hybrid, on purpose and measured
// (docs/architecture.md, "Actors and ownership"):
//
//  * with_owner(fn): fn runs inline on the caller's thread, as the owner,
//    for one bounded in-memory step (no I/O, no waiting on other
//    operations). The synchronous facade and every read use it — posting
//    and waiting instead would cost the ~17 µs thread hand-off measured in
//    docs/design/performance.md per call.
//  * run_or_post(fn): inline when the token is free at once (try_lock),
//    else fn is queued on the strand. The initiating thread never waits.
//  * post(fn): queued on the strand. A queued message takes the token when
//    it runs; if an inline owner holds it at that moment (a sync caller's
//    bounded step), the pool thread running the message waits for that step
//    — it never waits for I/O or for another queued message. Those waits are
//    counted (stats()), so the cost of the hybrid is measured, not assumed.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <utility>

namespace strata::actors {

class Ownership {
 public:
  explicit Ownership(const boost::asio::any_io_executor& ex) : strand_(boost::asio::make_strand(ex)) {}
  Ownership(const Ownership&) = delete;
  Ownership& operator=(const Ownership&) = delete;

  /// Runs fn() as the owner, inline (waits for a current owner to finish its
  /// bounded step).
  template <class Fn>
  decltype(auto) with_owner(Fn&& fn) {
    std::lock_guard lock(owner_);
    return std::forward<Fn>(fn)();
  }

  /// Runs fn() inline if the token is free at once, else as a message on the
  /// strand. Never waits.
  template <class Fn>
  void run_or_post(Fn fn) {
    if (owner_.try_lock()) {
      std::lock_guard lock(owner_, std::adopt_lock);
      fn();
      return;
    }
    post(std::move(fn));
  }

  /// Queues fn() as a message on the strand.
  template <class Fn>
  void post(Fn fn) {
    boost::asio::post(strand_, [this, fn = std::move(fn)]() mutable {
      messages_.fetch_add(1, std::memory_order_relaxed);
      if (!owner_.try_lock()) wait_for_owner();
      std::lock_guard lock(owner_, std::adopt_lock);
      fn();
    });
  }

  struct Stats {
    std::uint64_t messages = 0;  // messages run from the strand
    std::uint64_t waits = 0;     // of them, found an inline owner and waited
    std::uint64_t wait_ns = 0;   // time spent waiting
  };
  Stats stats() const noexcept {
    return {messages_.load(std::memory_order_relaxed), waits_.load(std::memory_order_relaxed),
            wait_ns_.load(std::memory_order_relaxed)};
  }

 private:
  void wait_for_owner() {
    const auto t0 = std::chrono::steady_clock::now();
    owner_.lock();
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
    waits_.fetch_add(1, std::memory_order_relaxed);
    wait_ns_.fetch_add(static_cast<std::uint64_t>(ns.count()), std::memory_order_relaxed);
  }

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::mutex owner_;
  std::atomic<std::uint64_t> messages_{0}, waits_{0}, wait_ns_{0};
};

}  // namespace strata::actors
